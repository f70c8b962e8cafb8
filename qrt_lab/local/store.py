"""The local service's state in SQLite (WAL): jobs, their params and results, sessions, usage.

One :class:`Store` is used from the event-loop thread only. Large texts (params, results) live in
their own tables so listing jobs never reads them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .state_schema import open_schema

UTC = timezone.utc

__all__ = [
    "ACTIVE_STATUSES",
    "FINAL_STATUSES",
    "JobFilter",
    "Store",
    "format_time",
    "now_iso",
]

QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED = (
    "Queued",
    "Running",
    "Completed",
    "Failed",
    "Cancelled",
)
ACTIVE_STATUSES = (QUEUED, RUNNING)
FINAL_STATUSES = (COMPLETED, FAILED, CANCELLED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    instance TEXT NOT NULL,
    program_id TEXT NOT NULL,
    backend TEXT NOT NULL,
    session_id TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    reason_code INTEGER,
    created TEXT NOT NULL,
    running TEXT,
    finished TEXT,
    cost REAL,
    tags TEXT NOT NULL DEFAULT '[]',
    log_level TEXT,
    private INTEGER NOT NULL DEFAULT 0,
    runtime TEXT NOT NULL DEFAULT '',
    calibration_id TEXT,
    caller TEXT,
    seed INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    quantum_seconds REAL NOT NULL DEFAULT 0,
    metadata TEXT NOT NULL DEFAULT '{}',
    logs TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE INDEX IF NOT EXISTS jobs_session ON jobs(session_id);
CREATE INDEX IF NOT EXISTS jobs_backend_status ON jobs(backend, status);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created);
CREATE TABLE IF NOT EXISTS job_params (job_id TEXT PRIMARY KEY, params TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS job_results (job_id TEXT PRIMARY KEY, result TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    instance TEXT NOT NULL,
    backend_name TEXT NOT NULL,
    mode TEXT NOT NULL,
    state TEXT NOT NULL,
    state_reason TEXT,
    accepting_jobs INTEGER NOT NULL DEFAULT 1,
    max_ttl INTEGER NOT NULL,
    interactive_ttl REAL NOT NULL,
    started_at TEXT NOT NULL,
    activated_at TEXT,
    closed_at TEXT,
    last_job_started TEXT,
    last_job_completed TEXT,
    elapsed_time REAL NOT NULL DEFAULT 0,
    timestamps TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS sessions_state ON sessions(state);
CREATE TABLE IF NOT EXISTS usage (
    instance TEXT NOT NULL, at TEXT NOT NULL, job_id TEXT, seconds REAL NOT NULL
);
"""


#: The columns a job listing serves: all but the logs and execution metadata (read per job).
_LISTED = (
    "seq, id, instance, program_id, backend, session_id, status, reason, reason_code, created, "
    "running, finished, cost, tags, log_level, private, runtime, calibration_id, caller, seed, "
    "attempts, quantum_seconds"
)


