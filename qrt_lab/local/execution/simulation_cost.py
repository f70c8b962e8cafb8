"""What simulating a compact circuit would cost, per Aer method, before anything runs.

Memory is exact up to small overheads (state sizes are known). Time is a sum of terms
(:func:`cost_terms`): each an amount of work the method does (a fixed cost per run, amplitude
operations, steps, shots...) times a constant of :data:`CONSTANTS`, fitted to measured runs by
``python benchmarks/bench_simulation_plans.py methods fit`` and aiming at a factor of two either
way. A fixed cost is a term of its own, never folded into a per-shot cost: small runs are
dominated by it. The estimates rank the methods and decide the 1519 refusals;
matrix-product-state estimates may be replaced by a measured trajectory (:mod:`.mps_probe`).

The matrix-product-state bound and line order are in :mod:`.mps_line`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from qiskit.circuit import QuantumCircuit

from .mps_line import bond_exponents, crossing_bits, gate_qubits, line_order

__all__ = [
    "CONSTANTS",
    "EXPERIMENT_SECONDS",
    "CostEstimate",
    "Term",
    "bond_exponents",
    "cost_terms",
    "estimate_cost",
    "line_order",
    "mps_trajectory_seconds",
    "mps_trajectory_work",
    "seconds_of",
]

_AMPLITUDE_BYTES = 16
# Calibration: seconds per unit of each term of :func:`cost_terms`, fitted by
# `python benchmarks/bench_simulation_plans.py methods fit` to the CPU time of the simulations
# of the benchmark's fit circuits (CPU time: what the run costs whatever else the machine
# runs) on the 2-core development machine, qiskit-aer 0.18; the same command checks them on
# held-out circuits. Refit after changing the model or these.
CONSTANTS: dict[str, float] = {
    # density matrix: per run, per amplitude (4**n) and operation, per shot and qubit
    "dm_run": 0.0345,
    "dm_amplitude_op": 3e-09,
    "dm_shot_qubit": 3.77e-07,
    # statevector: per run, per amplitude (2**n) and operation of every trajectory (up to
    # _FUSED_FROM qubits, and above, where Aer fuses gates), per amplitude of every trajectory
    # (its start and sampling), per shot and qubit
    "sv_run": 0.0,
    "sv_amplitude_op": 6.14e-09,
    "sv_fused_amplitude_op": 2.75e-09,
    "sv_trajectory_amplitude": 0.0,
    "sv_shot_qubit": 0.0,
    # matrix product states: per run; per operation and qubit (Aer's bookkeeping of the line
    # is O(n) per operation), per chi**3 and cut a two-qubit gate spans, per measured qubit,
    # each of every trajectory
    "mps_run": 0.0189,
    "mps_op_qubit": 2.76e-07,
    "mps_chi3": 3.47e-07,
    "mps_qubit": 0.0,
    # Aer's stabilizer tableau: per run; per shot, per operation and 64-qubit word, per qubit
    # squared (the measurements), each of every trajectory
    "stabilizer_run": 0.0751,
    "stabilizer_shot": 2.74e-06,
    "stabilizer_op_word": 1.88e-06,
    "stabilizer_qubit2": 1.02e-07,
    # Pauli frames: per run (one noiseless Aer shot, set-up), per step (a gate, its error or a
    # measurement: a few numpy calls), per step and shot, per shot of memory wider than 63 bits
    "frames_run": 0.0,
    "frames_step": 2.95e-05,
    "frames_step_shot": 5.36e-09,
    "frames_wide_shot": 9.45e-06,
}
#: Fixed cost of one experiment beside a measured matrix-product-state trajectory (result
#: conversion), used by :mod:`.mps_probe`.
EXPERIMENT_SECONDS = 2e-3
#: Statevectors wider than this run Aer's gate fusion (measured: half the cost per operation).
_FUSED_FROM = 14
#: Noise operations per gate (relaxation and depolarizing) when the run is noisy.
_NOISE_OPS_PER_GATE = 1.0


@dataclass(frozen=True)
class Term:
    """An amount of one kind of work; it takes ``CONSTANTS[name]`` seconds per unit.

    Attributes:
        name: The key of :data:`CONSTANTS`.
        amount: Units of work (1 for a fixed cost per run).
        parallel: Whether the threads share it (noise trajectories, a dense state's amplitudes).
    """

    name: str
    amount: float
    parallel: bool = False


@dataclass(frozen=True)
class CostEstimate:
    """Estimated peak memory and run time of one method for one pub.

    Attributes:
        method: The Aer method.
        memory_bytes: Peak memory of the simulator's states.
        seconds: Wall time on the threads given.
        bond_dimension: The largest bond dimension (matrix product states only).
        probe_seconds: When ``seconds`` comes from one measured trajectory, how long it took.
        serial_seconds: Wall time on one thread (0: unknown, ``seconds`` times the threads).
        terms: The work the time estimate is made of (empty when it comes from a probe).
    """

    method: str
    memory_bytes: float
    seconds: float
    bond_dimension: int = 0
    probe_seconds: float = 0.0
    serial_seconds: float = 0.0
    terms: tuple[Term, ...] = ()

    def describe(self) -> str:
        """One line: method, memory and time, for logs and error messages."""
        bond = f", bond dimension <= {self.bond_dimension}" if self.bond_dimension else ""
        return (
            f"{self.method}: about {_size(self.memory_bytes)} of memory and "
            f"{_duration(self.seconds)}{bond}"
        )


def _size(num_bytes: float) -> str:
    if num_bytes >= 2**50:
        return f"2^{math.log2(num_bytes):.0f} bytes"
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if num_bytes >= scale:
            return f"{num_bytes / scale:.1f} {unit}"
    return f"{max(num_bytes / 2**10, 0.1):.1f} KiB"


def _duration(seconds: float) -> str:
    if seconds >= 3.2e7:
        return f"{seconds / 3.15e7:.2g} years"
    if seconds >= 7200:
        return f"{seconds / 3600:.1f} hours"
    if seconds >= 120:
        return f"{seconds / 60:.1f} minutes"
    return f"{seconds:.1f} s"


def _operations(circuit: QuantumCircuit, noisy: bool) -> float:
    gates = sum(1 for name, _ in gate_qubits(circuit) if name != "rz")
    return max(gates * (1 + (_NOISE_OPS_PER_GATE if noisy else 0.0)), 1.0)


def mps_trajectory_work(
    circuit: QuantumCircuit, order: Sequence[int], noisy: bool
) -> tuple[float, float, float]:
    """One matrix-product-state trajectory's work: operations times qubits, sum of ``chi**3``
    and qubits.

    The bound across each cut grows as gates cross it, so early gates are cheap; a two-qubit
    gate costs ``chi**3`` per cut it spans (Aer swaps the qubits next to each other) at the
    bond bound of its time, every gate and noise operation a fixed part, and the measurement
    a part per qubit.
    """
    n = circuit.num_qubits
    position = {q: i for i, q in enumerate(order)}
    crossings = [0] * max(n - 1, 0)
    caps = [min(k + 1, n - k - 1) for k in range(n - 1)]
    operations = chi3 = 0.0
    for name, qubits in gate_qubits(circuit):
        if name == "rz":
            continue
        operations += 1 + (_NOISE_OPS_PER_GATE if noisy else 0.0)
        if len(qubits) < 2:
            continue
        spots = [position[q] for q in qubits]
        cuts = range(min(spots), max(spots))
        bits = crossing_bits(name, len(qubits))
        for cut in cuts:
            crossings[cut] += bits
        chi = 2.0 ** max(min(crossings[c], caps[c]) for c in cuts)
        chi3 += len(cuts) * chi**3
    return operations * n, chi3, float(n)


def mps_trajectory_seconds(circuit: QuantumCircuit, order: Sequence[int], noisy: bool) -> float:
    """One matrix-product-state trajectory on one thread (see :func:`mps_trajectory_work`)."""
    operations, chi3, qubits = mps_trajectory_work(circuit, order, noisy)
    return float(
        CONSTANTS["mps_op_qubit"] * operations
        + CONSTANTS["mps_chi3"] * chi3
        + CONSTANTS["mps_qubit"] * qubits
    )


def _frame_steps(circuit: QuantumCircuit) -> float:
    """Pauli-frame steps: every gate, its error, every measurement (one numpy pass each)."""
    steps = 0
    for name, _ in gate_qubits(circuit):
        steps += 1 if name == "rz" else 2
    return float(steps + circuit.num_qubits)


def cost_terms(
    method: str,
    circuit: QuantumCircuit,
    *,
    shots: int,
    noisy: bool,
    order: Sequence[int] | None = None,
    frames: bool = False,
    sampled: bool = True,
) -> tuple[Term, ...]:
    """The work of one experiment of ``method``, term by term (see :data:`CONSTANTS`).

    Every term is an amount of work that takes a fitted number of seconds per unit: a fixed
    cost per run (amount 1), per gate, per amplitude and operation, per shot... Terms marked
    ``parallel`` are shared among the threads (noise trajectories, or a state's amplitudes).
    """
    n = circuit.num_qubits
    trajectories = float(shots if noisy else 1)
    if method == "stabilizer" and frames and noisy:
        # Pauli frames: one noiseless Aer shot and per step a few numpy passes over all the
        # shots at once, so each step has a fixed part and a part per shot; memory wider
        # than 63 bits is converted shot by shot.
        steps = _frame_steps(circuit)
        wide = float(shots) if circuit.num_clbits > 63 else 0.0
        return (
            Term("frames_run", 1.0),
            Term("frames_step", steps),
            Term("frames_step_shot", steps * shots),
            Term("frames_wide_shot", wide),
        )
    ops = _operations(circuit, noisy)
    if method == "density_matrix":
        return (
            Term("dm_run", 1.0),
            Term("dm_amplitude_op", ops * 4.0**n, parallel=True),
            Term("dm_shot_qubit", float(shots * n) if sampled else 0.0),
        )
    if method == "statevector":
        return (
            Term("sv_run", 1.0),
            Term(
                "sv_fused_amplitude_op" if n > _FUSED_FROM else "sv_amplitude_op",
                trajectories * ops * 2.0**n,
                parallel=True,
            ),
            Term("sv_trajectory_amplitude", trajectories * 2.0**n, parallel=True),
            Term("sv_shot_qubit", float(shots * n), parallel=noisy),
        )
    if method == "matrix_product_state":
        operations, chi3, qubits = mps_trajectory_work(circuit, order or range(n), noisy)
        return (
            Term("mps_run", 1.0),
            Term("mps_op_qubit", trajectories * operations, parallel=True),
            Term("mps_chi3", trajectories * chi3, parallel=True),
            Term("mps_qubit", trajectories * qubits, parallel=True),
        )
    # Aer's stabilizer tableau, one per trajectory: a gate updates n rows of bits packed in
    # 64-bit words (n/64 words each, so a fixed cost below 64 qubits), a measurement O(n**2)
    words = float(math.ceil(n / 64))
    return (
        Term("stabilizer_run", 1.0),
        Term("stabilizer_shot", trajectories, parallel=True),
        Term("stabilizer_op_word", trajectories * ops * words, parallel=True),
        Term("stabilizer_qubit2", trajectories * n * n, parallel=True),
    )


def seconds_of(terms: Sequence[Term], copies: int = 1) -> float:
    """The seconds ``terms`` take with ``copies`` running the parallel terms at once."""
    copies = max(copies, 1)
    return float(sum(CONSTANTS[t.name] * t.amount / (copies if t.parallel else 1) for t in terms))


def _memory(
    method: str, circuit: QuantumCircuit, shots: int, copies: int, line: Sequence[int], frames: bool
) -> tuple[float, int]:
    n = circuit.num_qubits
    if method == "density_matrix":
        return float(_AMPLITUDE_BYTES) * 4.0**n, 0
    if method == "statevector":
        return float(_AMPLITUDE_BYTES) * 2.0**n * copies, 0
    if method == "matrix_product_state":
        chis = [1, *(2**e for e in bond_exponents(circuit, line)), 1]
        pairs = sum(2 * _AMPLITUDE_BYTES * a * b for a, b in itertools.pairwise(chis))
        return float(pairs) * copies, max(chis)
    if frames:
        return float(shots) * n * 4 + float(n * n) * 2, 0
    return float(n * n) * 2 * copies, 0


def estimate_cost(
    method: str,
    circuit: QuantumCircuit,
    *,
    shots: int,
    experiments: int,
    noisy: bool,
    threads: int,
    order: Sequence[int] | None = None,
    frames: bool = False,
    sampled: bool = True,
) -> CostEstimate:
    """Estimate one method's peak memory and wall time for ``experiments`` runs of ``shots``.

    Args:
        method: ``density_matrix``, ``statevector``, ``matrix_product_state`` or ``stabilizer``.
        circuit: The compact circuit.
        shots: Shots per experiment.
        experiments: Experiments (parameter rows times circuits).
        noisy: Whether a noise model with gate errors is applied (trajectories are needed).
        threads: Threads the simulator may use.
        order: The line order for matrix product states.
        frames: Whether a noisy stabilizer run samples Pauli frames (:mod:`.pauli_frames`)
            rather than one Aer tableau per shot (one thread, vectorised over the shots).
        sampled: False when a density matrix gives exact expectation values (no shots drawn).
    """
    threads = max(threads, 1)
    frames = frames and noisy and method == "stabilizer"
    line = order or range(circuit.num_qubits)
    trajectories = shots if noisy else 1
    # noise trajectories run in parallel, one per thread; dense states share their amplitudes
    parallel = threads if method == "density_matrix" else min(threads, trajectories)
    if method == "statevector" and not noisy:
        parallel = threads
    if frames:
        parallel = 1
    memory, bond = _memory(method, circuit, shots, min(threads, trajectories), line, frames)
    one = cost_terms(
        method, circuit, shots=shots, noisy=noisy, order=line, frames=frames, sampled=sampled
    )
    terms = tuple(Term(t.name, t.amount * experiments, t.parallel) for t in one)
    return CostEstimate(
        method,
        memory,
        seconds_of(terms, parallel),
        bond,
        serial_seconds=seconds_of(terms),
        terms=terms,
    )
