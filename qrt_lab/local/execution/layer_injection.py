"""Learned layer noise for PEA and PEC: where each learned layer occurs, and its channels.

A learned model comes from the job's ``resilience.layer_noise_model`` (a ``NoiseLearnerResult``
or a list of ``LayerError``s, as the official client sends them) or, if unset, is learned now
exactly as the ``noise-learner`` program would. Layers are matched by their gates; layers with
no learned model are treated as noiseless (not amplified, not cancelled), as on the platform.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from qiskit.circuit import CircuitInstruction, QuantumCircuit
from qiskit.converters import circuit_to_dag
from qiskit_aer.noise import pauli_error

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

from .layer_noise import SparsePauli
from .layers import layers_to_learn
from .mitigation_options import Mitigation

__all__ = ["LayerNoise", "layer_noise_for", "rebuild_with_layers"]

#: Gates of a layer → (generators on physical qubits, rates).
LayerGates = tuple[tuple[str, tuple[int, int]], ...]
LayerNoise = dict[LayerGates, tuple[list[SparsePauli], np.ndarray]]
_PASSIVE = frozenset({"barrier", "delay"})
_LAYERED: dict[int, tuple[QuantumCircuit, list[tuple[list[Any], LayerGates]]]] = {}


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _from_layer_error(
    entry: Any,
) -> tuple[LayerGates, tuple[list[SparsePauli], np.ndarray]] | None:
    circuit, qubits, error = (
        _field(entry, "circuit"),
        _field(entry, "qubits"),
        _field(entry, "error"),
    )
    if error is None:
        return None
    if not isinstance(circuit, QuantumCircuit) or not isinstance(qubits, list):
        raise JobFailure("resilience.layer_noise_model entries must be LayerErrors", BAD_INPUT)
    generators, rates = _field(error, "generators"), _field(error, "rates")
    labels = generators.to_labels() if hasattr(generators, "to_labels") else generators
    if not isinstance(labels, list) or len(labels) != len(np.atleast_1d(rates)):
        raise JobFailure("resilience.layer_noise_model: generators and rates differ", BAD_INPUT)
    gates = tuple(
        sorted(
            (
                inst.operation.name,
                (
                    qubits[circuit.find_bit(inst.qubits[0]).index],
                    qubits[circuit.find_bit(inst.qubits[1]).index],
                ),
            )
            for inst in circuit.data
            if len(inst.qubits) == 2
        )
    )
    sparse = [
        tuple((qubits[i], c) for i, c in enumerate(reversed(label.lstrip("+-i"))) if c != "I")
        for label in labels
    ]
    return gates, (sparse, np.asarray(rates, dtype=float))


def layer_noise_for(
    circuit: QuantumCircuit, mitigation: Mitigation, model: DeviceModel, seed: int | None
) -> LayerNoise:
    """The learned noise of ``circuit``'s layers (given in the options, or learned now)."""
    given = mitigation.layer_noise_model
    if given is not None:
        entries = _field(given, "data") if not isinstance(given, list) else given
        found = [_from_layer_error(e) for e in entries or []]
        return dict(item for item in found if item is not None)
    from .noise_learner_program import learned_layers

    layers = layers_to_learn([circuit], mitigation.strategy, mitigation.max_layers_to_learn)
    learned = learned_layers(layers, model, mitigation.learning, seed)
    return {layer.gates: (gens, rates) for layer, gens, rates, _ in learned}


def _layer_gates(nodes: Sequence[Any], index: dict[Any, int]) -> LayerGates:
    return tuple(
        sorted(
            (node.op.name, (index[node.qargs[0]], index[node.qargs[1]]))
            for node in nodes
            if len(node.qargs) == 2 and node.op.name not in _PASSIVE and not node.cargs
        )
    )


def _layered(circuit: QuantumCircuit) -> list[tuple[list[CircuitInstruction], LayerGates]]:
    """The circuit's DAG layers: their instructions and their two-qubit gates (cached)."""
    key = id(circuit)
    cached = _LAYERED.get(key)
    if cached is not None and cached[0] is circuit:
        return cached[1]
    dag = circuit_to_dag(circuit)
    index = {q: i for i, q in enumerate(circuit.qubits)}
    out = []
    for layer in dag.layers():
        nodes = layer["graph"].op_nodes()
        instructions = [CircuitInstruction(n.op, n.qargs, n.cargs) for n in nodes]
        out.append((instructions, _layer_gates(nodes, index)))
    _LAYERED.clear()
    _LAYERED[key] = (circuit, out)
    return out


def rebuild_with_layers(
    circuit: QuantumCircuit,
    noise: LayerNoise,
    channel: Callable[[SparsePauli, float], Any],
    keep: set[int],
) -> tuple[QuantumCircuit, int]:
    """``circuit`` with ``channel(generator, rate)`` appended after every learned layer.

    Returns the circuit and how many learned layer instances it has. ``channel`` returns an
    instruction (or None to skip); generators touching qubits outside ``keep`` are skipped.
    """
    out = circuit.copy_empty_like()
    instances = 0
    for instructions, gates in _layered(circuit):
        for instruction in instructions:
            out._append(instruction)
        if not gates or gates not in noise:
            continue
        instances += 1
        generators, rates = noise[gates]
        for generator, rate in zip(generators, rates, strict=True):
            if rate <= 0 or not all(q in keep for q, _ in generator):
                continue
            instruction = channel(generator, float(rate))
            if instruction is not None:
                out.append(instruction, [circuit.qubits[q] for q, _ in generator])
    return out, instances


def pauli_flip(generator: SparsePauli, probability: float) -> Any:
    """A channel applying the generator's Pauli with ``probability`` (None when 0)."""
    if probability <= 0:
        return None
    label = "".join(p for _, p in reversed(generator))
    return pauli_error([(label, probability), ("I" * len(generator), 1 - probability)])
