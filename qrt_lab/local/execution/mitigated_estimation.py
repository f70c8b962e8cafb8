"""ZNE and PEC on the simulated device, orchestrated as the platform's estimator does.

ZNE runs the pub at every noise factor, amplifying the noise with ``qiskit-mitigation``'s
gate-folding pass (``gate_folding``: random subset for fractional factors, ``_front``,
``_back``) or with PEA (after every learned layer, the learned Pauli-Lindblad channel with
rates ``(factor - 1) * r``), then extrapolates with ``qiskit-mitigation``'s fits
(exponential, double exponential, linear, polynomial degrees, fallback; the first valid fit in
the given order is reported in ``evs``, and every fit in ``evs_extrapolated``). Each element is
fitted as a whole (not term by term).

PEC samples ``num_randomizations`` circuits from the quasi-probability representation of the
inverse of each learned layer's model: after each learned layer, each generator's Pauli is
inserted with probability ``(1 - exp(-2 r'))/2`` and flips the sign; the estimate is
``gamma * mean(sign * value)`` with ``gamma = exp(2 sum r')``, ``r' = (1 - noise_gain) r``.
``noise_gain="auto"`` removes all the noise when ``gamma**2 <= max_overhead``, else as much
as that overhead allows.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.converters import circuit_to_dag, dag_to_circuit
from qiskit.primitives.containers import DataBin, PubResult

from qrt_lab.local.devices.model import DeviceModel

from .estimation import _Plan, _plan, measure_batch, pub_metadata
from .layer_injection import layer_noise_for, pauli_flip, rebuild_with_layers
from .layer_noise import SparsePauli
from .mitigation_options import Mitigation
from .primitive_options import EstimatorSettings
from .sampling import PubRun

__all__ = ["run_mitigated_pub"]


def _folded(
    circuit: QuantumCircuit, factor: float, amplifier: str, seed: int | None
) -> QuantumCircuit:
    from qiskit_mitigation.zne import GateFoldingPass

    method = {"gate_folding_front": "front", "gate_folding_back": "back"}.get(amplifier, "random")
    dag = GateFoldingPass(factor, method=method, seed=seed).run(circuit_to_dag(circuit))
    return dag_to_circuit(dag)


def _seed(seed: int | None, k: int) -> int | None:
    return None if seed is None else seed + 7919 * (k + 1)


def _element_terms(plan: _Plan) -> list[str | None]:
    """Per element: its Pauli label when it is one term of weight 1 (bounds the fit), else None."""
    observables = plan.pub.observables
    shape = plan.pub.shape
    flat = np.broadcast_to(np.arange(len(plan.elements)).reshape(observables.shape), shape)
    out = []
    for idx in np.ndindex(shape):
        element = plan.elements[int(flat[idx])]
        if len(element) == 1:
            ((label, coeff),) = element.items()
            out.append(label if abs(abs(complex(coeff)) - 1) < 1e-12 else None)
        else:
            out.append(None)
    return out


def _amplified_flip(generator: SparsePauli, rate: float, gain: float) -> Any:
    """PEA's extra noise: the generator's Pauli flip amplified by ``gain`` (factor - 1)."""
    return pauli_flip(generator, (1 - math.exp(-2 * gain * rate)) / 2)


def _fit(y: np.ndarray, sigma: np.ndarray, term: str, mitigation: Mitigation) -> tuple[Any, ...]:
    from qiskit_mitigation.zne.extrapolation import _process_extrapolated_expectation_values

    targets = [0.0, *mitigation.extrapolated_noise_factors]
    fitted: tuple[Any, ...] = _process_extrapolated_expectation_values(
        y,
        sigma,
        term,
        list(mitigation.noise_factors),
        list(mitigation.extrapolators),
        extrapolated_noise_factors=targets,
    )
    return fitted


def _propagated(
    y: np.ndarray, sigma: np.ndarray, term: str, mitigation: Mitigation, base: np.ndarray
) -> np.ndarray:
    """Standard errors of every fit's values from the measured ones' (first-order, absolute).

    ``qiskit-mitigation`` scales its fit covariance by the residuals, which with few noise
    factors can be far below the measured errors; the platform's error bars grow with the
    extrapolation, so the reported ones are propagated from each measured value's.
    """
    variance = np.zeros_like(base)
    for i in range(len(y)):
        step = max(sigma[i], 1e-6)
        shifted = y.copy()
        shifted[i] += step
        moved = np.asarray(_fit(shifted, sigma, term, mitigation)[3])
        variance += ((moved - base) / step * sigma[i]) ** 2
    return np.asarray(np.sqrt(variance))


def _extrapolate(
    evs: np.ndarray, stds: np.ndarray, plan: _Plan, mitigation: Mitigation
) -> dict[str, Any]:
    shape = plan.pub.shape
    n_ext, n_tar = len(mitigation.extrapolators), len(mitigation.extrapolated_noise_factors)
    best, best_std = np.zeros(shape), np.zeros(shape)
    ext, ext_std = np.zeros((*shape, n_ext, n_tar)), np.zeros((*shape, n_ext, n_tar))
    chosen = np.empty(shape, dtype=object)
    terms = _element_terms(plan)
    for k, idx in enumerate(np.ndindex(shape)):
        y, sigma, term = np.asarray(evs[idx]), np.maximum(stds[idx], 1e-9), terms[k] or ""
        value, _, name, values, _ = _fit(y, sigma, term, mitigation)
        errors = _propagated(y, sigma, term, mitigation, np.asarray(values))
        row = mitigation.extrapolators.index(name)
        best[idx], chosen[idx] = value, name
        best_std[idx] = errors[row, 0] if name != "fallback" else sigma[0]
        ext[idx], ext_std[idx] = values[:, 1:], errors[:, 1:]
    return {"evs": best, "stds": best_std, "ext": ext, "ext_std": ext_std, "chosen": chosen}


def _zne(
    plan: _Plan, index: int, settings: EstimatorSettings, model: DeviceModel, seed: int | None
) -> tuple[PubResult, list[PubRun]]:
    mitigation = settings.mitigation
    circuit = plan.pub.circuit
    noise = (
        layer_noise_for(circuit, mitigation, model, seed) if mitigation.amplifier == "pea" else {}
    )
    keep = set(plan.physical)
    steps = []
    for k, factor in enumerate(mitigation.noise_factors):
        if mitigation.amplifier == "pea":
            gain = factor - 1.0
            amplified, _ = rebuild_with_layers(
                circuit,
                noise,
                functools.partial(_amplified_flip, gain=gain),
                keep,
            )
        else:
            amplified = _folded(circuit, factor, mitigation.amplifier, _seed(seed, k))
        steps.append(_plan(plan.pub, index, settings, model, circuit=amplified, shots=plan.shots))
    measured, runs = measure_batch(steps, settings, model, _seed(seed, 100))
    by_factor = np.stack([evs for evs, _ in measured], axis=-1)
    std_by_factor = np.stack([stds for _, stds in measured], axis=-1)
    fit = _extrapolate(by_factor, std_by_factor, plan, mitigation)
    data = DataBin(
        shape=plan.pub.shape,
        evs=fit["evs"],
        stds=fit["stds"],
        ensemble_standard_error=fit["stds"].copy(),
        evs_noise_factors=by_factor,
        stds_noise_factors=std_by_factor,
        ensemble_stds_noise_factors=std_by_factor.copy(),
        evs_extrapolated=fit["ext"],
        stds_extrapolated=fit["ext_std"],
    )
    metadata = pub_metadata(plan)
    # the platform's key, plus what the official draw_zne_* functions read from a PUB's metadata
    metadata["resilience"] = {
        "zne": {
            "extrapolator": fit["chosen"],
            "noise_factors": list(mitigation.noise_factors),
            "extrapolated_noise_factors": list(mitigation.extrapolated_noise_factors),
            "extrapolators": list(mitigation.extrapolators),
        }
    }
    if mitigation.amplifier == "pea":
        metadata["resilience"]["layer_noise"] = {"learned_layers": len(noise)}
    metadata["simulation"] = plan.simulation.facts(sum(r.seconds for r in runs))
    return PubResult(data, metadata), runs


def _pec_gain(total_rate: float, mitigation: Mitigation) -> float:
    if mitigation.noise_gain != "auto":
        return float(mitigation.noise_gain)
    if mitigation.max_overhead is None or total_rate <= 0:
        return 0.0
    # gamma**2 = exp(4 (1 - g) R) <= max_overhead
    allowed = math.log(max(mitigation.max_overhead, 1.0)) / (4 * total_rate)
    return float(np.clip(1.0 - allowed, 0.0, 1.0))


def _pec(
    plan: _Plan, index: int, settings: EstimatorSettings, model: DeviceModel, seed: int | None
) -> tuple[PubResult, list[PubRun]]:
    mitigation = settings.mitigation
    circuit = plan.pub.circuit
    noise = layer_noise_for(circuit, mitigation, model, seed)
    keep = set(plan.physical)
    total, instances = _total_rate(circuit, noise, keep)
    gain = _pec_gain(total, mitigation)
    gamma = math.exp(2 * (1 - gain) * total)
    samples = plan.randomizations or 32
    per_sample = max(1, plan.shots // samples)
    rng = np.random.default_rng(seed)
    steps, signs_of = [], []
    for _ in range(samples):
        signs = [1.0]

        def insert(generator: Any, rate: float, signs: list[float] = signs) -> Any:
            p = (1 - math.exp(-2 * (1 - gain) * rate)) / 2
            if rng.random() >= p:
                return None
            signs[0] = -signs[0]
            return pauli_flip(generator, 1.0)

        sampled, _ = rebuild_with_layers(circuit, noise, insert, keep)
        steps.append(_plan(plan.pub, index, settings, model, circuit=sampled, shots=per_sample))
        signs_of.append(signs[0])
    measured, runs = measure_batch(steps, settings, model, _seed(seed, 1))
    stacked = np.stack([sign * evs for sign, (evs, _) in zip(signs_of, measured, strict=True)])
    evs = gamma * stacked.mean(axis=0)
    stds = (
        gamma * stacked.std(axis=0, ddof=1) / math.sqrt(samples)
        if samples > 1
        else np.zeros_like(evs)
    )
    data = DataBin(shape=plan.pub.shape, evs=evs, stds=stds, ensemble_standard_error=stds.copy())
    metadata = pub_metadata(plan)
    metadata["num_randomizations"] = samples
    metadata["resilience"] = {
        "pec": {
            "sampling_overhead": gamma**2,
            "noise_gain": gain,
            "learned_layers": len(noise),
            "mitigated_layer_instances": instances,
        }
    }
    metadata["simulation"] = plan.simulation.facts(sum(r.seconds for r in runs))
    return PubResult(data, metadata), runs


def _total_rate(circuit: QuantumCircuit, noise: Any, keep: set[int]) -> tuple[float, int]:
    """Sum of the rates PEC cancels over the circuit, and the learned layer instances."""
    total = [0.0]

    def count(generator: Any, rate: float) -> None:
        total[0] += rate

    _, instances = rebuild_with_layers(circuit, noise, count, keep)
    return total[0], instances


def run_mitigated_pub(
    plan: _Plan, index: int, settings: EstimatorSettings, model: DeviceModel, seed: int | None
) -> tuple[PubResult, list[PubRun]]:
    """Run one pub with PEC, or with ZNE (PEC wins when both are asked for)."""
    if settings.mitigation.pec:
        return _pec(plan, index, settings, model, seed)
    return _zne(plan, index, settings, model, seed)
