"""``%qruntime session``: the active session's state and time left; ``session close``.

In a Jupyter kernel the answer is a live :class:`qrt_lab.widgets.SessionMonitor` (on the kernel's
one poller); elsewhere a table.

The active session is the one of the innermost open ``with Session(...)`` block, else the latest
``Session``/``Batch`` opened in this kernel (told by :mod:`qrt_lab.runtime.observers`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..runtime.observers import recent_sessions
from ..runtime.summaries import words
from . import _active, _display
from ._dispatch import MagicError, choice_argument, subcommand
from ._display import Table

if TYPE_CHECKING:
    from ..runtime.session import Session

__all__ = ["active_session"]


def active_session() -> Session | None:
    """The session ``%qruntime session`` reports on, or None."""
    from ..runtime.session import current_session

    current = current_session()
    if current is not None:
        return current
    opened = [s for s in recent_sessions() if s.session_id]
    return opened[0] if opened else None


#: ``Session.details()`` names → the wire names :func:`session_detail` reads.
_WIRE_NAMES = {"max_time": "max_ttl", "active_timeout": "active_ttl", "usage_time": "elapsed_time"}


@subcommand(
    "session",
    help="The active session's state and time left; 'session close'.",
    configure=choice_argument(
        "action", ("show", "close"), "show (default) or close the active session."
    ),
)
def _session(args: argparse.Namespace) -> Any:
    session = active_session()
    if session is None or not session.session_id:
        if args.action == "close":
            raise MagicError(
                "No session is active in this kernel: open one with Session(backend) or "
                "Batch(backend) from qrt_lab.runtime, then run this again."
            )
        return _recent_table()
    if args.action == "close":
        session.close()
    if _display.widgets_render():
        from ..widgets import SessionMonitor

        return SessionMonitor(session)
    from ..runtime.summaries.jobs import session_detail

    details = session.details() or {}
    shown = session_detail({_WIRE_NAMES.get(k, k): v for k, v in details.items()}, [])
    left = shown["time_remaining_seconds"]
    rows = [
        ("id", session.session_id),
        ("backend", session.backend()),
        ("mode", shown["mode"]),
        ("status", words.status_word(session.status())),
        ("time left", words.duration(left)),
        ("usage", words.duration(shown["elapsed_time"])),
        ("accepting jobs", shown["accepting_jobs"]),
    ]
    return Table(("field", "value"), rows)


#: Jobs read to find the account's recent sessions (the platform has no session list).
RECENT_JOBS = 200


def _recent_table() -> Table:
    """The account's recent sessions and batches, from its newest jobs."""
    from ..runtime.summaries.jobs import session_rows

    jobs = _active.service().jobs(limit=RECENT_JOBS)
    rows = session_rows(
        [
            {
                "session_id": job.session_id,
                "backend": _backend_name(job),
                "created": job.creation_date.isoformat() if job.creation_date else None,
                "status": job.cached_status(),
            }
            for job in jobs
            if job.session_id
        ]
    )
    caption = (
        "No session is open in this kernel (open one with Session(backend) or Batch(backend)); "
        f"the account's recent ones: {words.plural(len(rows), 'session')}."
    )
    table_rows = [
        (
            row["id"],
            row["backend"],
            words.plural(row["job_count"], "job"),
            words.local_time(row["last_job_created"]),
        )
        for row in rows
    ]
    return Table(("session", "backend", "jobs", "last job created"), table_rows, caption=caption)


def _backend_name(job: Any) -> str | None:
    backend = getattr(job, "_backend", None)
    name = getattr(backend, "name", backend)
    return name if isinstance(name, str) else None