def format_time(value: datetime) -> str:
    """Format a datetime as the API does: UTC, microseconds, ``Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_iso() -> str:
    """The current time in API format."""
    return format_time(datetime.now(UTC))


@dataclass(frozen=True)
class JobFilter:
    """The filters of ``GET /jobs`` (spec §3.6), already validated."""

    instance: str
    limit: int = 200
    offset: int = 0
    backend: str | None = None
    pending: bool | None = None
    program: str | None = None
    tags: tuple[str, ...] = ()
    session_id: str | None = None
    created_after: str | None = None
    created_before: str | None = None
    ascending: bool = False

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition and its arguments, shared by the page query and the count."""
        clauses = ["instance = ?"]
        args: list[Any] = [self.instance]
        for column, value in (
            ("backend", self.backend),
            ("program_id", self.program),
            ("session_id", self.session_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if self.pending is not None:
            clauses.append(f"status {'IN' if self.pending else 'NOT IN'} (?, ?)")
            args.extend(ACTIVE_STATUSES)
        for tag in self.tags:
            clauses.append("EXISTS (SELECT 1 FROM json_each(jobs.tags) WHERE value = ?)")
            args.append(tag)
        if self.created_after is not None:
            clauses.append("created >= ?")
            args.append(self.created_after)
        if self.created_before is not None:
            clauses.append("created <= ?")
            args.append(self.created_before)
        return " AND ".join(clauses), args


class Store:
    """SQLite persistence of the local service."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # created 0600 before SQLite opens it; its -wal and -shm files take the same mode
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        self._db = sqlite3.connect(str(path), isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        open_schema(self._db, _SCHEMA, path)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    # jobs -----------------------------------------------------------------------------------

    def insert_job(self, job: dict[str, Any], params_text: str) -> None:
        """Store a new job (status Queued) and its params."""
        columns = ", ".join(job)
        marks = ", ".join("?" for _ in job)
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(f"INSERT INTO jobs ({columns}) VALUES ({marks})", list(job.values()))
            self._db.execute("INSERT INTO job_params VALUES (?, ?)", (job["id"], params_text))

    def job(self, job_id: str, instance: str | None = None) -> sqlite3.Row | None:
        """Return one job row, or None (also None when it belongs to another instance)."""
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM jobs WHERE id = ?", (job_id,)
        ).fetchone()
        if row is None or (instance is not None and row["instance"] != instance):
            return None
        return row

    def params(self, job_id: str) -> str:
        """The params JSON text of a job (``{}`` if missing)."""
        row = self._db.execute(
            "SELECT params FROM job_params WHERE job_id = ?", (job_id,)
        ).fetchone()
        return str(row[0]) if row else "{}"

    def result(self, job_id: str) -> str | None:
        """The stored result (or error text) of a job, or None."""
        row = self._db.execute(
            "SELECT result FROM job_results WHERE job_id = ?", (job_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def list_jobs(self, flt: JobFilter) -> tuple[list[sqlite3.Row], int]:
        """One page of jobs (without logs and metadata) and the total matching the filters."""
        where, args = flt.where()
        way = "ASC" if flt.ascending else "DESC"
        # by creation (the platform's order), then submission; one instance's (status or
        # session, ...) created index serves it. The few pending jobs are found by status and
        # sorted ("+" keeps SQLite from walking the whole history in created order instead).
        first = "+created" if flt.pending else "created"
        order = f"{first} {way}, seq {way}"
        with self._db:
            self._db.execute("BEGIN")
            count = self._db.execute(f"SELECT COUNT(*) FROM jobs WHERE {where}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT {_LISTED} FROM jobs WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*args, flt.limit, flt.offset],
            ).fetchall()
        return rows, int(count)

    def update_job(self, job_id: str, only_if: Sequence[str] = (), **fields: Any) -> bool:
        """Update columns of a job; with ``only_if``, only while its status is one of those.

        Returns:
            True if a row changed.
        """
        sets = ", ".join(f"{name} = ?" for name in fields)
        sql = f"UPDATE jobs SET {sets} WHERE id = ?"
        args = [*fields.values(), job_id]
        if only_if:
            sql += f" AND status IN ({', '.join('?' for _ in only_if)})"
            args.extend(only_if)
        return self._db.execute(sql, args).rowcount > 0

    def append_log(self, job_id: str, line: str) -> None:
        """Append one line to a job's logs."""
        self._db.execute(
            "UPDATE jobs SET logs = logs || ? WHERE id = ?", (f"{now_iso()} {line}\n", job_id)
        )

    def finish_job(
        self, job_id: str, fields: dict[str, Any], result: str, usage_seconds: float
    ) -> bool:
        """Record a worker's outcome if the job is still Running; charge its usage.

        Returns:
            False if the job was cancelled (or deleted) meanwhile, so the outcome is discarded.
        """
        with self._db:
            self._db.execute("BEGIN")
            row = self._db.execute(
                "SELECT instance FROM jobs WHERE id = ? AND status = ?", (job_id, RUNNING)
            ).fetchone()
            if row is None:
                return False
            sets = ", ".join(f"{name} = ?" for name in fields)
            self._db.execute(f"UPDATE jobs SET {sets} WHERE id = ?", [*fields.values(), job_id])
            self._db.execute("INSERT OR REPLACE INTO job_results VALUES (?, ?)", (job_id, result))
            if usage_seconds > 0:
                self._db.execute(
                    "INSERT INTO usage VALUES (?, ?, ?, ?)",
                    (row["instance"], now_iso(), job_id, usage_seconds),
                )
        return True

    def put_result(self, job_id: str, text: str) -> None:
        """Store a job's result text (used for jobs that end without a worker outcome)."""
        self._db.execute("INSERT OR REPLACE INTO job_results VALUES (?, ?)", (job_id, text))

    def delete_result(self, job_id: str) -> None:
        """Forget a job's result text (a private job's result after its one read)."""
        self._db.execute("DELETE FROM job_results WHERE job_id = ?", (job_id,))

    def delete_job(self, job_id: str) -> None:
        """Delete a job with its params and result (usage already charged stays)."""
        with self._db:
            self._db.execute("BEGIN")
            for table, column in (
                ("jobs", "id"),
                ("job_params", "job_id"),
                ("job_results", "job_id"),
            ):
                self._db.execute(f"DELETE FROM {table} WHERE {column} = ?", (job_id,))

    def queued_jobs(self, limit: int) -> list[sqlite3.Row]:
        """The next jobs to run: dedicated-session jobs first, then by submission order."""
        return self._db.execute(
            "SELECT jobs.* FROM jobs LEFT JOIN sessions ON jobs.session_id = sessions.id "
            "WHERE jobs.status = ? "
            "ORDER BY CASE WHEN sessions.mode = 'dedicated' THEN 0 ELSE 1 END, jobs.seq LIMIT ?",
            (QUEUED, limit),
        ).fetchall()

    def jobs_with_status(self, status: str, session_id: str | None = None) -> list[sqlite3.Row]:
        """All jobs in one status, optionally only those of one session."""
        if session_id is None:
            return self._db.execute("SELECT * FROM jobs WHERE status = ?", (status,)).fetchall()
        return self._db.execute(
            "SELECT * FROM jobs WHERE status = ? AND session_id = ?", (status, session_id)
        ).fetchall()

    def queue_lengths(self) -> dict[str, int]:
        """Queued plus running jobs per backend."""
        rows = self._db.execute(
            "SELECT backend, COUNT(*) FROM jobs WHERE status IN (?, ?) GROUP BY backend",
            ACTIVE_STATUSES,
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def active_jobs_in_session(self, session_id: str) -> int:
        """Queued plus running jobs of a session."""
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM jobs WHERE session_id = ? AND status IN (?, ?)",
                (session_id, *ACTIVE_STATUSES),
            ).fetchone()[0]
        )

    # sessions -------------------------------------------------------------------------------

    def insert_session(self, session: dict[str, Any]) -> None:
        """Store a new session."""
        columns = ", ".join(session)
        marks = ", ".join("?" for _ in session)
        self._db.execute(
            f"INSERT INTO sessions ({columns}) VALUES ({marks})", list(session.values())
        )

    def session(self, session_id: str, instance: str | None = None) -> sqlite3.Row | None:
        """Return one session row, or None."""
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None or (instance is not None and row["instance"] != instance):
            return None
        return row

    def update_session(self, session_id: str, **fields: Any) -> None:
        """Update columns of a session."""
        sets = ", ".join(f"{name} = ?" for name in fields)
        self._db.execute(f"UPDATE sessions SET {sets} WHERE id = ?", [*fields.values(), session_id])

    def recent_sessions(self, instance: str, limit: int) -> list[sqlite3.Row]:
        """The instance's newest sessions (by start), newest first."""
        return self._db.execute(
            "SELECT * FROM sessions WHERE instance = ? ORDER BY started_at DESC, rowid DESC "
            "LIMIT ?",
            (instance, limit),
        ).fetchall()

    def sessions_in_states(self, states: Iterable[str]) -> list[sqlite3.Row]:
        """Sessions whose state is one of ``states``."""
        states = list(states)
        marks = ", ".join("?" for _ in states)
        return self._db.execute(
            f"SELECT * FROM sessions WHERE state IN ({marks})", states
        ).fetchall()

    # usage ----------------------------------------------------------------------------------

    def usage_since(self, instance: str, start: str) -> float:
        """Seconds of simulated QPU time charged to ``instance`` since ``start`` (API time)."""
        row = self._db.execute(
            "SELECT COALESCE(SUM(seconds), 0) FROM usage WHERE instance = ? AND at >= ?",
            (instance, start),
        ).fetchone()
        return float(row[0])
