"""Job status mapping (spec §4.2): API ``state`` → ``RuntimeJobV2.status()`` strings.

Unknown API statuses are passed through upper-cased. They are never final, so
``wait_for_final_state`` keeps polling them until its ``timeout``; without a timeout it gives up
after :data:`UNKNOWN_STATUS_LIMIT` seconds of an unknown status and raises
``RuntimeJobTimeoutError`` naming that status, instead of waiting forever.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "FINAL_STATUSES",
    "KNOWN_STATUSES",
    "UNKNOWN_STATUS_LIMIT",
    "job_reason",
    "job_reason_code",
    "job_status_from_api",
]

FINAL_STATUSES = frozenset({"DONE", "CANCELLED", "ERROR"})
KNOWN_STATUSES = frozenset({"INITIALIZING", "QUEUED", "RUNNING", *FINAL_STATUSES})
UNKNOWN_STATUS_LIMIT = 600.0
MAX_TIME_EXCEEDED = 1305
_MAPPING = {"QUEUED": "QUEUED", "RUNNING": "RUNNING", "COMPLETED": "DONE", "FAILED": "ERROR"}


def job_reason_code(state: Mapping[str, Any]) -> int | None:
    """The ``reason_code`` (or old ``reasonCode``) of a job's API ``state`` as an int, or None."""
    code = state.get("reason_code", state.get("reasonCode"))
    try:
        return int(code) if code is not None else None
    except (TypeError, ValueError):
        return None


def job_status_from_api(state: Mapping[str, Any]) -> str:
    """Map a job's API ``state`` object to a client status string.

    Args:
        state: The ``state`` object of a job response (``{"status": "Completed", ...}``).

    Returns:
        ``QUEUED``, ``RUNNING``, ``DONE``, ``ERROR``, ``CANCELLED`` (``ERROR`` when cancelled for
        exceeding the maximum execution time, code 1305), or the unknown status upper-cased.
    """
    status = str(state.get("status") or "").upper()
    if status == "CANCELLED":
        return "ERROR" if job_reason_code(state) == MAX_TIME_EXCEEDED else "CANCELLED"
    return _MAPPING.get(status, status or "INITIALIZING")


def job_reason(state: Mapping[str, Any]) -> str | None:
    """Return ``"Error code <code>; <reason>"`` (code part only when present), or None."""
    reason = state.get("reason")
    if not reason:
        return None
    code = job_reason_code(state)
    return f"Error code {code}; {reason}" if code is not None else str(reason)
