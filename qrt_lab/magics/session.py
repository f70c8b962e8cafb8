"""``%qruntime session``: the active session's state and time left; ``session close``.

In a Jupyter kernel the answer is a live :class:`qrt_lab.widgets.SessionMonitor` (on the kernel's
one poller); elsewhere a table.

The active session is the one of the innermost open ``with Session(...)`` block, else the latest
``Session``/``Batch`` opened in this kernel (told by :mod:`qrt_lab.runtime.observers`).
"""

from __future__ import annotations

import argparse
import weakref
from typing import TYPE_CHECKING, Any

from ..runtime.observers import on_session_created
from . import _display
from ._dispatch import MagicError, choice_argument, subcommand
from ._display import Table

if TYPE_CHECKING:
    from ..runtime.session import Session

__all__ = ["active_session"]

_latest: weakref.ref[Session] | None = None


def _remember(session: Session) -> None:
    global _latest
    _latest = weakref.ref(session)


on_session_created(_remember)


def active_session() -> Session | None:
    """The session ``%qruntime session`` reports on, or None."""
    from ..runtime.session import current_session

    return current_session() or (_latest() if _latest is not None else None)


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
        raise MagicError(
            "No session is active in this kernel: open one with Session(backend) or "
            "Batch(backend) from qrt_lab.runtime, then run this again."
        )
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
        ("status", session.status()),
        ("time left", f"{left:.0f} s" if left is not None else "unknown"),
        ("used", shown["elapsed_time"]),
        ("accepting jobs", shown["accepting_jobs"]),
    ]
    return Table(("field", "value"), rows)
