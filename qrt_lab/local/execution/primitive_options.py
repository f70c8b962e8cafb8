"""Primitive options as the service resolves them (spec §6): defaults, validation, and honesty.

Emulated (they change what is simulated or reported): ``default_shots``, ``default_precision``,
``simulator.seed_simulator``, ``seed_estimator``, ``execution.meas_type``, ``execution.rep_delay``
(enters the quantum-time estimate), ``resilience_level`` and ``resilience.measure_mitigation``
(readout-error mitigation from the calibration), and for the estimator twirling, ZNE, PEC and
layer noise learning (:mod:`.mitigation_options`), and for both dynamical decoupling
(:mod:`.dynamical_decoupling`). Accepted but not applied (listed in the job log and in
``JobOutcome.metadata["not_applied"]``): the sampler's twirling,
``execution.init_qubits=False``, ``simulator.noise_model``/``coupling_map``/``basis_gates``
(the device's own calibration is used), and ``experimental``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from qrt_lab.local.job_errors import BAD_INPUT, JobFailure
from qrt_lab.local.jobspec import MAX_SEED

__all__ = ["EstimatorSettings", "SamplerSettings", "estimator_settings", "sampler_settings"]

DEFAULT_SHOTS = 4096
DEFAULT_PRECISION = 0.015625
_MEAS_TYPES = ("classified", "kerneled", "avg_kerneled")
_NOT_APPLIED_GROUPS = ("dynamical_decoupling", "twirling", "experimental")
#: Estimator option groups the service applies (see :mod:`.mitigation_options`).
_ESTIMATOR_APPLIED = ("twirling", "dynamical_decoupling")
_RESILIENCE_APPLIED = (
    "measure_mitigation",
    "zne_mitigation",
    "zne",
    "pec_mitigation",
    "pec",
    "layer_noise_learning",
    "layer_noise_model",
)


@dataclass(frozen=True)
class SamplerSettings:
    """Resolved sampler options."""

    default_shots: int
    seed: int | None
    meas_type: str
    rep_delay: float
    not_applied: list[str] = field(default_factory=list)
    decoupling: Any = None


@dataclass(frozen=True)
class EstimatorSettings:
    """Resolved estimator options."""

    default_precision: float
    default_shots: int | None
    seed: int | None
    resilience_level: int
    measure_mitigation: bool
    rep_delay: float
    dynamical_decoupling: dict[str, Any]
    twirling: dict[str, Any]
    not_applied: list[str] = field(default_factory=list)
    mitigation: Any = None
    decoupling: Any = None


def _section(options: dict[str, Any], key: str) -> dict[str, Any]:
    value = options.get(key) or {}
    if not isinstance(value, dict):
        raise JobFailure(f"options.{key} must be an object, got {value!r}", BAD_INPUT)
    return value


def _int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise JobFailure(f"{name} must be an integer >= {minimum}, got {value!r}", BAD_INPUT)
    return value


def _seed(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if _int(value, name, 0) > MAX_SEED:
        raise JobFailure(
            f"{name} must be an integer from 0 to {MAX_SEED}, got {value!r}", BAD_INPUT
        )
    return int(value)


def _rep_delay(execution: dict[str, Any], default: float, allowed: tuple[float, float]) -> float:
    value = execution.get("rep_delay")
    if value is None:
        return default
    if not isinstance(value, int | float) or not allowed[0] <= value <= allowed[1]:
        raise JobFailure(
            f"execution.rep_delay must be a number of seconds within the device's rep_delay_range "
            f"[{allowed[0]}, {allowed[1]}], got {value!r}",
            BAD_INPUT,
        )
    return float(value)


def _not_applied(
    options: dict[str, Any], extra: list[str], applied: tuple[str, ...] = ()
) -> list[str]:
    groups = [g for g in _NOT_APPLIED_GROUPS if g not in applied]
    found = [f"{group}.{k}" for group in groups for k in _section(options, group)]
    simulator = _section(options, "simulator")
    found += [
        f"simulator.{k}" for k in simulator if k != "seed_simulator" and simulator[k] is not None
    ]
    if _section(options, "execution").get("init_qubits") is False:
        found.append("execution.init_qubits")
    return found + extra


def sampler_settings(
    params: dict[str, Any],
    default_rep_delay: float,
    rep_delay_range: tuple[float, float],
    seed: int | None,
) -> SamplerSettings:
    """Resolve the sampler options of a job's decoded ``params``.

    Args:
        params: Decoded job params.
        default_rep_delay: The device's default rep delay in seconds.
        rep_delay_range: The device's allowed rep delays in seconds.
        seed: The job's seed (used when ``simulator.seed_simulator`` is unset).

    Raises:
        JobFailure: (1513) naming the bad option.
    """
    options = params.get("options") or {}
    if not isinstance(options, dict):
        raise JobFailure("params.options must be an object", BAD_INPUT)
    shots = options.get("default_shots")
    execution = _section(options, "execution")
    meas_type = execution.get("meas_type", "classified")
    if meas_type not in _MEAS_TYPES:
        raise JobFailure(
            f"execution.meas_type must be one of {_MEAS_TYPES}, got {meas_type!r}", BAD_INPUT
        )
    sim_seed = _section(options, "simulator").get("seed_simulator")
    from .dynamical_decoupling import decoupling_settings

    return SamplerSettings(
        default_shots=DEFAULT_SHOTS if shots is None else _int(shots, "default_shots", 1),
        seed=_seed(sim_seed, "simulator.seed_simulator") if sim_seed is not None else seed,
        meas_type=meas_type,
        rep_delay=_rep_delay(execution, default_rep_delay, rep_delay_range),
        not_applied=_not_applied(options, [], ("dynamical_decoupling",)),
        decoupling=decoupling_settings(options),
    )


def _resilience(params: dict[str, Any], options: dict[str, Any]) -> tuple[int, bool, list[str]]:
    level = params.get("resilience_level", options.get("resilience_level", 1))
    level = _int(level, "resilience_level", 0)
    if level > 2:
        raise JobFailure(f"resilience_level must be 0, 1 or 2, got {level}", BAD_INPUT)
    resilience = _section(options, "resilience")
    mitigation = resilience.get("measure_mitigation", level >= 1)
    if not isinstance(mitigation, bool):
        raise JobFailure("resilience.measure_mitigation must be true or false", BAD_INPUT)
    skipped = [f"resilience.{k}" for k in resilience if k not in _RESILIENCE_APPLIED]
    return level, mitigation, skipped


def estimator_settings(
    params: dict[str, Any],
    default_rep_delay: float,
    rep_delay_range: tuple[float, float],
    seed: int | None,
) -> EstimatorSettings:
    """Resolve the estimator options of a job's decoded ``params``.

    Raises:
        JobFailure: (1513) naming the bad option.
    """
    options = params.get("options") or {}
    if not isinstance(options, dict):
        raise JobFailure("params.options must be an object", BAD_INPUT)
    precision = options.get("default_precision", DEFAULT_PRECISION)
    if (
        not isinstance(precision, int | float)
        or isinstance(precision, bool)
        or not 0 < precision < math.inf
    ):
        raise JobFailure(
            f"default_precision must be a finite number > 0, got {precision!r}", BAD_INPUT
        )
    shots = options.get("default_shots")
    level, mitigation, skipped = _resilience(params, options)
    estimator_seed = options.get("seed_estimator")
    execution = _section(options, "execution")
    from .dynamical_decoupling import decoupling_settings
    from .mitigation_options import mitigation_settings

    techniques = mitigation_settings(options, level)
    decoupling = decoupling_settings(options)
    return EstimatorSettings(
        default_precision=float(precision),
        default_shots=None if shots is None else _int(shots, "default_shots", 1),
        seed=_estimator_seed(estimator_seed, _section(options, "simulator"), seed),
        resilience_level=level,
        measure_mitigation=mitigation,
        rep_delay=_rep_delay(execution, default_rep_delay, rep_delay_range),
        dynamical_decoupling=decoupling.report(),
        twirling=techniques.twirling_report,
        not_applied=_not_applied(options, skipped, _ESTIMATOR_APPLIED),
        mitigation=techniques,
        decoupling=decoupling,
    )


def _estimator_seed(value: Any, simulator: dict[str, Any], job_seed: int | None) -> int | None:
    """``seed_estimator``, else ``simulator.seed_simulator``, else the job's seed."""
    if value is not None:
        return _seed(value, "seed_estimator")
    if simulator.get("seed_simulator") is not None:
        return _seed(simulator["seed_simulator"], "simulator.seed_simulator")
    return job_seed


def shots_for_precision(precision: float) -> int | None:
    """Shots needed for a target standard error: ``ceil(1 / precision**2)``, at least 1 (§6.4).

    Returns:
        The count, or ``None`` when it is beyond the float range (a precision below ~1e-154).
    """
    needed = 1.0 / (precision * precision) if precision * precision > 0.0 else math.inf
    if math.isinf(needed):
        return None
    return max(1, math.ceil(needed - 1e-9))
