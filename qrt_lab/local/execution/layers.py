"""Layers of two-qubit gates in ISA circuits, as the runtime twirls, learns and mitigates them.

A layer is the set of two-qubit gates of one layer of the circuit's DAG (gates that run at the
same time). Its *twirled qubits* depend on the twirling strategy: ``active`` (the layer's own
qubits), ``active-accum`` (every qubit used by a gate so far, up to this layer, the default),
``active-circuit`` (every qubit the circuit uses) and ``all`` (every qubit of the circuit).
Barriers and delays do not make a qubit active.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from qiskit.circuit import QuantumCircuit
from qiskit.converters import circuit_to_dag

from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

__all__ = ["STRATEGIES", "Layer", "circuit_layers", "layers_to_learn"]

STRATEGIES = ("active", "active-accum", "active-circuit", "all")
_PASSIVE = frozenset({"barrier", "delay"})


@dataclass(frozen=True)
class Layer:
    """One distinct layer: its gates ``(name, physical qubits)`` and twirled qubits."""

    gates: tuple[tuple[str, tuple[int, int]], ...]
    qubits: tuple[int, ...]

    def circuit(self) -> QuantumCircuit:
        """The layer on ``len(qubits)`` qubits (qubit ``i`` is physical ``qubits[i]``)."""
        from qiskit.circuit.library import get_standard_gate_name_mapping

        gates = get_standard_gate_name_mapping()
        position = {q: i for i, q in enumerate(self.qubits)}
        out = QuantumCircuit(len(self.qubits))
        for name, pair in self.gates:
            out.append(gates[name], [position[q] for q in pair])
        return out


def _active(circuit: QuantumCircuit) -> set[int]:
    return {
        circuit.find_bit(q).index
        for inst in circuit.data
        if inst.operation.name not in _PASSIVE
        for q in inst.qubits
    }


def circuit_layers(circuit: QuantumCircuit, strategy: str) -> list[Layer]:
    """Every layer of two-qubit gates of ``circuit`` in order (repeats included)."""
    if strategy not in STRATEGIES:
        raise JobFailure(
            f"twirling strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}",
            BAD_INPUT,
        )
    dag = circuit_to_dag(circuit)
    index = {q: i for i, q in enumerate(circuit.qubits)}
    whole = set(range(circuit.num_qubits)) if strategy == "all" else _active(circuit)
    seen: set[int] = set()
    found: list[Layer] = []
    for layer in dag.layers():
        gates = []
        for node in layer["graph"].op_nodes():
            qubits = [index[q] for q in node.qargs]
            if node.op.name not in _PASSIVE and len(qubits) == 2 and not node.cargs:
                gates.append((node.op.name, (qubits[0], qubits[1])))
            if node.op.name not in _PASSIVE:
                seen.update(qubits)
        if not gates:
            continue
        own = {q for _, pair in gates for q in pair}
        twirled = {"active": own, "active-accum": set(seen)}.get(strategy, whole)
        found.append(Layer(tuple(sorted(gates)), tuple(sorted(twirled | own))))
    return found


def layers_to_learn(
    circuits: Sequence[QuantumCircuit], strategy: str, limit: int | None
) -> list[Layer]:
    """The distinct layers of ``circuits``, most frequent first (then most gates), at most
    ``limit`` of them (``None``: all), as the noise learner prioritises them."""
    counts: Counter[Layer] = Counter()
    order: dict[Layer, int] = {}
    for circuit in circuits:
        for layer in circuit_layers(circuit, strategy):
            counts[layer] += 1
            order.setdefault(layer, len(order))
    ranked = sorted(counts, key=lambda lay: (-counts[lay], -len(lay.gates), order[lay]))
    return ranked if limit is None else ranked[:limit]
