"""The estimator's twirling, ZNE, PEC and layer-noise options, resolved as the platform does.

Defaults follow ``resilience_level``: gate twirling and ZNE (gate folding, noise factors
``(1, 3, 5)``, extrapolators ``("exponential", "linear")``) from level 2, measurement
twirling from level 1. With twirling on and ``"auto"`` randomizations, ``shots_per_randomization
= max(64, ceil(shots / 32))`` (64 with PEC) and ``num_randomizations = ceil(shots / that)``;
the shots run are their product (so rounded up to a multiple of the randomizations).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

from .layer_noise import LearningSettings
from .layers import STRATEGIES

__all__ = ["Mitigation", "mitigation_settings", "randomized_shots", "resilience_metadata"]

_AMPLIFIERS = ("gate_folding", "gate_folding_front", "gate_folding_back", "pea")
_EXTRAPOLATOR = re.compile(
    r"^(exponential|double_exponential|linear|fallback|polynomial_degree_[1-7])$"
)


@dataclass(frozen=True)
class Mitigation:
    """Twirling, ZNE, PEC and layer-noise settings of one estimator job."""

    twirl_gates: bool
    twirl_measure: bool
    num_randomizations: int | str
    shots_per_randomization: int | str
    strategy: str
    zne: bool
    amplifier: str
    noise_factors: tuple[float, ...]
    extrapolators: tuple[str, ...]
    extrapolated_noise_factors: tuple[float, ...]
    pec: bool
    max_overhead: float | None
    noise_gain: float | str
    learning: LearningSettings
    max_layers_to_learn: int | None
    layer_noise_model: Any = None
    twirling_report: dict[str, Any] = field(default_factory=dict)

    @property
    def twirled(self) -> bool:
        """Any twirling (or a technique that forces it) is on."""
        return (
            self.twirl_gates
            or self.twirl_measure
            or self.pec
            or (self.zne and self.amplifier == "pea")
        )

    @property
    def needs_layers(self) -> bool:
        """PEC or PEA use learned layer noise."""
        return self.pec or (self.zne and self.amplifier == "pea")


def _section(options: dict[str, Any], key: str) -> dict[str, Any]:
    value = options.get(key) or {}
    if not isinstance(value, dict):
        raise JobFailure(f"options.{key} must be an object, got {value!r}", BAD_INPUT)
    return value


def _flag(section: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = section.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise JobFailure(f"{where}.{key} must be true or false, got {value!r}", BAD_INPUT)
    return value


def _auto_int(value: Any, where: str) -> int | str:
    if value in (None, "auto"):
        return "auto"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise JobFailure(f"{where} must be 'auto' or an integer >= 1, got {value!r}", BAD_INPUT)
    return value


def _factors(value: Any, where: str, minimum: float) -> tuple[float, ...]:
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and minimum <= v < 1e3
            for v in value
        )
    ):
        raise JobFailure(
            f"{where} must be a list of numbers >= {minimum}, got {value!r}", BAD_INPUT
        )
    return tuple(float(v) for v in value)


def _zne(
    resilience: dict[str, Any], level: int
) -> tuple[bool, str, tuple[float, ...], tuple[str, ...], tuple[float, ...]]:
    enabled = _flag(resilience, "zne_mitigation", level >= 2, "resilience")
    zne = _section(resilience, "zne")
    amplifier = zne.get("amplifier") or "gate_folding"
    if amplifier not in _AMPLIFIERS:
        raise JobFailure(f"resilience.zne.amplifier must be one of {_AMPLIFIERS}", BAD_INPUT)
    factors = _factors(zne.get("noise_factors") or [1, 3, 5], "resilience.zne.noise_factors", 1.0)
    extrapolators = zne.get("extrapolator") or ["exponential", "linear"]
    if isinstance(extrapolators, str):
        extrapolators = [extrapolators]
    if not isinstance(extrapolators, list | tuple) or not all(
        isinstance(e, str) and _EXTRAPOLATOR.match(e) for e in extrapolators
    ):
        raise JobFailure(
            f"resilience.zne.extrapolator not understood: {extrapolators!r}", BAD_INPUT
        )
    targets = zne.get("extrapolated_noise_factors")
    evaluated = (
        (0.0, *factors)
        if targets is None
        else _factors(targets, "resilience.zne.extrapolated_noise_factors", 0.0)
    )
    return enabled, amplifier, factors, tuple(extrapolators), evaluated


def mitigation_settings(options: dict[str, Any], level: int) -> Mitigation:
    """Resolve twirling, ZNE, PEC and layer-noise options (raises ``JobFailure`` 1513)."""
    twirling = _section(options, "twirling")
    resilience = _section(options, "resilience")
    zne, amplifier, factors, extrapolators, evaluated = _zne(resilience, level)
    pec = _flag(resilience, "pec_mitigation", False, "resilience")
    pec_options = _section(resilience, "pec")
    max_overhead = pec_options.get("max_overhead", 100)
    if max_overhead is not None and (
        not isinstance(max_overhead, int | float) or max_overhead <= 0
    ):
        raise JobFailure("resilience.pec.max_overhead must be a number > 0 or null", BAD_INPUT)
    gain = pec_options.get("noise_gain", "auto")
    if gain != "auto" and (not isinstance(gain, int | float) or isinstance(gain, bool) or gain < 0):
        raise JobFailure("resilience.pec.noise_gain must be 'auto' or a number >= 0", BAD_INPUT)
    strategy = twirling.get("strategy") or "active-accum"
    if strategy not in STRATEGIES:
        raise JobFailure(f"twirling.strategy must be one of {STRATEGIES}", BAD_INPUT)
    from .noise_learner_program import learning_settings

    learning = _section(resilience, "layer_noise_learning")
    limit = learning.get("max_layers_to_learn", 4)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise JobFailure(
            "layer_noise_learning.max_layers_to_learn must be an integer >= 0", BAD_INPUT
        )
    settings = Mitigation(
        twirl_gates=_flag(twirling, "enable_gates", level >= 2, "twirling"),
        twirl_measure=_flag(twirling, "enable_measure", level >= 1, "twirling"),
        num_randomizations=_auto_int(
            twirling.get("num_randomizations"), "twirling.num_randomizations"
        ),
        shots_per_randomization=_auto_int(
            twirling.get("shots_per_randomization"), "twirling.shots_per_randomization"
        ),
        strategy=strategy,
        zne=zne,
        amplifier=amplifier,
        noise_factors=factors,
        extrapolators=extrapolators,
        extrapolated_noise_factors=evaluated,
        pec=pec,
        max_overhead=None if max_overhead is None else float(max_overhead),
        noise_gain=gain if gain == "auto" else float(gain),
        learning=learning_settings(learning),
        max_layers_to_learn=limit,
        layer_noise_model=resilience.get("layer_noise_model"),
    )
    report = {
        "enable_gates": settings.twirl_gates,
        "enable_measure": settings.twirl_measure,
        "num_randomizations": settings.num_randomizations,
        "shots_per_randomization": settings.shots_per_randomization,
        "interleave_randomizations": twirling.get("interleave_randomizations", True),
        "strategy": strategy,
    }
    object.__setattr__(settings, "twirling_report", report)
    return settings


def randomized_shots(shots: int, mitigation: Mitigation) -> tuple[int, int | None, int | None]:
    """``(shots run, num_randomizations, shots_per_randomization)`` for a pub of ``shots``."""
    if not mitigation.twirled:
        return shots, None, None
    count, per = mitigation.num_randomizations, mitigation.shots_per_randomization
    if per == "auto" or not isinstance(per, int):
        per = (
            math.ceil(shots / count)
            if isinstance(count, int)
            else (64 if mitigation.pec else max(64, math.ceil(shots / 32)))
        )
    if count == "auto":
        count = math.ceil(shots / per)
    assert isinstance(count, int) and isinstance(per, int)
    return count * per, count, per


def resilience_metadata(measure_mitigation: bool, mitigation: Mitigation | None) -> dict[str, Any]:
    """The job metadata's ``resilience`` entry: what was applied, with the options used."""
    out: dict[str, Any] = {
        "measure_mitigation": measure_mitigation,
        "zne_mitigation": bool(mitigation and mitigation.zne),
        "pec_mitigation": bool(mitigation and mitigation.pec),
    }
    if mitigation is None:
        return out
    if mitigation.zne:
        out["zne"] = {
            "noise_factors": list(mitigation.noise_factors),
            "extrapolator": list(mitigation.extrapolators),
            "extrapolated_noise_factors": list(mitigation.extrapolated_noise_factors),
            "amplifier": mitigation.amplifier,
        }
    if mitigation.pec:
        out["pec"] = {"max_overhead": mitigation.max_overhead, "noise_gain": mitigation.noise_gain}
    if mitigation.needs_layers:
        out["layer_noise_learning"] = {
            "max_layers_to_learn": mitigation.max_layers_to_learn,
            "shots_per_randomization": mitigation.learning.shots_per_randomization,
            "num_randomizations": mitigation.learning.num_randomizations,
            "layer_pair_depths": list(mitigation.learning.layer_pair_depths),
        }
    return out
