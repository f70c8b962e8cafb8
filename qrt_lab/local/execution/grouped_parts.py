"""The executor's per-group simulation: one Aer call per group of independent qubits.

Independent parts of an item's circuit are packed into groups of at most five qubits, and each
group runs all the item's rows in its own Aer call, sampling its shots there (memory). This was
the executor's path before batching (:mod:`.batched_parts`); it still runs parts that cannot be
batched (:func:`simulate_rows`), and the whole path with ``QRT_LAB_LOCAL_EXECUTOR_BATCHING=0``
for benchmarks.
"""

from __future__ import annotations

import numpy as np
from qiskit.circuit import CircuitInstruction, QuantumCircuit, QuantumRegister

from .simulation_plan import SimulationPlan
from .simulator import run_shots

__all__ = ["groups_of", "register_bools", "restrict", "simulate_rows"]

#: Independent parts of a circuit are packed into simulations of at most this many qubits.
_GROUP_WIDTH = 5


def groups_of(circuit: QuantumCircuit) -> list[list[int]]:
    """Independent sets of qubits (no gate or classical bit between them), packed into groups.

    The noise model is local (no crosstalk), so independent parts simulate exactly on their own;
    the client-side Estimator measures every device qubit, which would otherwise make every
    circuit device-wide. One group of all qubits when the circuit does not split.
    """
    everything = [list(range(circuit.num_qubits))]
    if circuit.num_qubits <= _GROUP_WIDTH:
        return everything
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
        qubits = [circuit.find_bit(q).index for q in inst.qubits]
        if inst.clbits and name != "measure":
            return everything  # classical control couples parts
        for q in qubits[1:]:
            parent[root(q)] = root(qubits[0])
        for c in inst.clbits:
            clbit = circuit.find_bit(c).index
            if owner.setdefault(clbit, qubits[0]) != qubits[0]:
                return everything  # two measurements into one clbit
    for clbit, qubit in owner.items():
        owner[clbit] = root(qubit)
    parts: dict[int, list[int]] = {}
    for q in range(circuit.num_qubits):
        parts.setdefault(root(q), []).append(q)
    if len(parts) == 1:
        return everything
    groups: list[list[int]] = []
    for part in sorted(parts.values(), key=len, reverse=True):
        if groups and len(groups[-1]) + len(part) <= _GROUP_WIDTH:
            groups[-1].extend(part)
        else:
            groups.append(list(part))
    return [sorted(g) for g in groups]


def restrict(circuit: QuantumCircuit, qubits: list[int]) -> QuantumCircuit:
    """The instructions of ``circuit`` on ``qubits`` only (all classical bits are kept)."""
    register = QuantumRegister(len(qubits), "q")
    mapping = {circuit.qubits[q]: register[i] for i, q in enumerate(qubits)}
    out = QuantumCircuit(register, *circuit.cregs, global_phase=circuit.global_phase)
    loose = [c for c in circuit.clbits if not circuit.find_bit(c).registers]
    if loose:
        out.add_bits(loose)
    for inst in circuit.data:
        kept = [mapping[q] for q in inst.qubits if q in mapping]
        if inst.operation.name == "barrier":
            if kept:
                out.barrier(kept)
        elif kept and len(kept) == len(inst.qubits):
            out._append(CircuitInstruction(inst.operation, kept, inst.clbits))
    return out


def simulate_rows(
    circuit: QuantumCircuit, rows: np.ndarray, plan: SimulationPlan, shots: int, seed: int | None
) -> np.ndarray:
    """``(rows, shots)`` shot integers (bit ``i`` = clbit ``i``) of ``circuit`` on its plan."""
    count = len(rows)
    if circuit.num_parameters and count > 1:
        unique, inverse = np.unique(rows, axis=0, return_inverse=True)
        if len(unique) <= count // 2:
            return _deduplicated(circuit, unique, inverse.ravel(), plan, shots, seed)
    if circuit.num_parameters:
        memories = run_shots(
            [circuit],
            shots=shots,
            seed=seed,
            noise=plan.noise,
            parameter_rows=rows,
            method=plan.method,
            options=plan.options,
            order=plan.order,
        )
        return np.stack(memories)
    (memory,) = run_shots(
        [circuit],
        shots=shots * count,
        seed=seed,
        noise=plan.noise,
        method=plan.method,
        options=plan.options,
        order=plan.order,
    )
    return memory.reshape(count, shots)


def _deduplicated(
    circuit: QuantumCircuit,
    unique: np.ndarray,
    inverse: np.ndarray,
    plan: SimulationPlan,
    shots: int,
    seed: int | None,
) -> np.ndarray:
    """Run each distinct row once with enough shots for all its repeats, then deal them out.

    Padding qubits of the client-side primitives see a few distinct twirls across hundreds of
    elements; fewer, longer experiments cost far less than many short ones.
    """
    repeats = np.bincount(inverse)
    memories = run_shots(
        [circuit],
        shots=shots * int(repeats.max()),
        seed=seed,
        noise=plan.noise,
        parameter_rows=unique,
        method=plan.method,
        options=plan.options,
        order=plan.order,
    )
    out = np.empty((len(inverse), shots), dtype=memories[0].dtype)
    dealt = np.zeros(len(unique), dtype=int)
    for row, source in enumerate(inverse):
        start = dealt[source] * shots
        out[row] = memories[source][start : start + shots]
        dealt[source] += 1
    return out


def register_bools(memory: np.ndarray, circuit: QuantumCircuit) -> dict[str, np.ndarray]:
    """Each classical register as ``(rows, shots, size)`` bools, column ``i`` = its bit ``i``."""
    out = {}
    for creg in circuit.cregs:
        index = [circuit.find_bit(bit).index for bit in creg]
        if memory.dtype == np.uint64:
            shifts = np.array(index, dtype=np.uint64)
            out[creg.name] = ((memory[..., None] >> shifts) & np.uint64(1)).astype(bool)
        else:
            shifts_obj = np.array(index, dtype=object)
            out[creg.name] = ((memory[..., None] >> shifts_obj) & 1).astype(bool)
    return out
