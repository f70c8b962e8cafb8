"""Session and batch lifecycle (spec §3.14): states, ``accepting_jobs``, timeouts, close/cancel.

States: ``open`` (created, no job started yet) → ``active`` (a job started) → ``inactive``
(dedicated session idle for ``interactive_ttl``; a new job makes it active again) → ``closed``
(``max_ttl`` reached, or closed/cancelled and no job left). Closing stops new jobs and lets queued
and running ones finish; cancelling also cancels the queued ones.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import datetime, timezone

from qrt_lab.runtime.api.timestamps import read_timestamp

from .config import ServiceConfig
from .errors import ApiError
from .store import CANCELLED, QUEUED, Store, format_time

UTC = timezone.utc

__all__ = ["SessionBook"]

MODES = ("dedicated", "batch")
LIVE_STATES = ("open", "active", "inactive")


class SessionBook:
    """Creates sessions and moves them through their states."""

    def __init__(self, store: Store, config: ServiceConfig) -> None:
        self._store = store
        self._config = config

    def create(self, instance: str, backend: str, mode: str, max_ttl: int | None) -> sqlite3.Row:
        """Create an open session; arguments are already validated."""
        now = format_time(datetime.now(UTC))
        session_id = "s" + secrets.token_hex(10)
        self._store.insert_session(
            {
                "id": session_id,
                "instance": instance,
                "backend_name": backend,
                "mode": mode,
                "state": "open",
                "accepting_jobs": 1,
                "max_ttl": max_ttl if max_ttl is not None else self._config.default_max_ttl,
                "interactive_ttl": self._config.interactive_ttl,
                "started_at": now,
                "timestamps": json.dumps([{"status": "open", "timestamp": now}]),
            }
        )
        row = self._store.session(session_id)
        assert row is not None
        return row

    def require_accepting(self, session_id: str, instance: str, backend: str) -> sqlite3.Row:
        """Return the session a new job joins, or raise why the job cannot join it."""
        row = self._store.session(session_id, instance)
        if row is None:
            raise ApiError.bad_request(
                f"Session {session_id!r} was not found. Create it with POST /sessions (or open a "
                "new Session/Batch) and submit the job with that session's id.",
                code="session_not_found",
            )
        if row["state"] == "closed" or not row["accepting_jobs"]:
            raise ApiError.conflict(
                f"Session {session_id} is {row['state']} and no longer accepts jobs. Open a new "
                "Session or Batch and submit the job there.",
                code="session_not_accepting_jobs",
            )
        if row["backend_name"] != backend:
            raise ApiError.bad_request(
                f"Session {session_id} runs on {row['backend_name']!r}, not {backend!r}. Submit "
                "the job to the session's backend or open a session on the other backend.",
                code="session_backend_mismatch",
            )
        return row

    def job_started(self, session_id: str, now: datetime) -> None:
        """A job of the session started running: the session is active."""
        row = self._store.session(session_id)
        if row is None:
            return
        stamp = format_time(now)
        fields: dict[str, object] = {"last_job_started": stamp}
        if row["activated_at"] is None:
            fields["activated_at"] = stamp
        if row["state"] in ("open", "inactive"):
            fields.update(self._transition(row, "active", stamp))
        self._store.update_session(session_id, **fields)

    def job_finished(self, session_id: str, now: datetime, quantum_seconds: float) -> None:
        """A job of the session reached a final state."""
        row = self._store.session(session_id)
        if row is None:
            return
        self._store.update_session(
            session_id,
            last_job_completed=format_time(now),
            elapsed_time=row["elapsed_time"] + quantum_seconds,
        )
        self._close_if_drained(session_id, now)

    def close(self, session_id: str, now: datetime) -> None:
        """Stop accepting jobs; queued and running jobs still finish."""
        self._store.update_session(session_id, accepting_jobs=0)
        self._close_if_drained(session_id, now)

    def cancel(self, session_id: str, now: datetime, reason: str) -> list[str]:
        """Stop accepting jobs and cancel the queued ones; returns the cancelled job ids."""
        self._store.update_session(session_id, accepting_jobs=0)
        cancelled = self._cancel_queued(session_id, now, reason)
        self._close_if_drained(session_id, now)
        return cancelled

    def tick(self, now: datetime) -> list[str]:
        """Apply ``max_ttl`` and the interactive timeout; returns job ids cancelled by it."""
        cancelled: list[str] = []
        for row in self._store.sessions_in_states(LIVE_STATES):
            start = row["activated_at"] or row["started_at"]
            age = (now - read_timestamp(start)).total_seconds()
            if age >= row["max_ttl"]:
                reason = (
                    f"Session {row['id']} reached its maximum time of {row['max_ttl']} s (max_ttl)."
                )
                self._store.update_session(row["id"], accepting_jobs=0, state_reason=reason)
                cancelled += self._cancel_queued(row["id"], now, reason)
                self._close_if_drained(row["id"], now, force=True)
            elif row["state"] == "active" and self._idle_for(row, now) >= row["interactive_ttl"]:
                self._store.update_session(
                    row["id"], **self._transition(row, "inactive", format_time(now))
                )
            elif not row["accepting_jobs"]:
                self._close_if_drained(row["id"], now)
        return cancelled

    def _idle_for(self, row: sqlite3.Row, now: datetime) -> float:
        if self._store.active_jobs_in_session(row["id"]):
            return 0.0
        last = row["last_job_completed"] or row["activated_at"]
        return (now - read_timestamp(last)).total_seconds()

    def _cancel_queued(self, session_id: str, now: datetime, reason: str) -> list[str]:
        ids = []
        for job in self._store.jobs_with_status(QUEUED, session_id):
            if self._store.update_job(
                job["id"],
                only_if=(QUEUED,),
                status=CANCELLED,
                reason=reason,
                finished=format_time(now),
            ):
                self._store.put_result(job["id"], f"Job {job['id']} was cancelled: {reason}")
                ids.append(job["id"])
        return ids

    def _close_if_drained(self, session_id: str, now: datetime, force: bool = False) -> None:
        row = self._store.session(session_id)
        if row is None or row["state"] == "closed" or row["accepting_jobs"]:
            return
        if force or not self._store.active_jobs_in_session(session_id):
            stamp = format_time(now)
            self._store.update_session(
                session_id, closed_at=stamp, **self._transition(row, "closed", stamp)
            )

    @staticmethod
    def _transition(row: sqlite3.Row, state: str, stamp: str) -> dict[str, object]:
        stamps = json.loads(row["timestamps"])
        stamps.append({"status": state, "timestamp": stamp})
        return {"state": state, "timestamps": json.dumps(stamps)}
