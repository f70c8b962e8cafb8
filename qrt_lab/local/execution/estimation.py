"""The estimator program: expectation values of Pauli observables on ISA circuits (spec §5.4).

Per pub: shots = ``default_shots`` if set, else ``ceil(1/precision²)``; the observables' Pauli
terms are grouped into qubit-wise commuting bases, each basis is measured on the noisy device
for every parameter row, and each term's expectation is the mean parity of its measured bits,
readout-mitigated when measurement mitigation is on (see :mod:`.mitigation`). Pubs simulated as
a density matrix take each term's mean and variance from the exact noisy state instead of
sampling (see :mod:`.exact_expectation`). ``stds`` combine
the terms' standard errors (covariances between terms of one basis are ignored);
``ensemble_standard_error`` equals ``stds`` because twirling is simulated by its average.
With twirling on, shots are rounded up to whole randomizations (:mod:`.mitigation_options`);
ZNE and PEC run variants of the pub (:mod:`.mitigated_estimation`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.primitives.containers import DataBin, PrimitiveResult, PubResult
from qiskit.primitives.containers.estimator_pub import EstimatorPub

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import BAD_INPUT, TOO_MANY_SHOTS, JobFailure

from .compaction import active_qubits, compact_circuit
from .dynamical_decoupling import DecouplingSettings, schedule_idle_windows
from .exact_expectation import draw, exact_distributions, generator, term_moments
from .isa import check_isa
from .measurement_bases import Basis, group_qubitwise, measured_circuit, pauli_support
from .mitigation import readout_parameters, term_estimates
from .mitigation_options import randomized_shots, resilience_metadata
from .pauli_frames import memory_bits
from .primitive_options import EstimatorSettings, shots_for_precision
from .sampling import PubRun
from .simulation_plan import SimulationPlan, plan_simulation, twirled_plan, with_delay_noise
from .simulator import run_shots
from .timing import circuit_duration

__all__ = ["run_estimator"]


@dataclass
class _Plan:
    """One pub, ready to simulate."""

    pub: EstimatorPub
    shots: int
    precision: float
    physical: tuple[int, ...]
    compact: QuantumCircuit
    elements: list[dict[str, float]]
    labels: list[str]
    term_basis: list[int]
    bases: list[Basis]
    simulation: SimulationPlan
    randomizations: int | None = None
    idle: dict[str, Any] | None = None


def _elements(pub: EstimatorPub) -> list[dict[str, float]]:
    observables = pub.observables
    if observables.ndim == 0:
        return [dict(observables.tolist())]
    return [dict(observables[idx]) for idx in np.ndindex(observables.shape)]


def _target(pub: EstimatorPub, index: int, settings: EstimatorSettings) -> tuple[float, int | None]:
    """``(target precision, shots before randomization)`` of a pub."""
    if settings.default_shots:
        # default_shots wins over default_precision; the platform reports 1/sqrt(shots)
        return 1 / math.sqrt(settings.default_shots), settings.default_shots
    precision = pub.precision if pub.precision is not None else settings.default_precision
    if not 0 < precision < math.inf:
        raise JobFailure(
            f"pub {index}: precision must be a finite number > 0, got {precision!r}", BAD_INPUT
        )
    return precision, shots_for_precision(precision)


def _plan(
    pub: EstimatorPub,
    index: int,
    settings: EstimatorSettings,
    model: DeviceModel,
    circuit: QuantumCircuit | None = None,
    inject: Callable[[QuantumCircuit, tuple[int, ...]], QuantumCircuit] | None = None,
    shots: int | None = None,
) -> _Plan:
    """Plan a pub; ``circuit`` replaces its (ISA-checked) circuit, e.g. noise-amplified, and
    ``inject`` adds instructions to the compact circuit (qubit ``i`` is ``physical[i]``)."""
    precision, base = _target(pub, index, settings)
    randomizations = None
    if shots is None and base is not None and settings.mitigation is not None:
        shots, randomizations, _ = randomized_shots(base, settings.mitigation)
    elif shots is None:
        shots = base
    if shots is None or shots > model.max_shots:
        needed = "more shots than can be counted" if shots is None else f"{shots} shots"
        raise JobFailure(
            f"pub {index} needs {needed} (precision {precision}) but {model.name} allows at "
            f"most {model.max_shots}; ask for a coarser precision or fewer default_shots",
            TOO_MANY_SHOTS,
        )
    check_isa(pub.circuit, model, index)
    elements = _elements(pub)
    labels = sorted({label for element in elements for label in element} - {""})
    supports = {label: pauli_support(label) for label in labels}
    labels = [label for label in labels if supports[label]]
    touched = set(active_qubits(pub.circuit))
    touched.update(q for label in labels for q in supports[label])
    physical = tuple(sorted(touched)) or (0,)
    position = {q: i for i, q in enumerate(physical)}
    terms = [{position[q]: c for q, c in supports[label].items()} for label in labels]
    bases, term_basis = group_qubitwise(terms)
    compact = compact_circuit(pub.circuit if circuit is None else circuit, physical)
    compact, idle = schedule_idle_windows(
        compact, model, physical, settings.decoupling or DecouplingSettings()
    )
    rows = max(math.prod(pub.parameter_values.shape), 1) if compact.num_parameters else 1
    simulation = plan_simulation(
        compact,
        model,
        physical,
        index,
        shots=shots,
        experiments=rows * max(len(bases), 1),
        exact=_unitary(compact),
    )
    if settings.mitigation is not None and settings.mitigation.twirl_gates:
        simulation = twirled_plan(simulation, model, physical)
    compact = with_delay_noise(compact, simulation, model, physical)
    if inject is not None:
        compact = inject(compact, physical)
    return _Plan(
        pub,
        shots,
        precision,
        physical,
        compact,
        elements,
        labels,
        term_basis,
        bases,
        simulation,
        randomizations,
        idle,
    )


def _signs(memory: np.ndarray, offsets: list[int], wide: dict[int, np.ndarray]) -> np.ndarray:
    """``(shots, k)`` measured signs ±1 of the given clbits (memory integers).

    ``wide`` caches the bit matrix of memories wider than 63 bits (python integers), keyed by
    ``id(memory)``: many terms read the same memory.
    """
    if memory.dtype == np.uint64:
        bits = np.stack([(memory >> np.uint64(o)) & np.uint64(1) for o in offsets], axis=-1)
        return 1.0 - 2.0 * bits.astype(float)
    matrix = wide.get(id(memory))
    if matrix is None or matrix.shape[1] <= max(offsets):
        width = max(max(offsets) + 1, max((int(v).bit_length() for v in memory), default=0))
        matrix = wide[id(memory)] = memory_bits(memory, width)
    return 1.0 - 2.0 * matrix[:, offsets].astype(float)


def _term_statistics(
    plan: _Plan,
    memories: list[np.ndarray],
    rows: int,
    settings: EstimatorSettings,
    model: DeviceModel,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per label: (expectation, standard error) arrays over parameter rows."""
    base_clbits = plan.compact.num_clbits
    mitigate = settings.measure_mitigation and not model.is_simulator
    stats: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    wide: dict[int, np.ndarray] = {}
    for t, label in enumerate(plan.labels):
        b = plan.term_basis[t]
        measured = sorted(plan.bases[b])
        support = sorted(pauli_support(label))
        offsets = [base_clbits + measured.index(plan.physical.index(q)) for q in support]
        scale, offset = readout_parameters(model, support) if mitigate else (None, None)
        values, stds = np.empty(rows), np.empty(rows)
        for r in range(rows):
            signs = _signs(memories[b * rows + r], offsets, wide)
            estimates = term_estimates(signs, scale, offset)
            values[r] = estimates.mean()
            stds[r] = estimates.std() / np.sqrt(len(estimates))
        stats[label] = (values, stds)
    return stats


