"""``%qruntime session``: the active session's state and time left; ``session close``.

The active session is the one of the innermost open ``with Session(...)`` block, else the latest
``Session``/``Batch`` opened in this kernel (told by :mod:`qrt_lab.runtime.observers`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import weakref
from typing import TYPE_CHECKING, Any

from ..runtime.observers import on_session_created
from ._dispatch import MagicError, subcommand
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


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def time_left(details: dict[str, Any], now: dt.datetime | None = None) -> float | None:
    """Seconds until the session's maximum time runs out (None when unknown, 0 when closed)."""
    if details.get("state") == "closed":
        return 0.0
    start = _time(details.get("activated_at")) or _time(details.get("started_at"))
    limit = details.get("max_time")
    if start is None or not isinstance(limit, int | float):
        return None
    elapsed = ((now or dt.datetime.now(dt.timezone.utc)) - start).total_seconds()
    return max(float(limit) - elapsed, 0.0)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=("show", "close"),
        default="show",
        help="show (default) or close the active session.",
    )


@subcommand(
    "session",
    help="The active session's state and time left; 'session close'.",
    configure=_configure,
)
def _session(args: argparse.Namespace) -> Table:
    session = active_session()
    if session is None or not session.session_id:
        raise MagicError(
            "No session is active in this kernel: open one with Session(backend) or "
            "Batch(backend) from qrt_lab.runtime, then run this again."
        )
    if args.action == "close":
        session.close()
    details = session.details() or {}
    left = time_left(details)
    rows = [
        ("id", session.session_id),
        ("backend", session.backend()),
        ("mode", details.get("mode")),
        ("status", session.status()),
        ("time left", f"{left:.0f} s" if left is not None else "unknown"),
        ("used", details.get("usage_time")),
        ("accepting jobs", details.get("accepting_jobs")),
    ]
    return Table(("field", "value"), rows)
