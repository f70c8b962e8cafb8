"""Resolving the Estimator's options: resilience-level defaults and twirling a mitigation needs."""

from __future__ import annotations

import warnings
from copy import deepcopy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..options_models import EstimatorOptions

__all__ = ["finalize_estimator_options"]

#: (twirl gates, twirl measurements, TREX, ZNE) per resilience level.
LEVEL_DEFAULTS = {0: (False, False, False, False), 1: (False, True, True, False),
                  2: (True, True, True, True)}  # fmt: skip


def _force_twirling(twirling: Any, field: str, user_fields: set[str], mitigation: str) -> None:
    if field in user_fields and getattr(twirling, field) is False:
        warnings.warn(
            f"twirling.{field}=False was explicitly set, but {mitigation} requires "
            f"twirling.{field}=True. The value is being overridden to True.",
            UserWarning,
            stacklevel=5,
        )
    setattr(twirling, field, True)


def finalize_estimator_options(options: EstimatorOptions) -> EstimatorOptions:
    """A copy of ``options`` with every None resolved as the jobs will run it."""
    final = deepcopy(options)
    gates, measure, trex, zne = LEVEL_DEFAULTS[final.resilience_level]
    twirling, resilience = final.twirling, final.resilience
    if twirling.enable_gates is None:
        twirling.enable_gates = gates
    if twirling.enable_measure is None:
        twirling.enable_measure = measure
    if resilience.measure_mitigation is None:
        resilience.measure_mitigation = trex
    if resilience.zne_mitigation is None:
        resilience.zne_mitigation = zne
    user_fields = set(options.twirling.model_fields_set)
    if resilience.measure_mitigation:
        _force_twirling(twirling, "enable_measure", user_fields, "measurement mitigation")
    needs_all = []
    if resilience.zne_mitigation and resilience.zne.amplifier == "pea":
        needs_all.append("PEA mitigation")
    if resilience.pec_mitigation:
        needs_all.append("PEC mitigation")
    for mitigation in needs_all:
        _force_twirling(twirling, "enable_gates", user_fields, mitigation)
        _force_twirling(twirling, "enable_measure", user_fields, mitigation)
    return final
