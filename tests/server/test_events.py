"""The events websocket: live job transitions, and a runtime outage followed by recovery."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from server_support import local_rest, on_session_service, submit_sampler, wait_final

from qrt_lab.server.state import SETTINGS_KEY


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """Fast polling so short local jobs are seen in every state."""
    return on_session_service(
        jp_server_config,
        local_service,
        poll_interval_active=0.1,
        poll_interval_idle=0.3,
        poll_backoff_max=0.5,
        session_poll_interval=0.3,
    )


async def next_event(ws: Any, timeout: float = 60.0) -> dict[str, Any]:
    message = await asyncio.wait_for(ws.read_message(), timeout)
    assert message is not None, "the events socket closed"
    event: dict[str, Any] = json.loads(message)
    return event


async def events_until(ws: Any, done: Any, timeout: float = 120.0) -> list[dict[str, Any]]:
    """Read events until ``done(event)`` is true; return all of them."""
    seen: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        remaining = deadline - loop.time()
        assert remaining > 0, f"timed out; events so far: {seen[-10:]}"
        event = await next_event(ws, remaining)
        seen.append(event)
        if done(event):
            return seen


def statuses_of(events: list[dict[str, Any]], job_id: str) -> list[str]:
    out: list[str] = []
    for event in events:
        job = event.get("job") or {}
        if event.get("event") not in {"created", "status"} or job.get("id") != job_id:
            continue
        if not out or out[-1] != job["status"]:
            out.append(job["status"])
    return out


async def test_a_submitted_job_goes_queued_running_completed(
    qrt_local: Any, jp_ws_fetch: Any
) -> None:
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    first = await next_event(ws)
    assert first["type"] == "snapshot" and first["available"] is True
    rest = local_rest(qrt_local)
    try:
        # two long jobs occupy both workers, so the third one is seen waiting in the queue
        blockers = [await submit_sampler(rest, shots=100_000, pubs=2, reps=6) for _ in range(2)]
        target = await submit_sampler(rest, shots=100_000, pubs=1, reps=6)
        events = await events_until(
            ws,
            lambda e: e.get("event") == "result_ready" and e["job"]["id"] == target,
        )
        for job_id in blockers:
            await wait_final(rest, job_id)
    finally:
        await rest.aclose()
        ws.close()
    assert statuses_of(events, target) == ["Queued", "Running", "Completed"]
    created = next(e for e in events if e.get("event") == "created" and e["job"]["id"] == target)
    assert created["job"]["backend"] == "local_5q"


class FlakyTransport(httpx.AsyncBaseTransport):
    """Forwards to the real local service, or fails like an unreachable host while ``down``."""

    down = False

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if FlakyTransport.down:
            raise httpx.ConnectError("connection refused (injected outage)", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_runtime_outage_is_reported_and_recovery_loses_no_transition(
    qrt_local: Any, jp_ws_fetch: Any, jp_serverapp: Any, qrt_api: Any
) -> None:
    state = jp_serverapp.web_app.settings[SETTINGS_KEY]
    state.hub.transport_factory = lambda ref: FlakyTransport()
    await state.hub.reset()
    FlakyTransport.down = False
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    rest = local_rest(qrt_local)
    try:
        assert (await next_event(ws))["type"] == "snapshot"
        FlakyTransport.down = True
        down = await events_until(ws, lambda e: e.get("type") == "monitor", timeout=60)
        assert down[-1]["state"] == "unavailable" and "refused" in down[-1]["message"]
        code, body = await qrt_api("GET", "jobs")
        assert code == 502 and body["code"] == "runtime_unavailable" and body["hint"]
        # the job runs and finishes while the extension cannot see the runtime
        job_id = await submit_sampler(rest, shots=200)
        await wait_final(rest, job_id)
        FlakyTransport.down = False
        back = await events_until(
            ws, lambda e: e.get("event") == "result_ready" and e["job"]["id"] == job_id
        )
    finally:
        FlakyTransport.down = False
        await rest.aclose()
        ws.close()
    assert any(e.get("type") == "monitor" and e["state"] == "available" for e in back)
    assert statuses_of(back, job_id) == ["Completed"]


async def test_polling_is_fast_while_running_slow_when_idle_and_stops_without_subscribers(
    qrt_local: Any, jp_ws_fetch: Any, jp_serverapp: Any
) -> None:
    state = jp_serverapp.web_app.settings[SETTINGS_KEY]
    monitor = state.monitor
    state.config.poll_interval_idle = 1.5
    counts = {"lists": 0}

    class CountingTransport(FlakyTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/jobs"):
                counts["lists"] += 1
            return await super().handle_async_request(request)

    FlakyTransport.down = False
    state.hub.transport_factory = lambda ref: CountingTransport()
    await state.hub.reset()
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    rest = local_rest(qrt_local)
    try:
        await next_event(ws)
        await asyncio.sleep(0.2)
        # idle (nothing queued or running): about one list per 1.5 s
        before = counts["lists"]
        await asyncio.sleep(3.0)
        idle_lists = counts["lists"] - before
        assert 1 <= idle_lists <= 3, idle_lists
        # a job of several seconds: the monitor must switch to the fast interval while it runs
        job_id = await submit_sampler(rest, shots=100_000, pubs=16, reps=10)
        seen = await events_until(ws, lambda e: (e.get("job") or {}).get("id") == job_id)
        assert not seen[-1]["job"]["final"], "the job ended before the monitor saw it"
        loop = asyncio.get_running_loop()
        before, started = counts["lists"], loop.time()
        await events_until(ws, lambda e: e.get("event") == "result_ready")
        window = loop.time() - started
        # about one list request per 0.1 s interval while it runs (never one per job); idle it
        # is one per 1.5 s (0.67/s). 1.5/s still tells them apart when a loaded machine makes
        # each request slow (up to ~0.5 s).
        rate = (counts["lists"] - before) / window
        assert window > 0.3 and rate > 1.5, (window, rate)
        await wait_final(rest, job_id)
    finally:
        await rest.aclose()
        ws.close()
    deadline = asyncio.get_running_loop().time() + 30
    while not (monitor._task is None or monitor._task.done()):
        assert asyncio.get_running_loop().time() < deadline, "the poller must stop without sockets"
        await asyncio.sleep(0.05)
    stopped = counts["lists"]
    await asyncio.sleep(2.0)
    assert counts["lists"] == stopped


async def test_session_changes_made_elsewhere_are_pushed(qrt_local: Any, jp_ws_fetch: Any) -> None:
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    rest = local_rest(qrt_local)
    try:
        await next_event(ws)
        body = {"mode": "batch", "backend": "local_5q", "instance": qrt_local.instance}
        sid = (await rest.create_session(body))["id"]
        job_id = await submit_sampler(rest, shots=100_000, pubs=4, reps=6, session=sid)

        def about(event: dict[str, Any]) -> bool:
            # only "state" events carry the session view; "changed" is a bare {type, event, id}
            return (
                event.get("type") == "session"
                and event.get("event") == "state"
                and event.get("id") == sid
            )

        opened = await events_until(ws, about)
        assert opened[-1]["session"]["accepting_jobs"] is True
        assert opened[-1]["session"]["mode"] == "batch"
        await rest.close_session(sid)
        closed = await events_until(
            ws, lambda e: about(e) and e["session"]["accepting_jobs"] is False
        )
        assert closed[-1]["previous"]["accepting_jobs"] is True
        await wait_final(rest, job_id)
    finally:
        await rest.aclose()
        ws.close()


#: The local service lists sessions: one ``GET /sessions`` per poll shows new ones live.
LISTING = 1


async def test_a_burst_of_new_jobs_costs_one_list_request_per_poll(
    qrt_local: Any, jp_serverapp: Any
) -> None:
    monitor = jp_serverapp.web_app.settings[SETTINGS_KEY].monitor
    page = jp_serverapp.web_app.settings[SETTINGS_KEY].config.poll_page_size
    rest = local_rest(qrt_local)
    try:
        await monitor.poll_once()  # baseline
        watched = await submit_sampler(rest, shots=100_000, pubs=8, reps=10)
        assert await monitor.poll_once()
        assert not monitor.jobs[watched]["final"], "the long job ended before the test watched it"
        # more new jobs than one default page, arriving between two polls
        burst = [await submit_sampler(rest, shots=10) for _ in range(page + 15)]
        before = monitor.requests
        assert await monitor.poll_once()
        assert monitor.requests - before == 1 + LISTING  # GET /jobs (and GET /sessions)
        assert set(burst) <= set(monitor.jobs) and watched in monitor.jobs
        await wait_final(rest, watched)
        for job_id in burst:
            await wait_final(rest, job_id)
        assert await monitor.poll_once()
        # nothing watched now: a second burst is still seen whole, with one request
        burst = [await submit_sampler(rest, shots=10) for _ in range(page + 15)]
        for job_id in burst:
            await wait_final(rest, job_id)
        before = monitor.requests
        assert await monitor.poll_once()
        assert monitor.requests - before == 1 + LISTING  # GET /jobs (and GET /sessions)
        assert set(burst) <= set(monitor.jobs)
    finally:
        await rest.aclose()
