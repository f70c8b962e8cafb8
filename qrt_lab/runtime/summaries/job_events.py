"""Job and session events from two listings of the same jobs (the diff the live monitor pushes).

Pure: :func:`apply_listing` folds fresh ``GET /jobs`` items into the known job rows and returns
the events a viewer needs to follow along (``created``, ``status``, ``result_ready``, ``updated``
and the session ``changed`` hint), in the shapes of ``docs/server-api.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .jobs import JobSummary

__all__ = ["apply_listing"]


def apply_listing(
    known: dict[str, dict[str, Any]],
    listed: Mapping[str, Mapping[str, Any]],
    skip: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Update ``known`` (job id → :class:`JobSummary` JSON row) from ``listed`` raw job items.

    Args:
        known: The rows seen so far; updated in place.
        listed: Job id → job object of ``GET /jobs`` or ``GET /jobs/{id}``.
        skip: Job ids to ignore (deleted meanwhile; a listing in flight may still name them).

    Returns:
        The events, in order: a new job is ``created`` (then ``result_ready`` when it is already
        completed), a new status is ``status`` (with ``previous``, then ``result_ready`` and a
        session ``changed`` hint as they apply), any other change is ``updated``.
    """
    events: list[dict[str, Any]] = []
    for jid, raw in listed.items():
        if jid in skip:
            continue
        row = JobSummary.from_api(dict(raw)).to_json()
        before = known.get(jid)
        known[jid] = row
        if before is None:
            events.append({"type": "job", "event": "created", "job": row})
            if row["status"] == "Completed":
                events.append({"type": "job", "event": "result_ready", "job": row})
        elif before["status"] != row["status"]:
            events.append(
                {"type": "job", "event": "status", "job": row, "previous": before["status"]}
            )
            if row["status"] == "Completed":
                events.append({"type": "job", "event": "result_ready", "job": row})
            if row["session_id"]:
                events.append({"type": "session", "event": "changed", "id": row["session_id"]})
        elif before != row:
            events.append({"type": "job", "event": "updated", "job": row})
    return events
