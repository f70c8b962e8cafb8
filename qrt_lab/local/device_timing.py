"""Device timing, opt-in: jobs queue behind their device and run for their quantum seconds.

By default (``fast``) a job runs as soon as a worker is free and completes when its simulation
does. With ``device`` timing (``qrt-lab local serve --timing device`` or
``QRT_LAB_LOCAL_TIMING=device``) each device runs one job at a time, as a QPU does: the others
wait QUEUED behind it, and a job stays RUNNING until its emulated quantum seconds (the time it is
charged) times the scale factor have passed since it started, however fast the simulation was.
The simulation itself still runs on a free worker; only the states a client sees are paced.
"""

from __future__ import annotations

import math
import os
import time

__all__ = [
    "DEFAULT_SCALE",
    "MAX_SCALE",
    "SCALE_ENV",
    "TIMING_ENV",
    "TIMING_MODES",
    "DeviceClock",
    "parse_scale",
    "parse_timing",
]

TIMING_ENV = "QRT_LAB_LOCAL_TIMING"
SCALE_ENV = "QRT_LAB_LOCAL_TIMING_SCALE"
TIMING_MODES = ("fast", "device")
DEFAULT_SCALE = 1.0
#: Largest scale factor: a 2-second job then runs for about 3 days.
MAX_SCALE = 1e5


def parse_timing(value: str | None) -> str:
    """``fast`` or ``device`` (None or empty: ``$QRT_LAB_LOCAL_TIMING``, else ``fast``).

    Raises:
        ValueError: naming the accepted values.
    """
    raw = value if value else os.environ.get(TIMING_ENV) or "fast"
    mode = raw.strip().lower()
    if mode not in TIMING_MODES:
        raise ValueError(
            f"timing must be 'fast' or 'device', not {raw[:40]!r} (flag --timing or ${TIMING_ENV})"
        )
    return mode


def parse_scale(value: str | float | None) -> float:
    """The scale factor of emulated running time (None: ``$QRT_LAB_LOCAL_TIMING_SCALE``, else 1).

    Raises:
        ValueError: unless it is a finite number > 0 and at most :data:`MAX_SCALE`.
    """
    raw: object = value if value is not None else os.environ.get(SCALE_ENV) or DEFAULT_SCALE
    try:
        scale = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        scale = math.nan
    if not (math.isfinite(scale) and 0 < scale <= MAX_SCALE):
        raise ValueError(
            f"the timing scale must be a number > 0 and <= {MAX_SCALE:g} (e.g. 0.1 for ten times "
            f"faster than the device), not {str(raw)[:40]!r} (flag --timing-scale or ${SCALE_ENV})"
        )
    return scale


class DeviceClock:
    """Which devices are busy, and how long a job still has to stay RUNNING.

    Args:
        mode: ``fast`` (every method is a no-op) or ``device``.
        scale: Running time = quantum seconds x ``scale``.
    """

    def __init__(self, mode: str = "fast", scale: float = DEFAULT_SCALE) -> None:
        self.enabled = mode == "device"
        self.scale = scale
        self._busy: dict[str, str] = {}  # backend -> job id
        self._started: dict[str, float] = {}  # job id -> monotonic start

    def can_start(self, backend: str) -> bool:
        """Whether a job on ``backend`` may start now."""
        return not self.enabled or backend not in self._busy

    def occupy(self, backend: str, job_id: str) -> None:
        """``job_id`` starts running on ``backend``."""
        if self.enabled:
            self._busy[backend] = job_id
            self._started[job_id] = time.monotonic()

    def release(self, job_id: str) -> None:
        """``job_id`` is done with its device (idempotent)."""
        self._started.pop(job_id, None)
        for backend, holder in list(self._busy.items()):
            if holder == job_id:
                del self._busy[backend]

    def remaining(self, job_id: str, quantum_seconds: float) -> float:
        """Seconds ``job_id`` must still stay RUNNING (0 in fast mode)."""
        started = self._started.get(job_id)
        if not self.enabled or started is None:
            return 0.0
        return max(quantum_seconds * self.scale - (time.monotonic() - started), 0.0)
