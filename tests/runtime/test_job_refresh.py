"""The one job-refresh flow: pages, gaps, pending/final lists, single-GET fallback, both drivers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from runtime_fakes import FakeCloud, connection

from qrt_lab.runtime.api.auth import SHARED_TOKENS
from qrt_lab.runtime.api.job_refresh import (
    JobRefresh,
    SessionRefresh,
    adrive,
    arefresh,
    newest_bound,
    oldest_bound,
    refresh,
)
from qrt_lab.runtime.api.rest import AsyncRuntimeRest, RuntimeRest
from qrt_lab.runtime.exceptions import RequestsApiError


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    SHARED_TOKENS.clear()
    yield


def item(i: int, status: str = "Completed") -> dict[str, Any]:
    return {"id": f"j{i}", "state": {"status": status}, "created": "2026-01-01T00:00:00Z"}


class Runtime:
    """A fake runtime: ``listed`` jobs page through GET /jobs, ``pending``/``final`` lists
    hold others, ``single`` ones answer only GET /jobs/{id}; anything else is a 404."""

    def __init__(
        self,
        listed: int,
        page_cap: int = 200,
        pending: tuple[int, ...] = (),
        final: tuple[int, ...] = (),
        single: tuple[int, ...] = (),
    ) -> None:
        self.listed = [item(i) for i in range(listed)]
        self.page_cap = page_cap
        self.pending = [item(i, "Running") for i in pending]
        self.final = [item(i) for i in final]
        self.single = {f"j{i}": item(i) for i in single}
        self.cloud = FakeCloud(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs"):
            pending = request.url.params.get("pending")
            if pending is not None:
                jobs = self.pending if pending == "true" else self.final
                return httpx.Response(200, json={"jobs": jobs, "count": len(jobs)})
            limit = min(int(request.url.params.get("limit", 200)), self.page_cap)
            offset = int(request.url.params.get("offset", 0))
            page = self.listed[offset : offset + limit]
            return httpx.Response(200, json={"jobs": page, "count": len(self.listed)})
        job_id = request.url.path.rsplit("/", 1)[-1]
        if job_id in self.single:
            return httpx.Response(200, json=self.single[job_id])
        return httpx.Response(404, json={"errors": [{"message": "not found", "code": "1291"}]})

    def requests(self) -> list[str]:
        out = []
        for request in self.cloud.runtime_requests():
            query = {k: v for k, v in request.url.params.items() if k != "exclude_params"}
            out.append(f"{request.url.path.split('/api/v1')[-1]} {sorted(query.items())}")
        return out

    def rest(self) -> RuntimeRest:
        return RuntimeRest(connection(), transport=httpx.MockTransport(self.cloud))


SINCE = datetime(2025, 12, 31, 23, 59, 59, tzinfo=timezone.utc)


def test_one_page_finds_every_watched_job() -> None:
    runtime = Runtime(100)
    outcome = refresh(runtime.rest(), JobRefresh([f"j{i}" for i in range(100)], since=SINCE))
    assert len(outcome.found) == 100 and outcome.gone == set() and outcome.requests == 1
    (only,) = runtime.requests()
    assert "created_after" in only and "2025-12-31T23:59:59" in only


def test_pages_follow_offsets_and_stop_once_all_are_found() -> None:
    runtime = Runtime(10, page_cap=3)
    outcome = refresh(runtime.rest(), JobRefresh(["j0", "j7"], page_size=3))
    assert {"j0", "j7"} <= set(outcome.found) and outcome.requests == 3
    assert [r.split("offset")[-1][:6] for r in runtime.requests()[1:]] == ["', '3'", "', '6'"]


def test_gaps_are_looked_for_in_the_pending_then_final_lists_then_alone() -> None:
    runtime = Runtime(2, pending=(50,), final=(60,), single=(70,))
    watched = ["j0", "j50", "j60", "j70", "j99"]
    outcome = refresh(runtime.rest(), JobRefresh(watched, pages=1))
    assert set(outcome.found) == {"j0", "j1", "j50", "j60", "j70"}
    assert outcome.found["j50"]["state"]["status"] == "Running"
    assert outcome.gone == {"j99"} and outcome.requests == 5
    paths = [r.split(" ")[0] for r in runtime.requests()]
    assert paths == ["/jobs", "/jobs", "/jobs", "/jobs/j70", "/jobs/j99"]
    assert (
        "pending', 'true" in runtime.requests()[1] and "pending', 'false" in runtime.requests()[2]
    )


def test_single_gets_are_bounded() -> None:
    runtime = Runtime(0, single=tuple(range(10)))
    strategy = JobRefresh([f"j{i}" for i in range(10)], lists=False, max_single=3)
    outcome = refresh(runtime.rest(), strategy)
    assert sorted(outcome.found) == ["j0", "j1", "j2"] and outcome.requests == 4


def test_an_error_other_than_404_reaches_the_caller() -> None:
    cloud = FakeCloud(lambda r: httpx.Response(403, json={"errors": [{"message": "no"}]}))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    with pytest.raises(RequestsApiError) as info:
        refresh(rest, JobRefresh(["j0"]))
    assert info.value.status_code == 403


def test_the_async_driver_sends_the_same_requests() -> None:
    sync_runtime = Runtime(2, pending=(5,), single=(9,))
    async_runtime = Runtime(2, pending=(5,), single=(9,))
    watched = ["j0", "j5", "j9"]
    expected = refresh(sync_runtime.rest(), JobRefresh(watched, since=SINCE))

    async def run() -> Any:
        transport = httpx.MockTransport(async_runtime.cloud)
        async with AsyncRuntimeRest(connection(), transport=transport) as rest:
            return await arefresh(rest, JobRefresh(watched, since=SINCE))

    outcome = asyncio.run(run())
    assert outcome == expected and async_runtime.requests() == sync_runtime.requests()


def test_session_refresh_marks_404_as_gone() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/s1"):
            return httpx.Response(200, json={"id": "s1", "state": "active"})
        return httpx.Response(404, json={"errors": [{"message": "no", "code": "1291"}]})

    cloud = FakeCloud(handle)

    async def run() -> Any:
        async with AsyncRuntimeRest(connection(), transport=httpx.MockTransport(cloud)) as rest:
            return await adrive(SessionRefresh(["s1", "s2"]).flow(), rest.send)

    assert asyncio.run(run()) == {"s1": {"id": "s1", "state": "active"}, "s2": None}


def test_bounds_need_every_creation_time() -> None:
    early = datetime(2026, 1, 1, tzinfo=timezone.utc)
    late = datetime(2026, 2, 1, tzinfo=timezone.utc)
    assert oldest_bound([late, early]) == early - timedelta(seconds=1)
    assert newest_bound([late, early]) == late - timedelta(seconds=1)
    assert oldest_bound([late, None]) is None and oldest_bound([]) is None
