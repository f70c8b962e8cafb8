"""Cached reads answered from bytes encoded once: tornado's ETag, 304, never stale, never open.

The handlers of cached reads (accounts, backends, a backend, usage, a job, a jobs page from the
monitor's snapshot) reuse the bytes encoded for the same source objects. The ETag must still be
the one tornado computes from the body, ``If-None-Match`` must still give 304 only to an
authenticated request, and an answer whose source changed must be encoded again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from typing import Any

import pytest
from server_support import local_rest, on_session_service, submit_sampler, wait_final
from tornado.httpclient import AsyncHTTPClient, HTTPResponse

from qrt_lab.server.config import QrtLabConfig
from qrt_lab.server.encoded_body import EncodedBody, EncodedMemo
from qrt_lab.server.monitor import JobMonitor
from qrt_lab.server.state import SETTINGS_KEY


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """Fast polls and a generous freshness window (a loaded machine)."""
    return on_session_service(
        jp_server_config,
        local_service,
        poll_interval_active=0.1,
        poll_interval_idle=0.2,
        snapshot_max_age=60.0,
    )


def tornado_etag(body: bytes) -> str:
    """What ``RequestHandler.compute_etag`` gives for ``body``."""
    return f'"{hashlib.sha1(body).hexdigest()}"'


def test_a_memo_reuses_bytes_only_for_the_very_same_sources() -> None:
    memo = EncodedMemo(max_slots=2)
    source = {"a": [1, 2]}
    first = memo.body("slot", (source,), lambda: source)
    assert first.data == json.dumps(source).encode() and first.etag == tornado_etag(first.data)
    assert memo.body("slot", (source,), lambda: {"never": "built"}) is first
    equal_copy = {"a": [1, 2]}
    assert memo.body("slot", (equal_copy,), lambda: {"b": 1}).data == b'{"b": 1}', (
        "an equal but new source object is a new answer: encode again"
    )
    memo.body("x", (source,), lambda: 1)
    memo.body("y", (source,), lambda: 2)
    assert memo.body("slot", (equal_copy,), lambda: 3).data == b"3", "the oldest slot was dropped"
    assert EncodedBody.of_text('{"é": 1}').data == '{"é": 1}'.encode()


def _row(i: int) -> dict[str, Any]:
    return {"id": f"j{i}", "created": f"2026-01-01T00:00:{i:02d}.000000Z", "final": True}


def test_the_monitor_sorts_a_page_once_per_poll_and_still_checks_freshness() -> None:
    monitor = JobMonitor(None, QrtLabConfig(snapshot_max_age=5.0))  # type: ignore[arg-type]
    monitor.account_key, monitor._baseline = "local|", True
    monitor.jobs = {f"j{i}": _row(i) for i in range(3)}
    monitor.window.baseline({"jobs": [_row(2), _row(1), _row(0)], "count": 3})
    monitor.window.polled_at = time.monotonic()
    page = monitor.page("local|", 2, 0)
    assert page == ([_row(2), _row(1)], 3)
    assert monitor.page("local|", 2, 0) is page, "the same version: the same page object"
    monitor.forget("j2")
    assert monitor.page("local|", 2, 0) == ([_row(1), _row(0)], 2), "a delete is a new version"
    monitor.window.polled_at = time.monotonic() - 3600
    assert monitor.page("local|", 2, 0) is None, "a memoised page of a stale snapshot is not used"


async def _get(
    client: AsyncHTTPClient, url: str, token: str | None, etag: str | None = None
) -> HTTPResponse:
    headers = {"Authorization": f"token {token}"} if token else {}
    if etag:
        headers["If-None-Match"] = etag
    return await client.fetch(url, headers=headers, raise_error=False, request_timeout=60)


async def _polled(monitor: Any, after: int) -> None:
    deadline = time.monotonic() + 60
    while monitor.polls <= after:
        assert time.monotonic() < deadline, "the monitor did not poll"
        await asyncio.sleep(0.05)


async def test_cached_reads_keep_etag_and_304_and_need_authentication(
    qrt_local: Any,
    jp_ws_fetch: Any,
    jp_serverapp: Any,
    http_server_client: AsyncHTTPClient,
    jp_base_url: str,
) -> None:
    token = jp_serverapp.identity_provider.token
    monitor = jp_serverapp.web_app.settings[SETTINGS_KEY].monitor
    rest = local_rest(qrt_local)
    try:
        job = await submit_sampler(rest, shots=10)
        await wait_final(rest, job)
        ws = await jp_ws_fetch("qrt-lab", "api", "events")
        await _polled(monitor, monitor.polls)
        api = f"{jp_base_url}qrt-lab/api/"
        paths = ["accounts", "backends", "backends/local_5q", "usage", f"jobs/{job}"]
        paths.append("jobs?limit=3&backend=local_5q")  # a filter: the runtime answers
        for path in [*paths, "jobs?limit=3"]:
            first = await _get(http_server_client, api + path, token)
            assert first.code == 200, (path, first.body[:200])
            etag = first.headers["Etag"]
            assert etag == tornado_etag(first.body), path
            again = await _get(http_server_client, api + path, token, etag)
            assert (again.code, again.body) == (304, b""), path
            other = await _get(http_server_client, api + path, token, '"not-it"')
            assert other.code == 200 and json.loads(other.body) == json.loads(first.body), path
            anonymous = await _get(http_server_client, api + path, None, etag)
            assert anonymous.code == 403, f"{path}: {anonymous.code} without a token"
        snapshot = await _get(http_server_client, api + "jobs?limit=3", token)
        assert snapshot.headers["X-Qrt-Lab-Source"] == "snapshot"

        newer = await submit_sampler(rest, shots=10)
        await wait_final(rest, newer)
        await _polled(monitor, monitor.polls + 1)  # a whole poll after it became final
        old = snapshot.headers["Etag"]
        changed = await _get(http_server_client, api + "jobs?limit=3", token, old)
        assert changed.code == 200, "the snapshot changed: the old ETag must not match"
        assert json.loads(changed.body)["jobs"][0]["id"] == newer
        ws.close()
    finally:
        await rest.aclose()
