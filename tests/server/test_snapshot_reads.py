"""Jobs-list reads answered from the live monitor's fresh snapshot, and every case that is not.

A read the snapshot answers must equal what the runtime answers at that moment (rows, order and
``count``); a filter, a page past the monitor's newest run, another account, or a stale monitor
goes to the runtime. ``X-Qrt-Lab-Source`` says which one answered.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from server_support import local_rest, on_session_service, submit_sampler, wait_final

from qrt_lab.runtime.summaries.jobs import JobSummary
from qrt_lab.server.job_window import JobWindow
from qrt_lab.server.state import SETTINGS_KEY

PAGE = 4  # the monitor's first listing: the newest 4 jobs


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """Fast polls, a small baseline page, and a generous freshness window (a loaded machine)."""
    return on_session_service(
        jp_server_config,
        local_service,
        poll_interval_active=0.1,
        poll_interval_idle=0.2,
        poll_page_size=PAGE,
        snapshot_max_age=60.0,
    )


async def read(jp_fetch: Any, **params: Any) -> tuple[str, dict[str, Any]]:
    """``GET /qrt-lab/api/jobs``: (who answered, body)."""
    reply = await jp_fetch("qrt-lab", "api", "jobs", params=params)
    return reply.headers["X-Qrt-Lab-Source"], json.loads(reply.body)


async def runtime_page(rest: Any, limit: int, offset: int = 0) -> tuple[list[Any], int]:
    """What a proxied read returns: the runtime's page as job rows, and its count."""
    page = await rest.jobs(limit=limit, offset=offset)
    return [JobSummary.from_api(j).to_json() for j in page["jobs"]], page["count"]


async def polled(monitor: Any, after: int, timeout: float = 60.0) -> None:
    """Wait until the monitor has finished a poll after its poll number ``after``."""
    deadline = time.monotonic() + timeout
    while monitor.polls <= after:
        assert time.monotonic() < deadline, "the monitor did not poll"
        await asyncio.sleep(0.05)


async def quiet(rest: Any) -> None:
    """Let every job of earlier tests finish, so nothing changes between two reads."""
    for job in (await rest.jobs(limit=200, pending=True))["jobs"]:
        await wait_final(rest, job["id"])


async def test_snapshot_reads_equal_runtime_reads_and_fall_through_otherwise(
    qrt_local: Any, jp_fetch: Any, jp_ws_fetch: Any, jp_serverapp: Any
) -> None:
    monitor = jp_serverapp.web_app.settings[SETTINGS_KEY].monitor
    rest = local_rest(qrt_local)
    try:
        for _ in range(PAGE + 2):  # more jobs than the monitor's first page
            await submit_sampler(rest, shots=10)
        await quiet(rest)
        source, _ = await read(jp_fetch, limit=3)
        assert source == "runtime", "no monitor yet: the runtime answers"
        ws = await jp_ws_fetch("qrt-lab", "api", "events")
        await polled(monitor, monitor.polls)

        source, body = await read(jp_fetch, limit=3)
        assert source == "snapshot"
        assert (body["jobs"], body["count"]) == await runtime_page(rest, 3)
        assert body["account"]["name"] == "local" and body["offset"] == 0

        # a job submitted now: in the snapshot once the monitor saw it final
        new = await submit_sampler(rest, shots=10)
        await wait_final(rest, new)
        await polled(monitor, monitor.polls + 1)  # a whole poll after it became final
        source, body = await read(jp_fetch, limit=PAGE)
        assert source == "snapshot" and body["jobs"][0]["id"] == new
        assert (body["jobs"], body["count"]) == await runtime_page(rest, PAGE)

        # past the monitor's newest run, or with any filter: the runtime
        source, body = await read(jp_fetch, limit=PAGE, offset=PAGE)
        assert source == "runtime"
        assert (body["jobs"], body["count"]) == await runtime_page(rest, PAGE, PAGE)
        for params in ({"backend": "local_5q"}, {"status": "completed"}, {"program": "sampler"}):
            assert (await read(jp_fetch, limit=2, **params))[0] == "runtime"

        # stale: the last poll long ago (as when the runtime stops answering)
        monitor.window.polled_at = time.monotonic() - 3600
        assert (await read(jp_fetch, limit=3))[0] == "runtime"
        await polled(monitor, monitor.polls)
        assert (await read(jp_fetch, limit=3))[0] == "snapshot"

        # another account or instance than the monitor's
        assert monitor.page("ibm|crn:v1:other", 3, 0) is None
        assert monitor.page(monitor.account_key, 3, 0) is not None
        ws.close()
    finally:
        await rest.aclose()