def _unitary(circuit: QuantumCircuit) -> bool:
    """No measurement, reset or control flow: the final state does not depend on outcomes."""
    return not any(
        inst.operation.name in ("measure", "reset") or getattr(inst.operation, "blocks", None)
        for inst in circuit.data
    )


def _exact_statistics(
    plan: _Plan,
    circuits: list[QuantumCircuit],
    rows: int,
    settings: EstimatorSettings,
    model: DeviceModel,
    seed: int | None,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per label: (expectation, standard error) from the exact noisy density matrix."""
    pub = plan.pub
    values = (
        pub.parameter_values.as_array(pub.circuit.parameters).reshape(rows, -1)
        if plan.compact.num_parameters
        else None
    )
    distributions = exact_distributions(circuits, plan.bases, plan.simulation, values)
    rng = generator(seed)
    mitigate = settings.measure_mitigation and not model.is_simulator
    stats: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for t, label in enumerate(plan.labels):
        b = plan.term_basis[t]
        basis_qubits = sorted(plan.bases[b])
        term_qubits = [plan.physical.index(q) for q in pauli_support(label)]
        means, stds = np.empty(rows), np.empty(rows)
        for r in range(rows):
            mean, variance = term_moments(
                distributions[b * rows + r],
                basis_qubits,
                term_qubits,
                plan.physical,
                model,
                mitigate,
            )
            means[r], stds[r] = draw(mean, variance, plan.shots, rng)
        stats[label] = (means, stds)
    return stats


def _pub_arrays(plan: _Plan, stats: dict[str, Any], rows: int) -> tuple[np.ndarray, np.ndarray]:
    pub = plan.pub
    shape = pub.shape
    obs_index = np.broadcast_to(np.arange(len(plan.elements)).reshape(pub.observables.shape), shape)
    param_shape = pub.parameter_values.shape
    row_index = (
        np.broadcast_to(np.arange(rows).reshape(param_shape), shape)
        if rows > 1
        else np.zeros(shape, dtype=int)
    )
    evs = np.zeros(shape)
    variances = np.zeros(shape)
    for idx in np.ndindex(shape):
        element, row = plan.elements[int(obs_index[idx])], int(row_index[idx])
        for label, coeff in element.items():
            coeff = float(np.real(coeff))
            if label in stats:
                value, std = stats[label]
                evs[idx] += coeff * value[row]
                variances[idx] += coeff**2 * std[row] ** 2
            else:
                evs[idx] += coeff
    return evs, np.asarray(np.sqrt(variances))  # 0-d array (not a float) for a shape-() PUB


def measure_pub(
    plan: _Plan, settings: EstimatorSettings, model: DeviceModel, seed: int | None
) -> tuple[np.ndarray, np.ndarray, PubRun]:
    """``(evs, stds, run)`` of a planned pub on the noisy device."""
    pub = plan.pub
    parameterised = plan.compact.num_parameters > 0
    rows = max(math.prod(pub.parameter_values.shape), 1) if parameterised else 1
    circuits = [measured_circuit(plan.compact, basis) for basis in plan.bases]
    memories: list[np.ndarray] = []
    started = time.perf_counter()
    exact = bool(circuits) and plan.simulation.method == "density_matrix" and _unitary(plan.compact)
    if exact:
        stats = _exact_statistics(plan, circuits, rows, settings, model, seed)
    elif circuits:
        values = (
            pub.parameter_values.as_array(pub.circuit.parameters).reshape(rows, -1)
            if parameterised
            else None
        )
        sim = plan.simulation
        memories = run_shots(
            circuits,
            shots=plan.shots,
            seed=seed,
            noise=sim.noise,
            parameter_rows=values,
            method=sim.method,
            options=sim.options,
            order=sim.order,
        )
    if not exact:
        stats = _term_statistics(plan, memories, rows, settings, model)
    evs, stds = _pub_arrays(plan, stats, rows)
    seconds = time.perf_counter() - started
    duration = max((circuit_duration(c, model, plan.physical) for c in circuits), default=0.0)
    sim = plan.simulation
    experiments = len(circuits) * rows
    run = PubRun(
        plan.physical,
        experiments,
        plan.shots,
        duration,
        sim.method,
        sim.approximate_noise,
        sim,
        seconds,
    )
    return evs, stds, run


def measure_batch(
    plans: list[_Plan], settings: EstimatorSettings, model: DeviceModel, seed: int | None
) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[PubRun]]:
    """:func:`measure_pub` for variants of one pub (noise-amplified or PEC-sampled circuits).

    Variants that sample shots on the same simulation plan run in one simulator call.
    """
    first = plans[0]
    same = all(
        p.simulation.method == first.simulation.method
        and p.simulation.noise is first.simulation.noise
        and p.simulation.order == first.simulation.order
        and p.shots == first.shots
        for p in plans
    )
    exact = first.simulation.method == "density_matrix" and _unitary(first.compact)
    if not same or exact or first.compact.num_parameters or not first.bases:
        out = [
            measure_pub(p, settings, model, None if seed is None else seed + i)
            for i, p in enumerate(plans)
        ]
        return [(evs, stds) for evs, stds, _ in out], [run for _, _, run in out]
    started = time.perf_counter()
    circuits = [measured_circuit(p.compact, basis) for p in plans for basis in p.bases]
    sim = first.simulation
    memories = run_shots(
        circuits,
        shots=first.shots,
        seed=seed,
        noise=sim.noise,
        method=sim.method,
        options=sim.options,
        order=sim.order,
    )
    results, width = [], len(first.bases)
    for i, plan in enumerate(plans):
        stats = _term_statistics(plan, memories[i * width : (i + 1) * width], 1, settings, model)
        results.append(_pub_arrays(plan, stats, 1))
    seconds = time.perf_counter() - started
    # the variants differ by folded gates or inserted Paulis: time the longest once
    duration = max(circuit_duration(c, model, first.physical) for c in circuits[-width:])
    runs = [
        PubRun(
            p.physical,
            len(p.bases),
            p.shots,
            duration,
            sim.method,
            sim.approximate_noise,
            sim,
            seconds / len(plans),
        )
        for p in plans
    ]
    return results, runs


def pub_metadata(plan: _Plan) -> dict[str, Any]:
    """The platform's per-pub metadata (``simulation`` is added by the caller)."""
    metadata: dict[str, Any] = {
        "shots": plan.shots,
        "target_precision": plan.precision,
        "circuit_metadata": dict(plan.pub.circuit.metadata or {}),
        "resilience": {},
    }
    if plan.randomizations is not None:
        metadata["num_randomizations"] = plan.randomizations
    if plan.idle is not None and (plan.idle["scheduled"] or "skipped" in plan.idle):
        metadata["dynamical_decoupling"] = dict(plan.idle)
    return metadata


def _run_pub(
    plan: _Plan, settings: EstimatorSettings, model: DeviceModel, seed: int | None
) -> tuple[PubResult, PubRun]:
    evs, stds, run = measure_pub(plan, settings, model, seed)
    data = DataBin(shape=plan.pub.shape, evs=evs, stds=stds, ensemble_standard_error=stds.copy())
    metadata = pub_metadata(plan)
    metadata["simulation"] = plan.simulation.facts(run.seconds)
    return PubResult(data, metadata), run


def run_estimator(
    pubs: list[EstimatorPub], settings: EstimatorSettings, model: DeviceModel
) -> tuple[PrimitiveResult, list[PubRun]]:
    """Run estimator pubs on a device.

    Raises:
        JobFailure: for non-ISA circuits (1517), too many shots (1516) or too wide circuits.
    """
    plans = [_plan(pub, i, settings, model) for i, pub in enumerate(pubs)]
    results, runs = [], []
    mitigation = settings.mitigation
    mitigated = mitigation is not None and (mitigation.zne or mitigation.pec)
    for i, plan in enumerate(plans):
        seed = None if settings.seed is None else settings.seed + i
        if mitigated:
            from .mitigated_estimation import run_mitigated_pub

            result, pub_runs = run_mitigated_pub(plan, i, settings, model, seed)
            runs.extend(pub_runs)
        else:
            result, run = _run_pub(plan, settings, model, seed)
            runs.append(run)
        results.append(result)
    metadata = {
        "dynamical_decoupling": settings.dynamical_decoupling,
        "twirling": settings.twirling,
        "resilience": resilience_metadata(
            settings.measure_mitigation and not model.is_simulator, settings.mitigation
        ),
        "version": 2,
    }
    return PrimitiveResult(results, metadata), runs
