"""Pauli-frame sampling: noisy Clifford circuits as one ideal stabilizer run plus error frames.

A Clifford circuit whose noise is Pauli (the stabilizer plan's depolarizing gate errors and
readout errors) and whose measurements are terminal samples exactly like Aer's noisy stabilizer
method, far faster: every shot's Pauli errors are pushed through the rest of the circuit (a
Clifford maps Paulis to Paulis, so this is bit arithmetic on the frames of all shots at once),
and a measured bit is the noiseless outcome XOR the frame's X part on that qubit at its
measurement, then passed through the qubit's readout error. The noiseless outcomes are sampled
from the final stabilizer state of one noiseless Aer shot (uniform over an affine subspace).
Aer's noisy stabilizer method instead simulates every shot's tableau.

Circuits with mid-circuit measurements, resets, conditions or control flow, and noise models
with non-Pauli errors, are left to Aer (:func:`frames_apply` says which).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.quantum_info import Clifford, Pauli
from qiskit_aer.noise import NoiseModel

__all__ = ["frames_apply", "frames_circuit", "memory_bits", "run_pauli_frames"]

_IGNORED = frozenset({"barrier", "delay"})
_TABLES: OrderedDict[tuple[Any, ...], tuple[NoiseModel, _NoiseTables | None]] = OrderedDict()
_TABLES_KEPT = 64


@dataclass(frozen=True)
class _PauliChannel:
    """A Pauli error: cumulative probabilities and each Pauli's X and Z bits per qubit."""

    cumulative: np.ndarray
    x: np.ndarray  # (paulis, qubits) bool
    z: np.ndarray


@dataclass(frozen=True)
class _NoiseTables:
    gates: dict[tuple[str, tuple[int, ...]], _PauliChannel]
    readout: dict[int, tuple[float, float]]  # qubit -> (P(1|0), P(0|1))


def _channel(error: Any) -> _PauliChannel | None:
    xs, zs = [], []
    for circuit in error.circuits:
        try:
            pauli = Pauli(circuit)
        except Exception:  # noqa: BLE001 - any non-Pauli error: leave the run to Aer
            return None
        xs.append(pauli.x)
        zs.append(pauli.z)
    probabilities = np.asarray(error.probabilities, dtype=float)
    cumulative = np.cumsum(probabilities / probabilities.sum())
    return _PauliChannel(cumulative, np.array(xs, dtype=bool), np.array(zs, dtype=bool))


def _build_tables(noise: NoiseModel) -> _NoiseTables | None:
    if noise._default_quantum_errors or noise._default_readout_error is not None:
        return None
    gates: dict[tuple[str, tuple[int, ...]], _PauliChannel] = {}
    for name, by_qubits in noise._local_quantum_errors.items():
        if name in _IGNORED or name in ("measure", "reset"):
            return None  # errors frames do not place: leave the run to Aer
        for qubits, error in by_qubits.items():
            channel = _channel(error)
            if channel is None:
                return None
            gates[(name, tuple(qubits))] = channel
    readout: dict[int, tuple[float, float]] = {}
    for qubits, error in noise._local_readout_errors.items():
        if len(qubits) != 1:
            return None
        matrix = np.asarray(error.probabilities, dtype=float)
        readout[int(qubits[0])] = (float(matrix[0, 1]), float(matrix[1, 0]))
    return _NoiseTables(gates, readout)


def _tables(noise: NoiseModel) -> _NoiseTables | None:
    """The Pauli tables of a noise model (cached: the plan's models are cached and unchanged)."""
    # the identity of the model, and its size in case it was changed since (plans never do)
    sizes = tuple(len(errors) for errors in noise._local_quantum_errors.values())
    key = (id(noise), sizes, len(noise._local_readout_errors))
    cached = _TABLES.get(key)
    if cached is not None and cached[0] is noise:
        _TABLES.move_to_end(key)
        return cached[1]
    tables = _build_tables(noise)
    _TABLES[key] = (noise, tables)
    if len(_TABLES) > _TABLES_KEPT:
        _TABLES.popitem(last=False)
    return tables


@lru_cache(maxsize=256)
def _symplectic(name: str, quarter_turns: int, width: int) -> np.ndarray | None:
    """Rows: the images of X_0..X_k-1, Z_0..Z_k-1 as (x bits, z bits); None if not Clifford."""
    from qiskit.circuit.library import get_standard_gate_name_mapping

    gate = get_standard_gate_name_mapping().get(name)
    if gate is None or gate.num_qubits != width:
        return None
    if gate.params:
        if name != "rz":
            return None
        gate = type(gate)(quarter_turns * math.pi / 2)
    try:
        return np.asarray(Clifford(gate).symplectic_matrix, dtype=bool)
    except Exception:  # noqa: BLE001 - not a Clifford gate
        return None


