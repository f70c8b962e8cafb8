"""Callbacks told about every job and session this process creates (e.g. a notebook job watcher).

A callback runs in the submitting thread right after the service accepted the job or session;
it must be quick. An exception in a callback is logged and never fails the submission.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .job import RuntimeJobV2
    from .session import Session

__all__ = ["on_job_submitted", "on_session_created", "recent_sessions"]

logger = logging.getLogger(__name__)

JobCallback = Callable[["RuntimeJobV2"], None]
SessionCallback = Callable[["Session"], None]

_job_callbacks: list[JobCallback] = []
_session_callbacks: list[SessionCallback] = []
#: Sessions opened in this process, oldest first (weak: a dropped session is forgotten).
_recent_sessions: list[weakref.ref[Session]] = []
#: Sessions remembered at most.
MAX_RECENT_SESSIONS = 32


def on_job_submitted(callback: JobCallback) -> Callable[[], None]:
    """Call ``callback(job)`` for every job the primitives submit from now on.

    Args:
        callback: Receives the new :class:`~qrt_lab.runtime.RuntimeJobV2`.

    Returns:
        A function that unregisters the callback (safe to call twice).
    """
    _job_callbacks.append(callback)
    return lambda: _remove(_job_callbacks, callback)


def on_session_created(callback: SessionCallback) -> Callable[[], None]:
    """Call ``callback(session)`` for every ``Session``/``Batch`` opened on the service.

    Args:
        callback: Receives the new session.

    Returns:
        A function that unregisters the callback (safe to call twice).
    """
    _session_callbacks.append(callback)
    return lambda: _remove(_session_callbacks, callback)


def _remove(callbacks: list[JobCallback] | list[SessionCallback], callback: object) -> None:
    if callback in callbacks:
        callbacks.remove(callback)  # type: ignore[arg-type]


def job_submitted(job: RuntimeJobV2) -> None:
    """Tell the registered callbacks about ``job`` (called by the primitives)."""
    for callback in list(_job_callbacks):
        try:
            callback(job)
        except Exception:  # a broken watcher must not fail the user's submission
            logger.exception("job callback %r failed for job %s", callback, job.job_id())


def session_created(session: Session) -> None:
    """Remember ``session`` and tell the registered callbacks (called by ``Session``)."""
    _recent_sessions.append(weakref.ref(session))
    del _recent_sessions[:-MAX_RECENT_SESSIONS]
    for callback in list(_session_callbacks):
        try:
            callback(session)
        except Exception:  # a broken watcher must not fail the user's session
            logger.exception("session callback %r failed", callback)


def recent_sessions() -> list[Session]:
    """Every ``Session``/``Batch`` opened in this process and still referenced, newest first.

    Recorded from the moment ``qrt_lab.runtime`` opened them, whether or not anything had
    registered a callback yet (``%qruntime session`` finds sessions opened before ``%load_ext``).
    """
    alive = [s for s in (ref() for ref in reversed(_recent_sessions)) if s is not None]
    return alive
