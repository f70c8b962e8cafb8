"""Shrink an ISA circuit to the physical qubits it uses, by rewriting instructions directly.

A circuit for a 156-qubit device that touches 2 qubits becomes a 2-qubit circuit, so the
simulator's cost depends on what the circuit does, not on the device size. No transpilation:
every instruction keeps its operation and classical bits and only gets new qubit indices.
"""

from __future__ import annotations

from collections.abc import Iterable

from qiskit.circuit import CircuitInstruction, QuantumCircuit, QuantumRegister

__all__ = ["active_qubits", "compact_circuit"]

#: Instructions that do not make a qubit worth simulating on their own.
_PASSIVE = frozenset({"barrier", "delay"})


def active_qubits(circuit: QuantumCircuit) -> list[int]:
    """Indices of the qubits used by any instruction other than barriers and delays, sorted."""
    used: set[int] = set()
    for inst in circuit.data:
        if inst.operation.name not in _PASSIVE:
            used.update(circuit.find_bit(q).index for q in inst.qubits)
    return sorted(used)


def compact_circuit(circuit: QuantumCircuit, physical: Iterable[int]) -> QuantumCircuit:
    """A copy of ``circuit`` on ``len(physical)`` qubits, qubit ``physical[i]`` becoming ``i``.

    Barriers and delays are kept on the qubits that remain and dropped elsewhere; every other
    instruction must act on kept qubits only. Classical registers, loose clbits, global phase,
    metadata and parameters carry over.

    Raises:
        ValueError: if an instruction other than a barrier or delay uses a dropped qubit.
    """
    order = list(physical)
    new_qubits = QuantumRegister(len(order), "q")
    mapping = {circuit.qubits[p]: new_qubits[i] for i, p in enumerate(order)}
    out = QuantumCircuit(
        new_qubits,
        *circuit.cregs,
        name=circuit.name,
        global_phase=circuit.global_phase,
        metadata=circuit.metadata,
    )
    loose = [c for c in circuit.clbits if not circuit.find_bit(c).registers]
    if loose:
        out.add_bits(loose)
    for inst in circuit.data:
        kept = [mapping[q] for q in inst.qubits if q in mapping]
        if len(kept) != len(inst.qubits):
            if inst.operation.name not in _PASSIVE:
                raise ValueError(f"{inst.operation.name} uses a qubit outside the compact set")
            if not kept:
                continue
            if inst.operation.name == "barrier":
                out.barrier(kept)
                continue
            for qubit in kept:
                out.append(inst.operation, [qubit], [])
            continue
        out._append(CircuitInstruction(inst.operation, kept, inst.clbits))
    return out
