"""Estimator terms from the exact noisy state, when that state is a density matrix anyway.

A density-matrix run costs the same for one shot as for a million, so instead of sampling,
each measurement basis's outcome distribution is read from the noisy state
(``save_probabilities``), the calibrated readout errors are applied to it exactly, and every
term's mean and per-shot variance follow in closed form, readout-mitigated or raw like the sampled
path. The reported value is the exact mean plus a Gaussian draw of the standard error the
requested shots would have (so ``stds`` still reflect the requested precision, and a seed
reproduces the draw).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit_aer import AerError

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import CIRCUIT_TOO_LARGE, JobFailure
from qrt_lab.local.jobspec import MAX_SEED

from .measurement_bases import Basis
from .mitigation import readout_parameters
from .simulation_plan import SimulationPlan
from .simulator import simulator

__all__ = ["draw", "exact_distributions", "generator", "term_moments"]


def _probability_circuit(measured: QuantumCircuit, qubits: list[int]) -> QuantumCircuit:
    out = measured.remove_final_measurements(inplace=False)
    out.save_probabilities(qubits=qubits)
    return out


def exact_distributions(
    measured: Sequence[QuantumCircuit],
    bases: Sequence[Basis],
    plan: SimulationPlan,
    parameter_rows: np.ndarray | None,
) -> list[np.ndarray]:
    """Per (basis, row), circuit-major: outcome probabilities of the basis qubits, noisy state.

    Index bit ``i`` of each vector is the ``i``-th basis qubit in sorted order. Readout errors
    are not included (see :func:`term_moments`).
    """
    circuits = [_probability_circuit(c, sorted(b)) for c, b in zip(measured, bases, strict=True)]
    options: dict[str, Any] = dict(plan.options)
    options.update({"shots": 1, "method": plan.method, "noise_model": plan.noise})
    if parameter_rows is not None and circuits[0].num_parameters:
        params = list(circuits[0].parameters)
        binds = {p: parameter_rows[:, i].tolist() for i, p in enumerate(params)}
        options["parameter_binds"] = [binds] * len(circuits)
    try:
        result = simulator().run(circuits, **options).result()
    except AerError as exc:
        raise JobFailure(
            f"The simulator could not run the circuit ({exc}).", CIRCUIT_TOO_LARGE
        ) from exc
    return [np.asarray(result.data(i)["probabilities"]) for i in range(len(result.results))]


def _with_readout(probabilities: np.ndarray, p10: np.ndarray, p01: np.ndarray) -> np.ndarray:
    k = len(p10)
    tensor = probabilities.reshape((2,) * k)  # axis 0 is the last basis qubit
    for i in range(k):
        confusion = np.array([[1 - p10[i], p01[i]], [p10[i], 1 - p01[i]]])
        axis = k - 1 - i
        tensor = np.moveaxis(np.tensordot(confusion, tensor, axes=([1], [axis])), 0, axis)
    return tensor


def term_moments(
    probabilities: np.ndarray,
    basis_qubits: list[int],
    term_qubits: list[int],
    physical: Sequence[int],
    model: DeviceModel,
    mitigate: bool,
) -> tuple[float, float]:
    """Mean and per-shot variance of one term's estimate from a basis's exact distribution.

    Args:
        probabilities: The basis qubits' outcome probabilities (without readout error).
        basis_qubits: The basis's compact qubits, sorted (bit ``i`` of the index is the i-th).
        term_qubits: The term's compact qubits (a subset of ``basis_qubits``).
        physical: The physical qubit of every compact qubit.
        model: The device (readout calibration).
        mitigate: Whether the estimate is readout-mitigated.
    """
    measured_physical = [physical[q] for q in basis_qubits]
    if model.qubits:
        p10 = np.array([model.qubits[q].prob_meas1_prep0 for q in measured_physical])
        p01 = np.array([model.qubits[q].prob_meas0_prep1 for q in measured_physical])
        tensor = _with_readout(probabilities, p10, p01)
    else:
        tensor = probabilities.reshape((2,) * len(basis_qubits))
    k = len(basis_qubits)
    term_axes = [k - 1 - basis_qubits.index(q) for q in sorted(term_qubits)]
    other = tuple(a for a in range(k) if a not in term_axes)
    marginal = tensor.sum(axis=other) if other else tensor
    # After summing, the remaining axes keep their relative (descending qubit) order.
    kept = sorted(term_axes)
    qubits_by_axis = [sorted(term_qubits)[term_axes.index(a)] for a in kept]
    if mitigate:
        scale, offset = readout_parameters(model, [physical[q] for q in qubits_by_axis])
    else:
        scale, offset = np.ones(len(kept)), np.zeros(len(kept))
    value = np.ones((1,) * len(kept))
    for i in range(len(kept)):
        shape = [1] * len(kept)
        shape[i] = 2
        factor = (np.array([1.0, -1.0]) - offset[i]) / scale[i]
        value = value * factor.reshape(shape)
    mean = float(np.sum(marginal * value))
    second = float(np.sum(marginal * value**2))
    return mean, max(second - mean * mean, 0.0)


def draw(mean: float, variance: float, shots: int, rng: np.random.Generator) -> tuple[float, float]:
    """The reported (value, standard error): exact mean plus the shots' statistical spread."""
    std = float(np.sqrt(variance / max(shots, 1)))
    return mean + float(rng.normal(0.0, std)) if std > 0 else mean, std


def generator(seed: int | None) -> np.random.Generator:
    """The draws' random generator (seeded when the job is)."""
    return np.random.default_rng(None if seed is None else seed % (MAX_SEED + 1))
