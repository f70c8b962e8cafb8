"""The estimator program: expectation values of Pauli observables on ISA circuits (spec §5.4).

Per pub: shots = ``default_shots`` if set, else ``ceil(1/precision²)``; the observables' Pauli
terms are grouped into qubit-wise commuting bases, each basis is measured on the noisy device
for every parameter row, and each term's expectation is the mean parity of its measured bits,
readout-mitigated when measurement mitigation is on (see :mod:`.mitigation`). Pubs simulated as
a density matrix take each term's mean and variance from the exact noisy state instead of
sampling (see :mod:`.exact_expectation`). ``stds`` combine
the terms' standard errors (covariances between terms of one basis are ignored);
``ensemble_standard_error`` equals ``stds`` because no randomisations are run.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.primitives.containers import DataBin, PrimitiveResult, PubResult
from qiskit.primitives.containers.estimator_pub import EstimatorPub

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import BAD_INPUT, TOO_MANY_SHOTS, JobFailure

from .compaction import active_qubits, compact_circuit
from .exact_expectation import draw, exact_distributions, generator, term_moments
from .isa import check_isa
from .measurement_bases import Basis, group_qubitwise, measured_circuit, pauli_support
from .mitigation import readout_parameters, term_estimates
from .primitive_options import EstimatorSettings, shots_for_precision
from .sampling import PubRun
from .simulation_plan import SimulationPlan, plan_simulation, with_delay_noise
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


def _elements(pub: EstimatorPub) -> list[dict[str, float]]:
    observables = pub.observables
    if observables.ndim == 0:
        return [dict(observables.tolist())]
    return [dict(observables[idx]) for idx in np.ndindex(observables.shape)]


def _plan(pub: EstimatorPub, index: int, settings: EstimatorSettings, model: DeviceModel) -> _Plan:
    precision = pub.precision if pub.precision is not None else settings.default_precision
    if not 0 < precision < math.inf:
        raise JobFailure(
            f"pub {index}: precision must be a finite number > 0, got {precision!r}", BAD_INPUT
        )
    shots = settings.default_shots or shots_for_precision(precision)
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
    compact = compact_circuit(pub.circuit, physical)
    rows = max(math.prod(pub.parameter_values.shape), 1) if compact.num_parameters else 1
    simulation = plan_simulation(
        compact, model, physical, index, shots=shots, experiments=rows * max(len(bases), 1)
    )
    compact = with_delay_noise(compact, simulation, model, physical)
    return _Plan(
        pub, shots, precision, physical, compact, elements, labels, term_basis, bases, simulation
    )


def _signs(memory: np.ndarray, offsets: list[int]) -> np.ndarray:
    """``(shots, k)`` measured signs ±1 of the given clbits (memory integers)."""
    if memory.dtype == np.uint64:
        bits = np.stack([(memory >> np.uint64(o)) & np.uint64(1) for o in offsets], axis=-1)
        return 1.0 - 2.0 * bits.astype(float)
    return np.array([[1.0 - 2.0 * ((int(v) >> o) & 1) for o in offsets] for v in memory])


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
    for t, label in enumerate(plan.labels):
        b = plan.term_basis[t]
        measured = sorted(plan.bases[b])
        support = sorted(pauli_support(label))
        offsets = [base_clbits + measured.index(plan.physical.index(q)) for q in support]
        scale, offset = readout_parameters(model, support) if mitigate else (None, None)
        values, stds = np.empty(rows), np.empty(rows)
        for r in range(rows):
            estimates = term_estimates(_signs(memories[b * rows + r], offsets), scale, offset)
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


def _run_pub(
    plan: _Plan, settings: EstimatorSettings, model: DeviceModel, seed: int | None
) -> tuple[PubResult, PubRun]:
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
    data = DataBin(shape=pub.shape, evs=evs, stds=stds, ensemble_standard_error=stds.copy())
    metadata = {
        "shots": plan.shots,
        "target_precision": plan.precision,
        "circuit_metadata": dict(pub.circuit.metadata or {}),
        "resilience": {},
    }
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
    metadata["simulation"] = sim.facts(seconds)
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
    for i, plan in enumerate(plans):
        seed = None if settings.seed is None else settings.seed + i
        result, run = _run_pub(plan, settings, model, seed)
        results.append(result)
        runs.append(run)
    metadata = {
        "dynamical_decoupling": settings.dynamical_decoupling,
        "twirling": settings.twirling,
        "resilience": {
            "measure_mitigation": settings.measure_mitigation and not model.is_simulator,
            "zne_mitigation": False,
            "pec_mitigation": False,
        },
        "version": 2,
    }
    return PrimitiveResult(results, metadata), runs