def _quarter_turns(operation: Any) -> int | None:
    if not operation.params:
        return 0
    try:
        turns = float(operation.params[0]) / (math.pi / 2)
    except (TypeError, ValueError):
        return None
    return round(turns) % 4 if abs(turns - round(turns)) < 1e-9 else None


_Step = tuple[str, tuple[int, ...], Any]


def _steps(circuit: QuantumCircuit) -> list[_Step] | None:
    """``(kind, qubits, data)`` per instruction, or None when frames cannot run the circuit.

    Kinds: ``gate`` (data: its name and symplectic matrix), ``measure`` (data: the clbit).
    """
    steps: list[_Step] = []
    measured: set[int] = set()
    for inst in circuit.data:
        op = inst.operation
        name = op.name
        qubits = tuple(circuit.find_bit(q).index for q in inst.qubits)
        if name in _IGNORED:
            continue
        if getattr(op, "blocks", None) or getattr(op, "_condition", None) is not None:
            return None
        if measured.intersection(qubits):
            return None  # an operation after a measurement: not terminal
        if name == "measure":
            steps.append(("measure", qubits, circuit.find_bit(inst.clbits[0]).index))
            measured.add(qubits[0])
            continue
        turns = _quarter_turns(op)
        matrix = None if turns is None else _symplectic(name, turns, len(qubits))
        if matrix is None:
            return None
        steps.append(("gate", qubits, (name, matrix)))
    return steps


def frames_circuit(circuit: QuantumCircuit) -> bool:
    """Whether ``circuit`` is Clifford with terminal measurements, no resets or control flow."""
    return _steps(circuit) is not None


def frames_apply(circuits: Sequence[QuantumCircuit], noise: NoiseModel | None) -> bool:
    """Whether :func:`run_pauli_frames` can run ``circuits`` exactly under ``noise``."""
    if noise is None or not circuits:
        return False
    if _tables(noise) is None:
        return False
    return all(_steps(c) is not None for c in circuits)


def _conjugate(x: np.ndarray, z: np.ndarray, qubits: tuple[int, ...], matrix: np.ndarray) -> None:
    k = len(qubits)
    old = [x[q].copy() for q in qubits] + [z[q].copy() for q in qubits]
    for j in range(2 * k):
        sources = [old[i] for i in range(2 * k) if matrix[i, j]]
        if not sources:
            new = np.zeros_like(old[0])
        else:
            new = sources[0].copy()
            for s in sources[1:]:
                new ^= s
        (x if j < k else z)[qubits[j % k]] = new


def _apply_error(
    x: np.ndarray, z: np.ndarray, qubits: tuple[int, ...], channel: _PauliChannel, rng: Any
) -> None:
    shots = x.shape[1]
    drawn = np.searchsorted(channel.cumulative, rng.random(shots), side="right")
    drawn = np.minimum(drawn, len(channel.cumulative) - 1)
    for i, q in enumerate(qubits):
        x[q] ^= channel.x[drawn, i]
        z[q] ^= channel.z[drawn, i]


def _frame_flips(
    steps: list[_Step], num_qubits: int, shots: int, tables: _NoiseTables, rng: Any
) -> list[tuple[int, int, np.ndarray]]:
    """Per measurement in order: ``(qubit, clbit, X part of the frame at that moment)``."""
    x = np.zeros((num_qubits, shots), dtype=bool)
    z = np.zeros((num_qubits, shots), dtype=bool)
    events = []
    for kind, qubits, data in steps:
        if kind == "measure":
            events.append((qubits[0], int(data), x[qubits[0]].copy()))
            continue
        name, matrix = data
        _conjugate(x, z, qubits, matrix)
        channel = tables.gates.get((name, qubits))
        if channel is not None:
            _apply_error(x, z, qubits, channel, rng)
    return events


def memory_bits(memory: np.ndarray, num_clbits: int) -> np.ndarray:
    """``(shots, clbits)`` bool of shot integers (bit ``i`` is clbit ``i``), any width."""
    if memory.dtype == np.uint64:
        shifts = np.arange(num_clbits, dtype=np.uint64)
        return ((memory[:, None] >> shifts) & np.uint64(1)).astype(bool)
    size = (num_clbits + 7) // 8
    mask = (1 << num_clbits) - 1
    raw = b"".join((int(v) & mask).to_bytes(size, "little") for v in memory)
    packed = np.frombuffer(raw, dtype=np.uint8).reshape(len(memory), size)
    return np.unpackbits(packed, axis=1, count=num_clbits, bitorder="little").astype(bool)


