"""Sessions as live as jobs: a new session or batch is pushed within 5 s with default settings."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from server_support import local_rest, on_session_service

from qrt_lab.server.session_watch import SessionWatch

#: What the issue asks: a new session shows within this many seconds with default settings.
SHOWN_WITHIN = 5.0


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """Default monitor settings, on the session's local service."""
    return on_session_service(jp_server_config, local_service)


async def first_event(ws: Any, done: Any, timeout: float) -> dict[str, Any]:
    """The first event for which ``done`` is true, within ``timeout`` seconds (others are read
    and dropped: wait for several things with one ``done``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen: list[dict[str, Any]] = []
    while True:
        remaining = deadline - loop.time()
        assert remaining > 0, f"nothing within {timeout} s; events so far: {seen[-5:]}"
        try:
            message = await asyncio.wait_for(ws.read_message(), remaining)
        except asyncio.TimeoutError:
            pytest.fail(f"nothing within {timeout} s; events so far: {seen[-5:]}")
        assert message is not None, "the events socket closed"
        event: dict[str, Any] = json.loads(message)
        seen.append(event)
        if done(event):
            return event


def about(sid: str, kind: str) -> Any:
    return lambda e: e.get("type") == "session" and e.get("event") == kind and e.get("id") == sid


async def test_a_new_session_and_batch_are_pushed_live_and_listed(
    qrt_local: Any, jp_ws_fetch: Any, qrt_api: Any
) -> None:
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    rest = local_rest(qrt_local)
    try:
        await first_event(ws, lambda e: e["type"] == "snapshot", 30)
        body = {"mode": "dedicated", "backend": "local_5q", "instance": qrt_local.instance}
        session = (await rest.create_session(body))["id"]
        batch = (await rest.create_session({**body, "mode": "batch"}))["id"]
        new: dict[str, dict[str, Any]] = {}

        def both(event: dict[str, Any]) -> bool:
            if about(session, "changed")(event) or about(batch, "changed")(event):
                new[event["id"]] = event["session"]
            return len(new) == 2

        await first_event(ws, both, SHOWN_WITHIN)
        assert new[session]["state"] == "open" and new[session]["elapsed_time"] == 0
        assert new[batch]["mode"] == "batch"
        status, listing = await qrt_api("GET", "sessions")
        assert status == 200
        rows = {row["id"]: row for row in listing["sessions"]}
        assert rows[session]["job_count"] == 0 and rows[session]["elapsed_time"] == 0
        assert rows[batch]["mode"] == "batch" and rows[batch]["state"] == "open"
        await rest.close_session(session)
        closed = await first_event(ws, about(session, "state"), SHOWN_WITHIN)
        assert closed["session"]["accepting_jobs"] is False
        await rest.cancel_session(batch)
        cancelled = await first_event(ws, about(batch, "state"), SHOWN_WITHIN)
        assert cancelled["session"]["state"] == "closed"
    finally:
        await rest.aclose()
        ws.close()


class _NoListing:
    """A service without ``GET /sessions`` (the platform): answers 404 once, never asked again."""

    def __init__(self) -> None:
        self.calls = 0

    async def recent_sessions(self, limit: int) -> Any:
        from qrt_lab.runtime.exceptions import RequestsApiError

        self.calls += 1
        raise RequestsApiError("Not Found", status_code=404)


async def test_a_service_without_a_session_listing_is_asked_once() -> None:
    watch = SessionWatch(5.0)
    service = _NoListing()
    assert await watch.discover(service) == (1, [])  # type: ignore[arg-type]
    assert await watch.discover(service) == (0, [])  # type: ignore[arg-type]
    assert service.calls == 1 and watch.lists is False
    watch.clear()
    assert watch.lists is None
