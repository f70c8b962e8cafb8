"""Split a compact circuit into its independent parts (no gate or classical bit between them).

The device noise model is local (no crosstalk), so independent parts simulate exactly on their
own. The client-side primitives measure every device qubit, dressing each idle one with twirling
gates: a 156-qubit executor item is then one small entangled part and ~150 one-qubit parts.
Each :class:`Part` keeps only its own qubits and classical bits, so its shot outcomes fit in
one integer per shot and are scattered back into the item's classical bits afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qiskit.circuit import (
    Barrier,
    CircuitInstruction,
    ClassicalRegister,
    Clbit,
    QuantumCircuit,
    QuantumRegister,
    Qubit,
)

__all__ = ["Part", "split_parts"]


@dataclass(frozen=True)
class Part:
    """One independent part of a compact circuit.

    Attributes:
        circuit: The part alone: its qubits (``q``) in compact order, its classical bits (``c``)
            in the item's order.
        qubits: The compact qubit of each of the part's qubits.
        clbits: The item's classical bit of each of the part's classical bits.
    """

    circuit: QuantumCircuit
    qubits: tuple[int, ...]
    clbits: tuple[int, ...]


def _components(circuit: QuantumCircuit) -> list[list[int]] | None:
    """Independent sets of compact qubits, or None when classical bits couple them."""
    qubit_index = {q: i for i, q in enumerate(circuit.qubits)}
    clbit_index = {c: i for i, c in enumerate(circuit.clbits)}
    parent = list(range(circuit.num_qubits))

    def root(q: int) -> int:
        while parent[q] != q:
            parent[q] = parent[parent[q]]
            q = parent[q]
        return q

    owner: dict[int, int] = {}
    for inst in circuit.data:
        name = inst.operation.name
        if name == "barrier":
            continue
        qubits = [qubit_index[q] for q in inst.qubits]
        if inst.clbits and name != "measure":
            return None  # classical control couples parts
        for q in qubits[1:]:
            parent[root(q)] = root(qubits[0])
        for c in inst.clbits:
            if owner.setdefault(clbit_index[c], qubits[0]) != qubits[0]:
                return None  # two qubits measured into one classical bit
    parts: dict[int, list[int]] = {}
    for q in range(circuit.num_qubits):
        parts.setdefault(root(q), []).append(q)
    return sorted(parts.values())


def _whole(circuit: QuantumCircuit) -> Part:
    return Part(circuit, tuple(range(circuit.num_qubits)), tuple(range(circuit.num_clbits)))


def split_parts(circuit: QuantumCircuit) -> list[Part]:
    """The independent parts of ``circuit`` (the whole circuit when it does not split).

    One pass over the instructions; a barrier is kept on each part it spans. A part's classical
    bits are those its measurements write, in the item's order.
    """
    components = _components(circuit)
    if components is None or len(components) == 1:
        return [_whole(circuit)]
    qubit_index = {q: i for i, q in enumerate(circuit.qubits)}
    clbit_index = {c: i for i, c in enumerate(circuit.clbits)}
    part_of = {q: n for n, qubits in enumerate(components) for q in qubits}
    written: list[set[int]] = [set() for _ in components]
    for inst in circuit.data:
        if inst.clbits and inst.qubits:
            n = part_of[qubit_index[inst.qubits[0]]]
            written[n].update(clbit_index[c] for c in inst.clbits)
    parts, local_qubits, local_clbits = _empty_parts(circuit, components, written)
    for inst in circuit.data:
        if not inst.qubits:
            continue  # a global phase: no effect on the shots
        if inst.operation.name == "barrier":
            _split_barrier(inst, parts, part_of, qubit_index, local_qubits)
            continue
        n = part_of[qubit_index[inst.qubits[0]]]
        qmap, cmap = local_qubits[n], local_clbits[n]
        written_bits: list[Clbit] = [cmap[c] for c in inst.clbits]
        parts[n].circuit._append(
            CircuitInstruction(inst.operation, [qmap[q] for q in inst.qubits], written_bits)
        )
    return parts


def _empty_parts(
    circuit: QuantumCircuit, components: list[list[int]], written: list[set[int]]
) -> tuple[list[Part], list[dict[Qubit, Qubit]], list[dict[Clbit, Clbit]]]:
    """One empty circuit per part, and each part's maps from the circuit's bits to its own."""
    parts = []
    local_qubits = []
    local_clbits = []
    for n, qubits in enumerate(components):
        clbits = tuple(sorted(written[n]))
        register = QuantumRegister(len(qubits), "q")
        bits = ClassicalRegister(len(clbits), "c") if clbits else None
        part = QuantumCircuit(register, *([bits] if bits is not None else []))
        part.global_phase = circuit.global_phase
        parts.append(Part(part, tuple(qubits), clbits))
        local_qubits.append({circuit.qubits[q]: register[i] for i, q in enumerate(qubits)})
        local_clbits.append(
            {circuit.clbits[c]: bits[i] for i, c in enumerate(clbits)} if bits is not None else {}
        )
    return parts, local_qubits, local_clbits


@lru_cache(maxsize=64)
def _barrier(width: int) -> Barrier:
    return Barrier(width)


def _split_barrier(
    inst: CircuitInstruction,
    parts: list[Part],
    part_of: dict[int, int],
    qubit_index: dict[Qubit, int],
    local_qubits: list[dict[Qubit, Qubit]],
) -> None:
    spanned: dict[int, list[Qubit]] = {}
    for q in inst.qubits:
        n = part_of[qubit_index[q]]
        spanned.setdefault(n, []).append(local_qubits[n][q])
    for n, qubits in spanned.items():
        parts[n].circuit._append(CircuitInstruction(_barrier(len(qubits)), qubits, ()))