def _ints(bits: np.ndarray) -> np.ndarray:
    width = bits.shape[1]
    if width <= 63:
        weights = np.uint64(1) << np.arange(width, dtype=np.uint64)
        return np.asarray((bits.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64))
    packed = np.packbits(bits, axis=1, bitorder="little")
    return np.array([int.from_bytes(row.tobytes(), "little") for row in packed], dtype=object)


def _row_basis(matrix: np.ndarray) -> np.ndarray:
    """A basis (rows) of the GF(2) row space of a bool matrix."""
    rows = matrix.copy()
    rank = 0
    for column in range(rows.shape[1]):
        pivots = np.nonzero(rows[rank:, column])[0]
        if len(pivots) == 0:
            continue
        pivot = rank + pivots[0]
        rows[[rank, pivot]] = rows[[pivot, rank]]
        below = np.nonzero(rows[:, column])[0]
        below = below[below != rank]
        rows[below] ^= rows[rank]
        rank += 1
        if rank == rows.shape[0]:
            break
    return rows[:rank]


def _ideal_bits(
    circuit: QuantumCircuit, events: list[tuple[int, int]], shots: int, seed: int | None, rng: Any
) -> np.ndarray:
    """``(shots, clbits)`` noiseless outcomes, sampled from the final stabilizer state.

    Measured in the Z basis, a stabilizer state gives every outcome of ``x0 + span(X parts of
    its stabilizers)`` with equal probability: one Aer shot gives ``x0`` and the state, the rest
    is GF(2) arithmetic.
    """
    unitary = QuantumCircuit(circuit.num_qubits, circuit.num_clbits)
    for inst in circuit.data:
        if inst.operation.name not in ("measure", "barrier", "delay"):
            unitary.append(inst)
    unitary.save_stabilizer()
    for qubit, clbit in events:
        unitary.measure(qubit, clbit)
    run = {"shots": 1, "memory": True}
    if seed is not None:
        run["seed_simulator"] = seed
    result = _aer().run(unitary, **run).result()
    first = memory_bits(
        np.array([int(result.results[0].data.memory[0], 16)], dtype=object), circuit.num_clbits
    )
    stabilizers = np.asarray(result.data(0)["stabilizer"].clifford.stab_x, dtype=bool)
    basis = _row_basis(stabilizers)
    coefficients = rng.integers(0, 2, size=(shots, len(basis)), dtype=np.uint8)
    flips = (coefficients.astype(np.int64) @ basis.astype(np.int64)) & 1  # (shots, qubits)
    bits = np.repeat(first, shots, axis=0)
    for qubit, clbit in events:
        bits[:, clbit] = first[0, clbit] ^ flips[:, qubit].astype(bool)
    return bits


_AER: list[Any] = []


def _aer() -> Any:
    if not _AER:
        from qiskit_aer import AerSimulator

        _AER.append(AerSimulator(method="stabilizer", max_parallel_threads=1))
    return _AER[0]


def _sample_one(
    circuit: QuantumCircuit, shots: int, seed: int | None, tables: _NoiseTables, rng: Any
) -> np.ndarray:
    steps = _steps(circuit)
    assert steps is not None  # checked by frames_apply
    events = _frame_flips(steps, circuit.num_qubits, shots, tables, rng)
    bits = _ideal_bits(circuit, [(q, c) for q, c, _ in events], shots, seed, rng)
    for qubit, clbit, flip in events:
        true = bits[:, clbit] ^ flip
        p10, p01 = tables.readout.get(qubit, (0.0, 0.0))
        draw = rng.random(shots)
        bits[:, clbit] = true ^ np.where(true, draw < p01, draw < p10)
    return _ints(bits)


def run_pauli_frames(
    circuits: Sequence[QuantumCircuit],
    *,
    shots: int,
    seed: int | None,
    noise: NoiseModel,
) -> list[np.ndarray]:
    """Sample ``circuits`` under ``noise`` with Pauli frames (see the module docstring).

    Args:
        circuits: Clifford circuits with terminal measurements (:func:`frames_apply`).
        shots: Shots per circuit.
        seed: Seed of the random draws, or None.
        noise: The Pauli noise model, in the circuits' qubit numbering.

    Returns:
        One array of ``shots`` integers per circuit (bit ``i`` is clbit ``i``).
    """
    tables = _tables(noise)
    assert tables is not None  # checked by frames_apply
    rng = np.random.default_rng(seed)
    return [_sample_one(c, shots, seed, tables, rng) for c in circuits]
