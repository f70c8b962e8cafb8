"""Job status mapping, waiting, paging and batch refresh over httpx.MockTransport."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from runtime_fakes import FakeCloud, connection

from qrt_lab.runtime import RuntimeJobMaxTimeoutError, RuntimeJobTimeoutError, job_listing, status
from qrt_lab.runtime.api.auth import SHARED_TOKENS
from qrt_lab.runtime.api.rest import RuntimeRest
from qrt_lab.runtime.job import RuntimeJobV2
from qrt_lab.runtime.status import job_status_from_api


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    SHARED_TOKENS.clear()
    yield


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"status": "Queued"}, "QUEUED"),
        ({"status": "Running"}, "RUNNING"),
        ({"status": "Completed"}, "DONE"),
        ({"status": "Failed"}, "ERROR"),
        ({"status": "Cancelled"}, "CANCELLED"),
        ({"status": "Cancelled", "reason_code": 1305}, "ERROR"),
        ({"status": "Cancelled", "reasonCode": "1305"}, "ERROR"),
        ({"status": "Paused"}, "PAUSED"),
        ({}, "INITIALIZING"),
    ],
)
def test_status_mapping(state: dict[str, object], expected: str) -> None:
    assert job_status_from_api(state) == expected


def test_unknown_status_does_not_wait_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(status, "UNKNOWN_STATUS_LIMIT", 0.3)
    from qrt_lab.runtime import job as job_module

    monkeypatch.setattr(job_module, "UNKNOWN_STATUS_LIMIT", 0.3)
    cloud = FakeCloud(
        lambda r: httpx.Response(200, json={"id": "j", "state": {"status": "Validating"}})
    )
    job = RuntimeJobV2("j", RuntimeRest(connection(), transport=httpx.MockTransport(cloud)))
    start = time.monotonic()
    with pytest.raises(RuntimeJobTimeoutError, match="unknown status 'VALIDATING'"):
        job.wait_for_final_state(poll_interval=0.1)
    assert time.monotonic() - start < 30  # ~0.3 s; without the limit it would wait forever


@pytest.mark.parametrize("code", [1305, "1305", 1305.0])
def test_status_and_result_agree_on_the_max_time_code(code: object) -> None:
    state = {"status": "Cancelled", "reason": "Ran too long.", "reason_code": code}
    cloud = FakeCloud(lambda r: httpx.Response(200, json={"id": "j", "state": state}))
    job = RuntimeJobV2("j", RuntimeRest(connection(), transport=httpx.MockTransport(cloud)))
    assert job.status() == "ERROR"
    with pytest.raises(RuntimeJobMaxTimeoutError, match="Error code 1305; Ran too long"):
        job.result()


def test_timeout_while_running() -> None:
    cloud = FakeCloud(
        lambda r: httpx.Response(200, json={"id": "j", "state": {"status": "Running"}})
    )
    job = RuntimeJobV2("j", RuntimeRest(connection(), transport=httpx.MockTransport(cloud)))
    with pytest.raises(RuntimeJobTimeoutError, match=r"after 0\.25 secs"):
        job.result(timeout=0.25, poll_interval=0.1)


def jobs_server(total: int, page_cap: int = 200) -> FakeCloud:
    docs = [
        {"id": f"j{i}", "state": {"status": "Completed"}, "created": "2026-01-01T00:00:00Z",
         "program": {"id": "sampler"}, "backend": "b"}
        for i in range(total)
    ]  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs"):
            limit = min(int(request.url.params.get("limit", 200)), page_cap)
            offset = int(request.url.params.get("offset", 0))
            page = docs[offset : offset + limit]
            return httpx.Response(
                200, json={"jobs": page, "count": total, "limit": limit, "offset": offset}
            )
        job_id = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(200, json=next(d for d in docs if d["id"] == job_id))

    return FakeCloud(handler)


def test_paging_follows_count_and_short_pages() -> None:
    cloud = jobs_server(7, page_cap=3)  # the server returns fewer than asked
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    jobs = job_listing.list_jobs(rest, limit=None)
    assert [j["id"] for j in jobs] == [f"j{i}" for i in range(7)]
    offsets = [r.url.params.get("offset", "0") for r in cloud.runtime_requests()]
    assert offsets == ["0", "3", "6"]
    assert len(job_listing.list_jobs(rest, limit=5)) == 5
    assert [j["id"] for j in job_listing.list_jobs(rest, limit=10, skip=5)] == ["j5", "j6"]


def test_inconsistent_count_cannot_loop_forever() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"jobs": [], "count": 1000})

    rest = RuntimeRest(connection(), transport=httpx.MockTransport(FakeCloud(handler)))
    assert job_listing.list_jobs(rest, limit=None) == []


def test_refresh_of_100_jobs_uses_one_list_request() -> None:
    cloud = jobs_server(100)
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    jobs = [
        RuntimeJobV2(
            f"j{i}", rest, data={"state": {"status": "Queued"}, "created": "2026-01-01T00:00:00Z"}
        )
        for i in range(100)
    ]
    assert job_listing.refresh_jobs(jobs) == ["DONE"] * 100
    requests = cloud.runtime_requests()
    assert len(requests) == 1 and requests[0].url.params["created_after"].startswith(
        "2025-12-31T23:59:59"
    )
    assert job_listing.refresh_jobs(jobs) == ["DONE"] * 100
    assert len(cloud.runtime_requests()) == 1, "final jobs are not refreshed again"


def test_job_missing_from_the_list_is_fetched_alone() -> None:
    cloud = jobs_server(3)
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    stray = RuntimeJobV2("j2", rest, data={"state": {"status": "Running"}})  # no creation date
    listed = RuntimeJobV2("j0", rest, data={"state": {"status": "Running"}})
    assert job_listing.refresh_jobs([stray, listed]) == ["DONE", "DONE"]
    first = cloud.runtime_requests()[0]
    assert "created_after" not in json.dumps(dict(first.url.params))
