"""``/qrt-lab/api/sessions``: derived from the jobs list, detail, close and cancel."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tornado import web

from ...runtime.summaries.jobs import listed_session_row, session_detail, session_rows
from .jobs import check_id
from .runtime_base import RuntimeApiHandler

if TYPE_CHECKING:
    from ...runtime.api.rest import AsyncRuntimeRest


__all__ = ["SessionCancelHandler", "SessionCloseHandler", "SessionHandler", "SessionsHandler"]

#: Sessions whose details are fetched for the list (the newest ones).
DETAILED_SESSIONS = 20
#: Sessions asked of a service that lists them.
LISTED_SESSIONS = 20


def _new(item: Any, known: set[str]) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] not in known


class SessionsHandler(RuntimeApiHandler):
    """Sessions and batches seen in the newest jobs (the runtime has no session list)."""

    @web.authenticated
    async def get(self) -> None:
        """Return ``{"sessions": [...]}`` with state and accepting-jobs for the newest ones."""
        runtime, page = await self.call("jobs", lambda rest: rest.jobs(limit=200), "jobs-200")
        rows = session_rows((page or {}).get("jobs", []))
        cache = self.qrt.hub.session_cache

        async def details(rest: AsyncRuntimeRest) -> list[Any]:
            async def one(sid: str) -> Any:
                hit = cache.get((runtime.ref.key, sid))
                if hit is not None:
                    return hit
                body = await rest.session(sid)
                cache.put((runtime.ref.key, sid), body)
                return body

            wanted = [r["id"] for r in rows[:DETAILED_SESSIONS]]
            return list(await asyncio.gather(*(one(s) for s in wanted), return_exceptions=True))

        _, found = await self.call("sessions", details, ("sessions", tuple(r["id"] for r in rows)))
        for row, body in zip(rows, found, strict=False):
            if isinstance(body, dict):
                row.update(
                    mode=body.get("mode"),
                    state=body.get("state"),
                    accepting_jobs=body.get("accepting_jobs"),
                    elapsed_time=body.get("elapsed_time"),
                )
        rows += await self._listed_without_jobs({r["id"] for r in rows})
        self.write_json({"account": runtime.ref.to_json(), "sessions": rows})

    async def _listed_without_jobs(self, known: set[str]) -> list[dict[str, Any]]:
        """Sessions the service lists that no job names yet (the local service lists them)."""
        from ...runtime.exceptions import RequestsApiError

        async def listed(rest: AsyncRuntimeRest) -> Any:
            try:
                return await rest.recent_sessions(LISTED_SESSIONS)
            except RequestsApiError as err:
                if err.status_code is not None and 400 <= err.status_code < 500:
                    return None  # the platform lists no sessions
                raise

        _, body = await self.call("sessions", listed, "sessions-listed")
        items = (body or {}).get("sessions") if isinstance(body, dict) else None
        return [listed_session_row(item) for item in items or [] if _new(item, known)]


class SessionHandler(RuntimeApiHandler):
    """``GET /sessions/{id}``: state, accepting jobs, time remaining and its jobs."""

    @web.authenticated
    async def get(self, session_id: str) -> None:
        """Return the session detail."""
        check_id(session_id, "session")

        async def fetch(rest: AsyncRuntimeRest) -> tuple[Any, Any]:
            return await asyncio.gather(
                rest.session(session_id), rest.jobs(session_id=session_id, limit=200)
            )

        _, (session, page) = await self.call(
            f"session {session_id}", fetch, ("session", session_id)
        )
        self.write_json(session_detail(session, (page or {}).get("jobs", [])))


class _SessionAction(RuntimeApiHandler):
    action = ""

    async def _act(self, session_id: str) -> None:
        check_id(session_id, "session")
        method = "close_session" if self.action == "close" else "cancel_session"
        await self.call(f"session {session_id}", lambda rest: getattr(rest, method)(session_id))
        self.qrt.hub.session_cache.clear()
        self.qrt.monitor.publish({"type": "session", "event": self.action, "id": session_id})
        self.qrt.monitor.nudge()
        self.write_json({"id": session_id, self.action + "_requested": True})


class SessionCloseHandler(_SessionAction):
    """``POST /sessions/{id}/close``: stop accepting new jobs; queued ones still run."""

    action = "close"

    @web.authenticated
    async def post(self, session_id: str) -> None:
        """Close the session."""
        await self._act(session_id)


class SessionCancelHandler(_SessionAction):
    """``POST /sessions/{id}/cancel``: close it and cancel its queued jobs."""

    action = "cancel"

    @web.authenticated
    async def post(self, session_id: str) -> None:
        """Cancel the session."""
        await self._act(session_id)
