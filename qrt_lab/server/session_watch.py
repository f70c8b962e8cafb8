"""Open sessions and batches, watched for the live monitor.

The runtime has no session list, so the sessions worth watching are those of non-final jobs plus
those last seen open; each is refreshed with ``GET /sessions/{id}`` at most every
``session_poll_interval`` seconds (bounded in number), and a change of state, of
``accepting_jobs`` or of usage becomes a ``session`` event. Where the service lists sessions
(``GET /sessions``: the local service; the platform has no listing and answers 4xx, after which
the account is not asked again), every poll also lists the newest ones: a session or batch not
seen before becomes a ``changed`` event (it shows before its first job), and changes of the
listed ones become ``state`` events without a request per session.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..runtime.api.rest import AsyncRuntimeRest

__all__ = ["MAX_WATCHED_SESSIONS", "SessionWatch"]

#: Sessions refreshed per round at most (the newest ids first).
MAX_WATCHED_SESSIONS = 10
_FIELDS = ("state", "accepting_jobs", "backend_name", "mode", "elapsed_time")
#: Sessions listed per poll where the service lists them.
LISTED_SESSIONS = 20


class SessionWatch:
    """Last known state of the watched sessions.

    Args:
        interval: Seconds between two refresh rounds.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.sessions: dict[str, dict[str, Any]] = {}
        self._last_round = 0.0
        #: Whether the service lists sessions (None: not asked yet).
        self.lists: bool | None = None
        self._listed: set[str] = set()

    def due(self) -> bool:
        """Whether a refresh round is due."""
        return time.monotonic() - self._last_round >= self.interval

    def wanted(self, jobs: Iterable[dict[str, Any]]) -> list[str]:
        """Sessions to refresh: those of non-final jobs, then those last seen open."""
        ids = [j["session_id"] for j in jobs if j.get("session_id") and not j.get("final")]
        ids += [sid for sid, s in self.sessions.items() if s.get("state") != "closed"]
        # a session in the last listing is already up to date: no request of its own
        ids = [sid for sid in dict.fromkeys(ids) if sid not in self._listed]
        return ids[:MAX_WATCHED_SESSIONS]

    async def refresh(
        self, rest: AsyncRuntimeRest, jobs: Iterable[dict[str, Any]]
    ) -> tuple[int, list[dict[str, Any]]]:
        """Fetch the wanted sessions; return ``(requests made, session events)``."""
        from ..runtime.api.job_refresh import SessionRefresh, adrive  # with the runtime client

        self._last_round = time.monotonic()
        wanted = self.wanted(jobs)
        bodies = await adrive(SessionRefresh(wanted).flow(), rest.send)
        events: list[dict[str, Any]] = []
        for sid, body in bodies.items():
            if body is None:  # gone (404)
                self.sessions.pop(sid, None)
                continue
            view = {key: body.get(key) for key in _FIELDS}
            previous = self.sessions.get(sid)
            if previous != view:
                self.sessions[sid] = view
                event = {"type": "session", "event": "state", "id": sid, "session": view}
                if previous is not None:
                    event["previous"] = previous
                events.append(event)
        return len(bodies), events

    async def discover(self, rest: AsyncRuntimeRest) -> tuple[int, list[dict[str, Any]]]:
        """List the newest sessions where the service can; return ``(requests, events)``.

        The first listing of an account is the baseline (no events); afterwards a new id is a
        ``changed`` event and a changed view a ``state`` event.
        """
        from ..runtime.exceptions import RequestsApiError

        if self.lists is False:
            return 0, []
        try:
            body = await rest.recent_sessions(LISTED_SESSIONS)
        except RequestsApiError as err:
            if err.status_code is not None and 400 <= err.status_code < 500:
                self.lists = False  # the platform lists no sessions: never ask this account again
                return 1, []
            raise
        listed = body.get("sessions") if isinstance(body, dict) else None
        if not isinstance(listed, list):
            self.lists = False
            return 1, []
        baseline, self.lists = self.lists is None, True
        self._listed = {
            i["id"] for i in listed if isinstance(i, dict) and isinstance(i.get("id"), str)
        }
        events: list[dict[str, Any]] = []
        for item in listed:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            sid, view = item["id"], {key: item.get(key) for key in _FIELDS}
            previous = self.sessions.get(sid)
            if previous == view:
                continue
            self.sessions[sid] = view
            if previous is None and not baseline:
                events.append({"type": "session", "event": "changed", "id": sid, "session": view})
            elif previous is not None:
                events.append(
                    {
                        "type": "session",
                        "event": "state",
                        "id": sid,
                        "session": view,
                        "previous": previous,
                    }
                )
        return 1, events

    def clear(self) -> None:
        """Forget everything (account change)."""
        self.sessions.clear()
        self._last_round = 0.0
        self.lists = None
        self._listed = set()
