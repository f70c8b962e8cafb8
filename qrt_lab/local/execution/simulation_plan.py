"""How a compact circuit is simulated: Aer method, noise model and resources, chosen per circuit.

Every method runs the device's full noise on the active qubits (thermal relaxation and
dephasing from T1, T2 and gate lengths, depolarizing sized to the calibrated gate errors,
readout errors), except the stabilizer method, which can only run its Pauli part:

* small circuits: ``density_matrix`` (exact mixed state, one run for all shots);
* the middle range: ``statevector`` with one noise trajectory per shot (without a seed, Aer's
  shot branching shares the work of shots whose trajectories have not diverged yet; it does not
  honour seeds, so seeded jobs run without it);
* wide circuits of little entanglement: ``matrix_product_state`` trajectories, with the qubits
  laid on a line in the order that keeps the bond dimension bound smallest, and each gate's
  error as its Pauli twirl (see :mod:`.noise`: same gate fidelities and T1/T2 decay rates);
* Clifford circuits wider than ``MAX_EXACT_NOISY_QUBITS``: ``stabilizer`` with depolarizing and
  readout errors (relaxation's non-Pauli part dropped, said in the job's log and metadata),
  sampled with Pauli frames when the measurements are terminal (:mod:`.pauli_frames`).

Every method runs on all the cores once its estimate passes half a second (shorter runs stay
on one thread: the worker pool is the parallelism); Pauli frames are one vectorised thread.

Among the methods that fit in memory the one with the smallest estimated time wins (see
:mod:`.simulation_cost`). A job that fits none fails before anything runs (1518), and one whose
best estimate exceeds ``QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS`` fails too (1519, see
:mod:`.simulation_limits`); both say the
estimate, the limit and what to do. Aer's GPU build is used when it is installed.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from qiskit.circuit import ParameterExpression, QuantumCircuit
from qiskit_aer.noise import NoiseModel

from qrt_lab.local.devices.model import DeviceModel

from .mps_probe import probe_worthwhile, probed
from .noise import noise_model_for, with_idle_relaxation
from .pauli_frames import frames_circuit
from .simulation_cost import CostEstimate, estimate_cost, line_order
from .simulation_limits import check_limits, memory_limit_bytes, time_limit_seconds

__all__ = [
    "MAX_EXACT_NOISY_QUBITS",
    "MAX_IDEAL_QUBITS",
    "SimulationPlan",
    "aer_device",
    "is_clifford",
    "memory_limit_bytes",
    "peak_memory_bytes",
    "plan_simulation",
    "time_limit_seconds",
    "with_delay_noise",
]

#: Widest Clifford circuit run with the full noise model; wider ones go to the stabilizer method.
MAX_EXACT_NOISY_QUBITS = 12
#: Widest statevector that fits in 24 GiB next to a worker (the memory estimate decides).
MAX_IDEAL_QUBITS = 29
#: Below this width Aer's automatic choice (density matrix with noise) is already the best.
_AUTOMATIC_UP_TO = 8
#: Jobs estimated below this run single-threaded: the worker pool is the parallelism.
_THREADED_FROM_SECONDS = 0.5
_CLIFFORD = frozenset(
    {"id", "x", "y", "z", "h", "s", "sdg", "sx", "sxdg", "cx", "cy", "cz", "ecr", "swap"}
    | {"measure", "reset", "barrier", "delay"}
)


@dataclass(frozen=True)
class SimulationPlan:
    """Aer method, noise model and run options for one compact circuit.

    Attributes:
        method: The Aer simulation method.
        noise: The noise model (in ``order``'s qubit numbering), or None for an ideal run.
        approximate_noise: True when only the Pauli part of the noise is simulated.
        order: Where each compact qubit sits in the simulator (``order[i]`` is the compact
            qubit simulated as qubit ``i``), or None to keep the compact numbering.
        estimate: The cost estimate of the chosen method.
        options: Extra Aer run options (threads, GPU device, shot branching).
        noise_description: What noise is simulated, for logs and metadata.
    """

    method: str
    noise: NoiseModel | None
    approximate_noise: bool = False
    order: tuple[int, ...] | None = None
    estimate: CostEstimate | None = None
    options: dict[str, Any] = field(default_factory=dict)
    noise_description: str = "none (ideal simulator)"

    @property
    def threads(self) -> int:
        """Threads the simulation runs on (Pauli frames: one, vectorised over the shots)."""
        if self.options.get("pauli_frames"):
            return 1
        return int(self.options.get("max_parallel_threads", 1))

    @property
    def device(self) -> str:
        """``"CPU"`` or ``"GPU"``."""
        return str(self.options.get("device", "CPU"))

    def facts(self, seconds: float) -> dict[str, Any]:
        """What was simulated how, as JSON-able facts for result metadata and job metadata.

        Args:
            seconds: How long the simulation took.
        """
        facts: dict[str, Any] = {
            "method": self.method,
            "device": self.device,
            "noise": self.noise_description,
            "approximate_noise": self.approximate_noise,
            "threads": self.threads,
            "seconds": round(seconds, 6),
            "worker_peak_memory_bytes": peak_memory_bytes(),
        }
        if self.options.get("pauli_frames"):
            facts["pauli_frames"] = True
        if self.estimate is not None:
            facts["estimated_memory_bytes"] = int(self.estimate.memory_bytes)
            facts["estimated_seconds"] = round(self.estimate.seconds, 6)
            if self.estimate.bond_dimension:
                facts["bond_dimension_bound"] = self.estimate.bond_dimension
            if self.estimate.probe_seconds:
                facts["probe_trajectory_seconds"] = round(self.estimate.probe_seconds, 6)
        return facts


def peak_memory_bytes() -> int:
    """This process's peak resident memory so far (``ru_maxrss``), or 0 where unknown."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * scale


def _clifford_angle(value: object) -> bool:
    if isinstance(value, ParameterExpression):
        return False
    quarter_turns = float(value) / (math.pi / 2)  # type: ignore[arg-type]
    return abs(quarter_turns - round(quarter_turns)) < 1e-9


def is_clifford(circuit: QuantumCircuit) -> bool:
    """Whether every instruction is a Clifford gate (``rz`` by multiples of pi/2 included)."""
    for inst in circuit.data:
        name = inst.operation.name
        if name == "rz":
            if not _clifford_angle(inst.operation.params[0]):
                return False
        elif name not in _CLIFFORD:
            return False
    return True


@lru_cache(maxsize=1)
def aer_device() -> str:
    """``"GPU"`` when qiskit-aer's GPU build sees a GPU, else ``"CPU"``."""
    from qiskit_aer import AerSimulator

    try:
        devices = AerSimulator().available_devices()
    except Exception:  # noqa: BLE001 - a broken GPU driver must not break CPU simulation
        return "CPU"
    return "GPU" if "GPU" in devices else "CPU"


def _threads() -> int:
    return max(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 1)


def _noise_text(model: DeviceModel, pauli: bool, twirled: bool = False) -> str:
    if pauli:
        return f"{model.name} calibration, Pauli part: depolarizing gate errors and readout errors"
    if twirled:
        return (
            f"{model.name} calibration: thermal relaxation and dephasing (T1, T2, gate lengths) "
            f"and depolarizing gate errors as their Pauli twirl (same gate fidelities and decay "
            f"rates), exact relaxation during delays, readout errors"
        )
    return (
        f"{model.name} calibration: thermal relaxation and dephasing (T1, T2, gate lengths), "
        f"depolarizing gate errors, readout errors"
    )


def plan_simulation(
    compact: QuantumCircuit,
    model: DeviceModel,
    physical: tuple[int, ...],
    pub: int,
    *,
    shots: int = 1024,
    experiments: int = 1,
    gates: Collection[tuple[str, tuple[int, ...]]] | None = None,
    exact: bool = False,
) -> SimulationPlan:
    """Choose how to simulate ``compact`` (qubit ``i`` is physical qubit ``physical[i]``).

    Args:
        compact: The compact circuit.
        model: The device.
        physical: The physical qubit of every compact qubit.
        pub: The pub index, for messages.
        shots: Shots per experiment.
        experiments: Experiments the pub runs (parameter rows times measurement bases).
        gates: The ``(name, physical qubits)`` gates that will run, when ``compact`` is final
            (the noise model then covers only those); None to cover every gate on ``physical``.
        exact: Whether a density matrix would give exact expectation values rather than
            sample shots (the estimator's measurement-free pubs): its cost is then independent
            of the shots.

    Raises:
        JobFailure: 1518 when no method fits in memory, 1519 when the best would run too long.
    """
    width = len(physical)
    noisy = not model.is_simulator and bool(model.qubits)
    if noisy and width <= _AUTOMATIC_UP_TO:
        return SimulationPlan(
            "automatic",
            noise_model_for(model, physical, gates=gates),
            noise_description=_noise_text(model, False),
        )
    clifford = is_clifford(compact)
    if noisy and clifford and width > MAX_EXACT_NOISY_QUBITS:
        return _stabilizer_plan(compact, model, physical, pub, shots, experiments, gates)
    if not noisy and (clifford or width <= _AUTOMATIC_UP_TO):
        return SimulationPlan("automatic", None)
    return _costed_plan(compact, model, physical, pub, shots, experiments, noisy, gates, exact)


def _stabilizer_plan(
    compact: QuantumCircuit,
    model: DeviceModel,
    physical: tuple[int, ...],
    pub: int,
    shots: int,
    experiments: int,
    gates: Collection[tuple[str, tuple[int, ...]]] | None,
) -> SimulationPlan:
    """Noisy Clifford circuits: Pauli frames when measurements are terminal, else Aer's tableau."""
    threads = _threads()
    frames = frames_circuit(compact)
    estimate = estimate_cost(
        "stabilizer",
        compact,
        shots=shots,
        experiments=experiments,
        noisy=True,
        threads=threads,
        frames=frames,
    )
    check_limits(pub, len(physical), [estimate])
    estimate, options = _run_options(estimate, threads, True, frames)
    noise = noise_model_for(model, physical, pauli=True, gates=gates)
    return SimulationPlan(
        "stabilizer", noise, True, None, estimate, options, _noise_text(model, True)
    )


def _run_options(
    best: CostEstimate, threads: int, noisy: bool, frames: bool = False
) -> tuple[CostEstimate, dict[str, Any]]:
    """Aer options: the memory limit, and every core for runs estimated long enough to gain.

    ``best`` is estimated on ``threads``; a run kept on one thread gets its one-thread estimate.
    """
    options: dict[str, Any] = {"max_memory_mb": int(memory_limit_bytes() / 2**20)}
    if frames:
        options["pauli_frames"] = True  # one vectorised thread: the estimate already says so
        return best, options
    serial = best.serial_seconds or best.seconds * threads
    if serial < _THREADED_FROM_SECONDS * threads or threads == 1:
        return dataclasses.replace(best, seconds=serial), options
    options["max_parallel_threads"] = threads
    # trajectories (one per shot) run in parallel; an ideal run parallelises its state
    options["max_parallel_shots"] = threads if noisy else 1
    return best, options


def _candidates(width: int, noisy: bool) -> list[str]:
    methods = []
    if noisy and width <= 16:
        methods.append("density_matrix")
    methods.append("statevector")
    methods.append("matrix_product_state")
    return methods


def _costed_plan(
    compact: QuantumCircuit,
    model: DeviceModel,
    physical: tuple[int, ...],
    pub: int,
    shots: int,
    experiments: int,
    noisy: bool,
    gates: Collection[tuple[str, tuple[int, ...]]] | None,
    exact: bool = False,
) -> SimulationPlan:
    threads = _threads()
    order = line_order(compact)
    estimates = [
        estimate_cost(
            method,
            compact,
            shots=shots,
            experiments=experiments,
            noisy=noisy,
            threads=threads,
            order=order,
            sampled=not exact,
        )
        for method in _candidates(len(physical), noisy)
    ]
    estimates = [
        _measure_mps(e, compact, model, physical, order, shots, experiments, threads, noisy, gates)
        for e in estimates
    ]
    best, options = _run_options(check_limits(pub, len(physical), estimates), threads, noisy)
    if best.method in ("statevector", "density_matrix") and aer_device() == "GPU":
        options["device"] = "GPU"
    if best.method == "statevector" and noisy:
        options["shot_branching_enable"] = True
    use_order = best.method == "matrix_product_state" and order != tuple(range(len(order)))
    simulated = tuple(physical[q] for q in order) if use_order else physical
    # Kraus noise on matrix product states costs a norm per error; Pauli errors do not.
    twirled = best.method == "matrix_product_state"
    noise = noise_model_for(model, simulated, twirled=twirled, gates=gates) if noisy else None
    return SimulationPlan(
        best.method,
        noise,
        False,
        order if use_order else None,
        best,
        options,
        _noise_text(model, False, twirled) if noisy else "none (ideal simulator)",
    )


def _measure_mps(
    estimate: CostEstimate,
    compact: QuantumCircuit,
    model: DeviceModel,
    physical: tuple[int, ...],
    order: tuple[int, ...],
    shots: int,
    experiments: int,
    threads: int,
    noisy: bool,
    gates: Collection[tuple[str, tuple[int, ...]]] | None,
) -> CostEstimate:
    """A matrix-product-state estimate from one measured trajectory, when that is cheap."""
    if estimate.method != "matrix_product_state" or estimate.memory_bytes > memory_limit_bytes():
        return estimate
    if not probe_worthwhile(estimate, compact, order, noisy):
        return estimate
    simulated = tuple(physical[q] for q in order)
    noise = noise_model_for(model, simulated, twirled=True, gates=gates) if noisy else None
    return probed(
        estimate,
        compact,
        order,
        noise,
        shots=shots,
        experiments=experiments,
        threads=threads,
    )


def twirled_plan(
    plan: SimulationPlan, model: DeviceModel, physical: tuple[int, ...]
) -> SimulationPlan:
    """``plan`` with each gate's error replaced by its Pauli twirl (gate twirling's average).

    Averaged over randomizations, a twirled gate's noise is exactly the Pauli twirl of its
    channel; plans already on Pauli noise (stabilizer, matrix product states) are unchanged.
    """
    if plan.noise is None or plan.approximate_noise or plan.method == "matrix_product_state":
        return plan
    return dataclasses.replace(
        plan,
        noise=noise_model_for(model, physical, twirled=True),
        noise_description=_noise_text(model, False, True),
    )


def with_delay_noise(
    compact: QuantumCircuit, plan: SimulationPlan, model: DeviceModel, physical: tuple[int, ...]
) -> QuantumCircuit:
    """``compact`` with relaxation during delays when the plan simulates the full noise."""
    if plan.noise is None or plan.approximate_noise:
        return compact
    return with_idle_relaxation(compact, model, physical)
