"""Calibration ids and a device's short calibration history (``?calibration_id=``, spec §3.2-3.3).

Every properties document the service serves carries a ``calibration_id``: the document's own
one when it has it (a built-in device's names its seed, :func:`seeded_calibration_id`),
otherwise one derived from the backend name and ``last_update_date`` (the same document always
gets the same id, in every process). A job sent with a ``calibration_id`` runs on that
calibration's noise; an unknown id is refused with a 400. A built-in device keeps the
calibrations of the previous days too (:data:`HISTORY_DAYS`, seeded like the current one, so its
values drift from day to day); a device loaded from documents has the one calibration it was
loaded with.
"""

from __future__ import annotations

import hashlib
from typing import Any

__all__ = [
    "HISTORY_DAYS",
    "MAX_CALIBRATION_ID_LENGTH",
    "calibration_id",
    "seeded_calibration_id",
    "with_calibration_id",
]

#: Calibrations a built-in device keeps: today's and the previous days'.
HISTORY_DAYS = 3
#: Longer ``calibration_id`` values are refused with a 400 before any lookup.
MAX_CALIBRATION_ID_LENGTH = 128


def calibration_id(properties: dict[str, Any]) -> str:
    """The id of the calibration a properties document describes."""
    given = properties.get("calibration_id")
    if isinstance(given, str) and given:
        return given
    basis = f"{properties.get('backend_name')}|{properties.get('last_update_date')}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]


def seeded_calibration_id(backend_name: str, seed: int) -> str:
    """The id of a built-in device's calibration generated from ``seed``.

    It does not depend on the time, so the service process and its workers (started at any hour)
    agree on it, and a job that names it runs on the values its properties showed.
    """
    return hashlib.sha256(f"{backend_name}|seed:{seed}".encode()).hexdigest()[:24]


def with_calibration_id(properties: dict[str, Any] | None) -> dict[str, Any] | None:
    """``properties`` with its ``calibration_id`` set (None stays None)."""
    if properties is None:
        return None
    return {**properties, "calibration_id": calibration_id(properties)}
