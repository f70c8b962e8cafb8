"""Session routes (spec §3.14) and instance routes (§3.15, §3.16)."""

from __future__ import annotations

from datetime import datetime, timezone

from qrt_lab.local.errors import ApiError
from qrt_lab.local.instances import PLAN_ID, usage_period_start, usage_response
from qrt_lab.local.sessions import MODES
from qrt_lab.local.store import format_time

from .base import RuntimeHandler
from .limits import query_int
from .wire import session_json

UTC = timezone.utc

__all__ = [
    "InstanceHandler",
    "SessionCloseHandler",
    "SessionHandler",
    "SessionsHandler",
    "UsageHandler",
    "VersionsHandler",
]

API_VERSIONS = [
    {"version": "2024-01-01", "status": "deprecated"},
    {"version": "2025-05-01", "status": "supported"},
    {"version": "2026-04-15", "status": "live"},
]


#: Most sessions ``GET /sessions`` lists.
MAX_LISTED_SESSIONS = 100


class SessionsHandler(RuntimeHandler):
    """``POST /sessions``: open a dedicated session or a batch; ``GET /sessions``: recent ones.

    ``GET /sessions?limit=N`` is an extension of the local service (the platform lists no
    sessions): the qrt-lab server shows a new session or batch before its first job with it.
    """

    def get(self) -> None:
        """The instance's newest sessions, ``{"sessions": [JobSession], "count"}``."""
        limit = query_int(
            self.get_query_argument("limit", None), "limit", 20, 1, MAX_LISTED_SESSIONS
        )
        now = datetime.now(UTC)
        rows = self.service.store.recent_sessions(self.instance, limit)
        sessions = [session_json(row, now) for row in rows]
        self.write_json({"sessions": sessions, "count": len(sessions)})

    def post(self) -> None:
        """Validate and create the session."""
        body = self.json_body()
        if not isinstance(body, dict):
            raise ApiError.bad_request("The body must be an object with 'mode' and 'backend'.")
        mode = body.get("mode", "dedicated")
        if mode not in MODES:
            raise ApiError.bad_request(f"'mode' must be 'dedicated' or 'batch', not {mode!r}.")
        backend = body.get("backend") or body.get("backend_name")
        if not isinstance(backend, str) or self.service.catalog.get(backend) is None:
            raise ApiError.bad_request(
                f"'backend' must name a device; {backend!r} is not one. Available: "
                f"{', '.join(self.service.catalog.names())}.",
                code="backend_not_found",
            )
        instance = body.get("instance")
        if instance is not None and instance != self.instance:
            raise ApiError(
                403,
                "forbidden",
                f"'instance' {instance!r} differs from the Service-CRN header; send the same CRN.",
            )
        max_ttl = body.get("max_ttl")
        limit = self.service.config.max_ttl_limit
        if max_ttl is not None and (
            not isinstance(max_ttl, int) or isinstance(max_ttl, bool) or not 1 <= max_ttl <= limit
        ):
            raise ApiError.bad_request(f"'max_ttl' must be an integer from 1 to {limit} seconds.")
        row = self.service.sessions.create(self.instance, backend, mode, max_ttl)
        self.write_json(session_json(row, datetime.now(UTC)))


class SessionHandler(RuntimeHandler):
    """``GET /sessions/{id}`` and ``PATCH /sessions/{id}`` (``{"accepting_jobs": false}``)."""

    def get(self, session_id: str) -> None:
        """Describe the session."""
        row = self.service.require_session(session_id, self.instance)
        self.write_json(session_json(row, datetime.now(UTC)))

    def patch(self, session_id: str) -> None:
        """Stop (or keep) accepting jobs."""
        row = self.service.require_session(session_id, self.instance)
        body = self.json_body()
        accepting = body.get("accepting_jobs") if isinstance(body, dict) else None
        if not isinstance(accepting, bool):
            raise ApiError.bad_request('The body must be {"accepting_jobs": false}.')
        if accepting:
            if row["state"] == "closed":
                raise ApiError.conflict(
                    f"Session {session_id} is closed; open a new session instead.",
                    code="session_closed",
                )
            self.service.store.update_session(session_id, accepting_jobs=1)
        else:
            self.service.sessions.close(session_id, datetime.now(UTC))
        self.no_content()


class SessionCloseHandler(RuntimeHandler):
    """``DELETE /sessions/{id}/close``: stop accepting jobs and cancel the queued ones."""

    def delete(self, session_id: str) -> None:
        """Cancel the session."""
        self.service.require_session(session_id, self.instance)
        self.service.sessions.cancel(
            session_id, datetime.now(UTC), f"Session {session_id} was cancelled by the user."
        )
        self.no_content()


class UsageHandler(RuntimeHandler):
    """``GET /instances/usage``: simulated QPU seconds consumed this month."""

    def get(self) -> None:
        """Report the usage of the caller's instance."""
        now = datetime.now(UTC)
        start = format_time(usage_period_start(now))
        consumed = self.service.store.usage_since(self.instance, start)
        self.write_json(usage_response(consumed, now))


class InstanceHandler(RuntimeHandler):
    """``GET /instance``: the instance's backends and plan."""

    def get(self) -> None:
        """Describe the instance."""
        self.write_json({"backends": self.service.catalog.names(), "plan_id": PLAN_ID})


class VersionsHandler(RuntimeHandler):
    """``GET /versions``: the API versions this service understands."""

    def get(self) -> None:
        """List API versions."""
        self.write_json({"versions": API_VERSIONS})
