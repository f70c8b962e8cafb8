"""What the browser sees of jobs and sessions (no tornado, no qiskit).

Job rows come straight from ``GET /jobs`` items; the detail view adds metrics, logs and a
plain-language explanation of the reason code. Sessions are derived from the jobs list (the
runtime has no session list) plus ``GET /sessions/{id}``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..api.timestamps import parse_timestamp
from .reasons import explain_reason

__all__ = [
    "FINAL_STATUSES",
    "JobSummary",
    "job_detail",
    "listed_session_row",
    "session_detail",
    "session_rows",
]

#: Runtime statuses after which a job never changes again.
FINAL_STATUSES = frozenset({"Completed", "Failed", "Cancelled"})


def api_status(job: dict[str, Any]) -> str:
    """The job's title-case status, from ``state.status`` (falls back to ``status``)."""
    state = job.get("state") if isinstance(job.get("state"), dict) else {}
    raw = str((state or {}).get("status") or job.get("status") or "Unknown")
    # "CANCELLED - RAN TOO LONG" and other odd spellings keep only their first word
    word = raw.split(" - ")[0].strip()
    return word[:1].upper() + word[1:].lower()


@dataclass(frozen=True)
class JobSummary:
    """One job as listed in the sidebar.

    Attributes:
        id: Job id.
        status: ``Queued``, ``Running``, ``Completed``, ``Failed`` or ``Cancelled``.
        final: Whether the status can no longer change.
        backend: Backend name.
        program: Program id (``sampler``, ``estimator`` ...).
        created: Creation time (ISO string).
        session_id: Session or batch id, if any.
        tags: Job tags.
        usage_seconds: Quantum seconds charged (None while unknown).
        reason: The runtime's reason text, if any.
        reason_code: The runtime's reason code, if any.
        explanation: Plain-language explanation of the reason (None for healthy jobs).
        private: Whether the job is private.
        estimated_running_time_seconds: The runtime's estimate.
    """

    id: str
    status: str
    final: bool
    backend: str | None
    program: str | None
    created: str | None
    session_id: str | None
    tags: list[str] = field(default_factory=list)
    usage_seconds: float | None = None
    reason: str | None = None
    reason_code: int | None = None
    explanation: dict[str, Any] | None = None
    private: bool = False
    estimated_running_time_seconds: float | None = None

    @classmethod
    def from_api(cls, job: dict[str, Any]) -> JobSummary:
        """Build a row from one job object of ``GET /jobs`` or ``GET /jobs/{id}``."""
        state = job.get("state") if isinstance(job.get("state"), dict) else {}
        state = state or {}
        status = api_status(job)
        code = state.get("reason_code", state.get("reasonCode"))
        reason = state.get("reason")
        if (
            status == "Cancelled"
            and code is None
            and "too long" in str(job.get("status", "")).lower()
        ):
            code = 1305
        explained = explain_reason(code, reason) if status in {"Failed", "Cancelled"} else None
        if status == "Cancelled" and code is None:
            explained = None  # a plain user cancel needs no explanation
        program = job.get("program")
        usage = job.get("usage") if isinstance(job.get("usage"), dict) else {}
        seconds = (usage or {}).get("qpu_charge_time_seconds", (usage or {}).get("quantum_seconds"))
        return cls(
            id=str(job.get("id", "")),
            status=status,
            final=status in FINAL_STATUSES,
            backend=job.get("backend"),
            program=program.get("id") if isinstance(program, dict) else program,
            created=job.get("created"),
            session_id=job.get("session_id"),
            tags=list(job.get("tags") or []),
            usage_seconds=float(seconds) if isinstance(seconds, int | float) else None,
            reason=reason,
            reason_code=_code(code),
            explanation=explained.to_json() if explained else None,
            private=bool(job.get("private", False)),
            estimated_running_time_seconds=job.get("estimated_running_time_seconds"),
        )

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


def _code(code: Any) -> int | None:
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    return int(code) if isinstance(code, str) and code.isdigit() else None


def job_detail(
    job: dict[str, Any], metrics: dict[str, Any] | None, logs: str | None
) -> dict[str, Any]:
    """The job detail view: the row plus timestamps, usage, metrics and logs.

    Args:
        job: ``GET /jobs/{id}`` body.
        metrics: ``GET /jobs/{id}/metrics`` body, or None if unavailable.
        logs: ``GET /jobs/{id}/logs`` text, or None.

    Returns:
        A JSON-ready dict.
    """
    detail = JobSummary.from_api(job).to_json()
    metrics = metrics or {}
    detail.update(
        timestamps=metrics.get("timestamps") or {"created": job.get("created")},
        usage=metrics.get("usage") or job.get("usage"),
        metrics=metrics,
        logs=logs or "",
        cost=job.get("cost"),
        runtime=job.get("runtime"),
    )
    return detail


def _job_time(job: dict[str, Any]) -> str:
    return str(job.get("created") or "")


def session_rows(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group listed jobs by ``session_id`` into session rows (newest session first)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for job in jobs:
        sid = job.get("session_id")
        if sid:
            grouped.setdefault(str(sid), []).append(job)
    rows = []
    for sid, members in grouped.items():
        statuses = [api_status(j) for j in members]
        rows.append(
            {
                "id": sid,
                "backend": members[0].get("backend"),
                "job_count": len(members),
                "open_jobs": sum(1 for s in statuses if s not in FINAL_STATUSES),
                "last_job_created": max(_job_time(j) for j in members),
                # filled from GET /sessions/{id} for the newest sessions; null when not fetched
                "mode": None,
                "state": None,
                "accepting_jobs": None,
                "elapsed_time": None,
            }
        )
    rows.sort(key=lambda r: str(r["last_job_created"]), reverse=True)
    return rows


def listed_session_row(session: dict[str, Any]) -> dict[str, Any]:
    """A session row (as :func:`session_rows` makes) from a ``JobSession`` with no jobs yet."""
    return {
        "id": str(session.get("id")),
        "backend": session.get("backend_name"),
        "job_count": 0,
        "open_jobs": 0,
        "last_job_created": session.get("started_at"),
        "mode": session.get("mode"),
        "state": session.get("state"),
        "accepting_jobs": session.get("accepting_jobs"),
        "elapsed_time": session.get("elapsed_time"),
    }


def session_detail(
    session: dict[str, Any], jobs: list[dict[str, Any]], now: datetime | None = None
) -> dict[str, Any]:
    """The session/batch detail: state, accepting jobs, time remaining and its jobs.

    Time remaining is ``max_ttl`` minus the time since activation (or start), and never negative;
    None when the runtime gives neither.
    """
    now = now or datetime.now(timezone.utc)
    started = parse_timestamp(session.get("activated_at") or session.get("started_at"))
    max_ttl = session.get("max_ttl")
    remaining: float | None = None
    if isinstance(session.get("active_ttl"), int | float) and session.get("state") == "active":
        remaining = float(session["active_ttl"])
    elif started is not None and isinstance(max_ttl, int | float):
        remaining = max(0.0, float(max_ttl) - (now - started).total_seconds())
    state = str(session.get("state") or "unknown")
    return {
        "id": session.get("id"),
        "backend": session.get("backend_name"),
        "mode": session.get("mode"),
        "state": state,
        "accepting_jobs": bool(session.get("accepting_jobs", False)),
        "max_ttl": max_ttl,
        "time_remaining_seconds": None if state == "closed" else remaining,
        "started_at": session.get("started_at"),
        "closed_at": session.get("closed_at"),
        "elapsed_time": session.get("elapsed_time"),
        "jobs": [JobSummary.from_api(j).to_json() for j in jobs],
    }
