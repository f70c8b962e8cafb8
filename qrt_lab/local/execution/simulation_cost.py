"""What simulating a compact circuit would cost, per Aer method, before anything runs.

Memory is exact up to small overheads (state sizes are known); time is a model whose constants
(below) were fitted to ``python benchmarks/bench_simulation_plans.py methods`` on the 2-core
development machine with qiskit-aer 0.18, aiming at a factor of two either way on an idle
machine. They rank the methods and decide the 1519 refusals; matrix-product-state estimates
may be replaced by a measured trajectory (:mod:`.mps_probe`).

The matrix-product-state method's cost depends on how much entanglement the circuit can build
across each cut of a line of qubits. Every two-qubit gate crossing a cut at most doubles (``cz``,
``cx``, ``ecr``, ``rzz``...) or quadruples (``swap``, general unitaries) the Schmidt rank there,
and noise acts qubit by qubit, so the bond dimension of every noise trajectory is bounded by
``2 ** min(left qubits, right qubits, crossing ranks)``. The qubits are laid on the line in the
order (of a few candidates) that keeps that bound smallest.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from qiskit.circuit import QuantumCircuit

__all__ = [
    "EXPERIMENT_SECONDS",
    "CostEstimate",
    "bond_exponents",
    "estimate_cost",
    "line_order",
    "mps_trajectory_seconds",
]

_AMPLITUDE_BYTES = 16
#: Gates whose operator Schmidt rank is 2 (one bit of entanglement per crossing).
_RANK_TWO = frozenset(
    {"cx", "cy", "cz", "ch", "ecr", "cp", "crx", "cry", "crz", "rzz", "rxx", "ryy", "rzx", "cs"}
    | {"csdg", "csx", "cu", "cu1", "cu3", "cphase", "ms"}
)
_NOT_GATES = frozenset({"barrier", "measure", "reset", "delay"})
# Calibration: fitted to `python benchmarks/bench_simulation_plans.py methods` (CPU time per
# thread, i.e. an idle machine) on the 2-core development machine, qiskit-aer 0.18; rerun it
# after changing any of these and keep every est/cpu ratio within 2x.
#: Seconds per amplitude and operation, one thread (statevector, density matrix).
_SV_SECONDS = 4.5e-9
_DM_SECONDS = 4e-9
#: Seconds per shot and measured qubit (sampling, readout errors, memory conversion).
_SHOT_SECONDS = 5e-6
#: Seconds per operation of a matrix-product-state trajectory: fixed part, per chi**3 per cut
#: a two-qubit gate spans, and per measured qubit.
_MPS_OP_SECONDS = 7e-6
_MPS_CHI3_SECONDS = 5e-7
_MPS_MEASURE_SECONDS = 1e-5
#: Aer's noisy stabilizer: seconds per operation, qubit and shot, one thread.
_STABILIZER_SECONDS = 2e-7
#: Pauli frames: fixed part (one noiseless shot), per step and shot, per qubit squared and shot.
_FRAMES_FIXED_SECONDS = 0.005
_FRAME_SECONDS = 1.8e-8
_FRAME_QUBIT2_SECONDS = 1e-9
#: Fixed cost of one experiment (set-up, noise sampling tables, result conversion).
EXPERIMENT_SECONDS = 2e-3
#: Noise operations per gate (relaxation and depolarizing) when the run is noisy.
_NOISE_OPS_PER_GATE = 1.0


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
    """

    method: str
    memory_bytes: float
    seconds: float
    bond_dimension: int = 0
    probe_seconds: float = 0.0
    serial_seconds: float = 0.0

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


def _gate_qubits(circuit: QuantumCircuit) -> list[tuple[str, tuple[int, ...]]]:
    return [
        (inst.operation.name, tuple(circuit.find_bit(q).index for q in inst.qubits))
        for inst in circuit.data
        if inst.operation.name not in _NOT_GATES
    ]


def _crossing_bits(name: str, width: int) -> int:
    if width < 2:
        return 0
    return (1 if name in _RANK_TWO else 2) * (width - 1)


def bond_exponents(circuit: QuantumCircuit, order: Sequence[int]) -> list[int]:
    """Per cut of the line ``order``: log2 of the bound on the Schmidt rank across it."""
    n = circuit.num_qubits
    position = {q: i for i, q in enumerate(order)}
    crossings = [0] * max(n - 1, 0)
    for name, qubits in _gate_qubits(circuit):
        if len(qubits) < 2:
            continue
        spots = [position[q] for q in qubits]
        bits = _crossing_bits(name, len(qubits))
        for cut in range(min(spots), max(spots)):
            crossings[cut] += bits
    return [min(c, k + 1, n - k - 1) for k, c in enumerate(crossings)]


def _neighbours(circuit: QuantumCircuit) -> list[set[int]]:
    graph: list[set[int]] = [set() for _ in range(circuit.num_qubits)]
    for _, qubits in _gate_qubits(circuit):
        for a in qubits:
            graph[a].update(b for b in qubits if b != a)
    return graph


def _farthest(graph: list[set[int]], start: int) -> int:
    seen, queue, last = {start}, deque([start]), start
    while queue:
        last = queue.popleft()
        for b in sorted(graph[last]):
            if b not in seen:
                seen.add(b)
                queue.append(b)
    return last