def test_the_window_counts_new_and_deleted_jobs_and_stops_at_a_hole() -> None:
    def job(i: int) -> dict[str, Any]:
        return {"id": f"j{i}", "created": f"2026-01-01T00:00:{i:02d}.000000Z"}

    window = JobWindow()
    window.baseline({"jobs": [job(9), job(8), job(7)], "count": 10})
    window.polled_at = time.monotonic()
    assert (window.floor, window.total) == ("2026-01-01T00:00:07.000000Z", 10)
    rows = {f"j{i}": job(i) for i in (9, 8, 7, 2)}  # j2: an old pending job found by its list
    assert window.page(rows, 3, 0, 5.0) == ([job(9), job(8), job(7)], 10)
    assert window.page(rows, 3, 1, 5.0) is None, "j6 is not held: the runtime must answer"
    window.appeared(job(10))
    window.appeared(job(2))
    assert window.total == 11, "only jobs newer than the floor are new"
    window.removed()
    assert window.total == 10
    assert window.page(rows, 3, 0, 0.0) is None, "max_age 0: snapshot reads are off"
    window.listed_since({"jobs": [job(12), job(11)], "count": 5}, {"j9": {}})
    assert window.broken and window.page(rows, 1, 0, 5.0) is None

    everything = JobWindow()
    everything.baseline({"jobs": [job(2), job(1)], "count": 2})
    everything.polled_at = time.monotonic()
    assert everything.floor is None
    assert everything.page({"j1": job(1), "j2": job(2)}, 50, 0, 5.0) == ([job(2), job(1)], 2)


class _History:
    """A runtime's ``GET /jobs`` over an in-memory history (for the monitor without a server)."""

    def __init__(self) -> None:
        self.jobs: list[dict[str, Any]] = []

    def add(self, count: int) -> None:
        for _ in range(count):
            n = len(self.jobs)
            created = f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000000Z"
            self.jobs.append(
                {"id": f"j{n:05d}", "state": {"status": "Completed"}, "created": created}
            )

    async def send(self, call: Any) -> Any:
        assert call.path == "/jobs", call.path
        query = dict(call.params)
        rows = self.jobs[::-1]
        if "created_after" in query:
            after = query["created_after"].replace("+00:00", "Z")
            rows = [job for job in rows if job["created"] >= after]
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 200))
        return {"jobs": rows[offset : offset + limit], "count": len(rows)}

    async def recent_sessions(self, limit: int) -> dict[str, Any]:
        return {"sessions": []}


async def test_a_poll_that_misses_jobs_stops_snapshot_reads_until_the_next_baseline() -> None:
    from qrt_lab.server.account_book import AccountRef
    from qrt_lab.server.active_runtime import ActiveRuntime
    from qrt_lab.server.config import QrtLabConfig
    from qrt_lab.server.monitor import JobMonitor

    history = _History()
    history.add(10)
    runtime = ActiveRuntime(AccountRef("acct", "acct", "ibm_cloud", None), history, [])

    class Hub:
        async def active(self) -> ActiveRuntime:
            return runtime

    monitor = JobMonitor(Hub(), QrtLabConfig(poll_page_size=3))  # type: ignore[arg-type]
    key = runtime.ref.key
    assert await monitor.poll_once()
    rows, count = monitor.page(key, 3, 0) or ([], 0)
    assert [r["id"] for r in rows] == ["j00009", "j00008", "j00007"] and count == 10
    history.add(250)  # more new jobs than one poll's page of 200
    assert await monitor.poll_once()
    assert monitor.window.broken and monitor.page(key, 3, 0) is None
    assert await monitor.poll_once()  # the newest page again: a new baseline
    rows, count = monitor.page(key, 3, 0) or ([], 0)
    assert [r["id"] for r in rows] == ["j00259", "j00258", "j00257"] and count == 260
    history.add(2)
    assert await monitor.poll_once()
    rows, count = monitor.page(key, 4, 0) or ([], 0)
    assert [r["id"] for r in rows] == ["j00261", "j00260", "j00259", "j00258"] and count == 262
