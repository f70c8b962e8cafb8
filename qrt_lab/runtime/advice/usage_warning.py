"""A warning before submission when a job would need more usage than the account has left.

``SamplerV2.run`` and ``EstimatorV2.run`` (and so the ``%qruntime`` magics, which submit through
them) estimate the job's quantum seconds (:func:`.usage.estimate_usage`'s model) and emit a
:class:`UsageWarning` when it exceeds the instance's remaining usage. On by default; turn it off
with ``QRT_LAB_USAGE_WARNING=0`` in the environment, or ``warnings.filterwarnings("ignore",
category=UsageWarning)``. The remaining usage is asked at most once a minute per service (see
:mod:`.usage_status`); an unlimited account costs no request per job after the first. The check
never blocks or fails a submission.
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from collections.abc import Sequence
from typing import Any

from qrt_lab.billing import quantum_seconds

from ..summaries.words import duration
from .calibration import read_calibration
from .usage import circuit_seconds
from .usage_status import remaining_seconds

__all__ = [
    "USAGE_WARNING_ENV",
    "UsageWarning",
    "estimator_shots",
    "usage_warning_enabled",
    "warn_if_over_usage",
]

#: Environment variable: ``0``/``false``/``no``/``off`` turns the warning off.
USAGE_WARNING_ENV = "QRT_LAB_USAGE_WARNING"
_OFF = frozenset({"0", "false", "no", "off"})
_log = logging.getLogger(__name__)


class UsageWarning(UserWarning):
    """A job's estimated quantum seconds exceed the account's remaining usage."""


def usage_warning_enabled() -> bool:
    """Whether the warning is on (``$QRT_LAB_USAGE_WARNING`` is not ``0``/``false``/``off``)."""
    return os.environ.get(USAGE_WARNING_ENV, "1").strip().lower() not in _OFF


def warn_if_over_usage(
    backend: Any, executions: Sequence[tuple[int, Any]], rep_delay: float | None = None
) -> float | None:
    """Warn if running ``executions`` on ``backend`` would exceed the remaining usage.

    Args:
        backend: The client backend the job goes to (its service answers the usage).
        executions: ``(shots including parameter rows, ISA circuit)`` of every execution.
        rep_delay: Seconds between shots (default: the backend's).

    Returns:
        The estimate in seconds when it was computed (None: off, unlimited or unknown).
    """
    if not usage_warning_enabled():
        return None
    try:
        remaining = remaining_seconds(backend.service)
        if remaining is None:
            return None
        calibration = read_calibration(backend)
        delay = calibration.rep_delay if rep_delay is None else rep_delay
        estimate = quantum_seconds(
            ((shots, circuit_seconds(c, calibration)) for shots, c in executions), delay
        )
    except Exception:  # noqa: BLE001 - advisory: a failed estimate never stops a job
        _log.debug("usage estimate failed", exc_info=True)
        return None
    if estimate > remaining:
        warnings.warn(
            UsageWarning(
                f"This job is estimated to use {duration(estimate)} of quantum time but the "
                f"instance has {duration(remaining)} left; it may not run until time is made "
                f"available. Set {USAGE_WARNING_ENV}=0 to silence this warning."
            ),
            stacklevel=4,
        )
    return estimate


def estimator_shots(precision: float | None, default_precision: float) -> int:
    """Shots an estimator pub of ``precision`` runs per circuit (``ceil(1 / precision**2)``)."""
    p = precision if precision else default_precision
    return max(math.ceil(1 / (p * p)), 1)
