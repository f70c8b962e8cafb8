"""What a circuit asks of the qubits it runs on: its interaction graph and per-qubit load.

Read before transpiling (on virtual qubits), this is what layouts are matched and scored on.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from qiskit.circuit import QuantumCircuit

__all__ = ["Interaction", "read_interaction"]

_FREE = frozenset({"barrier", "delay", "rz", "id", "measure", "reset"})
_DECOMPOSE_LEVELS = 4


@dataclass(frozen=True)
class Interaction:
    """The load the circuits put on their virtual qubits.

    Attributes:
        num_qubits: Virtual qubits (of the widest circuit).
        pairs: ``pairs[(a, b)]`` (``a < b``) counts the two-qubit gates between ``a`` and ``b``.
        single: ``single[v]`` counts the one-qubit gates on ``v`` (before translation).
        measured: ``measured[v]`` is whether ``v`` is measured.
        idle_layers: ``idle_layers[v]`` counts the two-qubit layers ``v`` waits through between
            its first gate and the end (a proxy of its idle time, before scheduling).
    """

    num_qubits: int
    pairs: dict[tuple[int, int], int]
    single: tuple[int, ...]
    measured: tuple[bool, ...]
    idle_layers: tuple[int, ...]


def _two_qubit_level(circuit: QuantumCircuit) -> QuantumCircuit:
    """``circuit`` with gates on more than two qubits decomposed (a few levels deep)."""
    for _ in range(_DECOMPOSE_LEVELS):
        wide = {
            inst.operation.name
            for inst in circuit.data
            if len(inst.qubits) > 2 and inst.operation.name not in _FREE
        }
        if not wide:
            break
        circuit = circuit.decompose(gates_to_decompose=sorted(wide))
    return circuit


def read_interaction(circuits: Sequence[QuantumCircuit]) -> Interaction:
    """The interaction of ``circuits`` (summed; qubit ``v`` of each is virtual qubit ``v``).

    Gates on more than two qubits are decomposed first; any left count as interacting pairs.
    """
    n = max(c.num_qubits for c in circuits)
    circuits = [_two_qubit_level(c) for c in circuits]
    pairs: Counter[tuple[int, int]] = Counter()
    single = [0] * n
    measured = [False] * n
    busy = [0] * n
    idle = [0] * n
    for circuit in circuits:
        layer = [0] * n
        first = [-1] * n
        for inst in circuit.data:
            qubits = [circuit.find_bit(q).index for q in inst.qubits]
            name = inst.operation.name
            if name == "measure":
                for q in qubits:
                    measured[q] = True
            if name in _FREE or not qubits:
                continue
            if len(qubits) == 1:
                single[qubits[0]] += 1
                first[qubits[0]] = max(first[qubits[0]], 0)
                continue
            for a, b in itertools.combinations(sorted(qubits), 2):
                pairs[(a, b)] += 1
            depth = max(layer[q] for q in qubits) + 1
            for q in qubits:
                layer[q] = depth
                busy[q] += 1
                first[q] = depth - 1 if first[q] < 0 else first[q]
        total = max(layer, default=0)
        for q in range(n):
            if first[q] >= 0:
                idle[q] += max(total - first[q] - busy[q], 0)
    return Interaction(n, dict(pairs), tuple(single), tuple(measured), tuple(idle))