def _walk(graph: list[set[int]], start_of: list[int], depth_first: bool) -> list[int]:
    order: list[int] = []
    seen: set[int] = set()
    for start in start_of:
        if start in seen:
            continue
        seen.add(start)
        frontier = deque([start])
        while frontier:
            q = frontier.pop() if depth_first else frontier.popleft()
            order.append(q)
            fresh = sorted((b for b in graph[q] if b not in seen), key=lambda b: len(graph[b]))
            if depth_first:
                fresh.reverse()
            seen.update(fresh)
            frontier.extend(fresh)
    return order


def _score(circuit: QuantumCircuit, order: Sequence[int]) -> tuple[int, int]:
    exponents = bond_exponents(circuit, order)
    return max(exponents, default=0), sum(8**e for e in exponents)


def line_order(circuit: QuantumCircuit) -> tuple[int, ...]:
    """An order of the qubits on a line that keeps the matrix-product-state bond bound small.

    Candidates are the given order and walks of the interaction graph (depth-first and
    breadth-first) from an end of it; the one with the smallest bound wins.
    """
    n = circuit.num_qubits
    identity = tuple(range(n))
    if n < 3:
        return identity
    graph = _neighbours(circuit)
    ends = sorted(range(n), key=lambda q: (len(graph[q]) == 0, q))
    peripheral = _farthest(graph, ends[0])
    starts = [peripheral, *range(n)]
    candidates = [identity]
    candidates += [tuple(_walk(graph, starts, depth_first)) for depth_first in (True, False)]
    return min(candidates, key=lambda order: _score(circuit, order))


def _operations(circuit: QuantumCircuit, noisy: bool) -> float:
    gates = sum(1 for name, _ in _gate_qubits(circuit) if name != "rz")
    return max(gates * (1 + (_NOISE_OPS_PER_GATE if noisy else 0.0)), 1.0)


def mps_trajectory_seconds(circuit: QuantumCircuit, order: Sequence[int], noisy: bool) -> float:
    """One matrix-product-state trajectory: every gate at the bond bound of its time.

    The bound across each cut grows as gates cross it, so early gates are cheap; a two-qubit
    gate costs ``chi**3`` per cut it spans (Aer swaps the qubits next to each other), every
    gate and noise operation a fixed part, and the measurement a part per qubit.
    """
    n = circuit.num_qubits
    position = {q: i for i, q in enumerate(order)}
    crossings = [0] * max(n - 1, 0)
    caps = [min(k + 1, n - k - 1) for k in range(n - 1)]
    seconds = _MPS_MEASURE_SECONDS * n
    for name, qubits in _gate_qubits(circuit):
        if name == "rz":
            continue
        seconds += _MPS_OP_SECONDS * (1 + (_NOISE_OPS_PER_GATE if noisy else 0.0))
        if len(qubits) < 2:
            continue
        spots = [position[q] for q in qubits]
        cuts = range(min(spots), max(spots))
        bits = _crossing_bits(name, len(qubits))
        for cut in cuts:
            crossings[cut] += bits
        chi = 2.0 ** max(min(crossings[c], caps[c]) for c in cuts)
        seconds += _MPS_CHI3_SECONDS * len(cuts) * chi**3
    return float(seconds)


def _frame_steps(circuit: QuantumCircuit, noisy: bool) -> float:
    gates = sum(1 for _ in _gate_qubits(circuit))
    noisy_gates = sum(1 for name, _ in _gate_qubits(circuit) if name != "rz") if noisy else 0
    return float(gates + noisy_gates + circuit.num_qubits)


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
            rather than one Aer tableau per shot.
        sampled: False when a density matrix gives exact expectation values (no shots drawn).
    """
    n = circuit.num_qubits
    ops = _operations(circuit, noisy)
    threads = max(threads, 1)
    # Noisy statevector, MPS and stabilizer runs simulate one trajectory per shot, in parallel.
    trajectories = shots if noisy else 1
    copies = min(threads, trajectories)
    bond = 0
    line = order or range(n)
    if method == "density_matrix":
        memory = float(_AMPLITUDE_BYTES) * 4.0**n
    elif method == "statevector":
        memory = float(_AMPLITUDE_BYTES) * 2.0**n * copies
    elif method == "matrix_product_state":
        chis = [1, *(2**e for e in bond_exponents(circuit, line)), 1]
        memory = (
            float(sum(2 * _AMPLITUDE_BYTES * a * b for a, b in itertools.pairwise(chis))) * copies
        )
        bond = max(chis)
    elif frames and noisy:
        memory = float(shots) * n * 4 + float(n * n) * 2
    else:
        memory = float(n * n) * 2 * copies

    def wall(threads: int) -> float:
        copies = min(threads, trajectories)
        if method == "density_matrix":
            seconds = ops * 4.0**n * _DM_SECONDS / threads + sampled * shots * n * _SHOT_SECONDS
        elif method == "statevector":
            # Unseeded runs use shot branching, which can halve this: an upper bound.
            per_trajectory = ops * 2.0**n * _SV_SECONDS + n * _SHOT_SECONDS
            seconds = trajectories * per_trajectory / copies
        elif method == "matrix_product_state":
            seconds = trajectories * mps_trajectory_seconds(circuit, line, noisy) / copies
        elif frames and noisy:
            # Pauli frames: bit arithmetic over all shots at once, one thread (numpy)
            steps = _frame_steps(circuit, noisy) * _FRAME_SECONDS + n * n * _FRAME_QUBIT2_SECONDS
            seconds = _FRAMES_FIXED_SECONDS + shots * steps
        else:
            seconds = trajectories * ops * n * _STABILIZER_SECONDS / copies
        return float((seconds + EXPERIMENT_SECONDS) * experiments)

    return CostEstimate(method, memory, wall(threads), bond, serial_seconds=wall(1))
