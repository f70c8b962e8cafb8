"""The live monitor without a server: outages and deletes racing a poll."""

from __future__ import annotations

import asyncio
from typing import Any

from qrt_lab.runtime.api.rest import RestCall
from qrt_lab.server.account_book import AccountRef
from qrt_lab.server.active_runtime import ActiveRuntime
from qrt_lab.server.config import QrtLabConfig
from qrt_lab.server.monitor import JobMonitor


class _DownHub:
    """A hub whose runtime can never be reached."""

    async def active(self) -> Any:
        raise OSError("connection refused (injected outage)")


async def test_a_subscriber_joining_during_an_outage_is_told_at_once() -> None:
    monitor = JobMonitor(_DownHub(), QrtLabConfig(poll_backoff_max=60.0))  # type: ignore[arg-type]
    assert not await monitor.poll_once()
    seen: list[dict[str, Any]] = []
    monitor.subscribe(seen.append)
    try:
        assert seen, "a newcomer must not wait in silence for a snapshot that cannot come"
        assert seen[0]["type"] == "monitor" and seen[0]["state"] == "unavailable"
        assert "refused" in seen[0]["message"]
    finally:
        await monitor.stop()


class _GatedRest:
    """A runtime whose ``GET /jobs`` can be held open, to interleave a delete with a poll."""

    def __init__(self, jobs: list[dict[str, Any]]) -> None:
        self.listing = jobs
        self.gate: asyncio.Event | None = None

    async def jobs(self, **query: Any) -> dict[str, Any]:
        if self.gate is not None:
            await self.gate.wait()
        return {"jobs": list(self.listing)}

    async def session(self, session_id: str) -> dict[str, Any]:
        raise AssertionError("no session to watch")

    async def recent_sessions(self, limit: int) -> dict[str, Any]:
        from qrt_lab.runtime.exceptions import RequestsApiError

        raise RequestsApiError("Not Found", status_code=404)  # the platform lists no sessions

    async def send(self, call: RestCall) -> Any:
        if call.path == "/jobs":
            return await self.jobs(**dict(call.params))
        return await self.session(call.path.rsplit("/", 1)[-1])


class _Hub:
    def __init__(self, rest: _GatedRest) -> None:
        self.runtime = ActiveRuntime(AccountRef("acct", "acct", "ibm_cloud", None), rest, [])

    async def active(self) -> ActiveRuntime:
        return self.runtime


async def test_a_job_deleted_during_a_poll_is_not_announced_again() -> None:
    done = {"id": "j1", "state": {"status": "Completed"}, "created": "2026-01-01T00:00:00Z"}
    rest = _GatedRest([done])
    monitor = JobMonitor(_Hub(rest), QrtLabConfig())  # type: ignore[arg-type]
    assert await monitor.poll_once()  # baseline: j1 known
    seen: list[dict[str, Any]] = []
    monitor.subscribers.add(seen.append)
    rest.gate = asyncio.Event()
    poll = asyncio.ensure_future(monitor.poll_once())
    await asyncio.sleep(0.01)  # the poll is waiting for its GET /jobs answer
    monitor.forget("j1")  # DELETE /jobs/j1 answered meanwhile
    rest.gate.set()
    assert await poll
    assert [e.get("event") for e in seen] == ["deleted"], seen
    assert "j1" not in monitor.jobs


async def test_refresh_requests_in_a_loop_poll_at_most_once_per_active_interval() -> None:
    rest = _GatedRest([])
    calls = {"jobs": 0}
    listing = rest.jobs

    async def counted(**query: Any) -> dict[str, Any]:
        calls["jobs"] += 1
        return await listing(**query)

    rest.jobs = counted  # type: ignore[method-assign]
    config = QrtLabConfig(poll_interval_active=0.2, poll_interval_idle=30.0)
    monitor = JobMonitor(_Hub(rest), config)  # type: ignore[arg-type]
    monitor.subscribe(lambda event: None)
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        for _ in range(100):  # a client sending {"type": "refresh"} every 10 ms for 1 s
            monitor.nudge()
            await asyncio.sleep(0.01)
    finally:
        await monitor.stop()
    # one list per 0.2 s of the time the loop really took (> 1 s on a loaded machine), never
    # one per nudge (100)
    allowed = (loop.time() - started) / 0.2 + 3
    assert 2 <= calls["jobs"] <= allowed, (calls, allowed)
