"""Sessions and batches over HTTP: states, accepting_jobs, timeouts, close vs cancel, priority."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_http import (
    bell_circuit,
    busy_circuit,
    encoded_params,
    post_job,
    runtime_client,
    wait_final,
)

from qrt_lab.runtime import codec

IDEAL = "local_ideal"
HERON = "local_heron156"


@pytest.fixture(scope="module")
def api(
    spawn_local_service: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """A private one-worker service whose dedicated sessions go idle after 1 s."""
    state = tmp_path_factory.mktemp("sessions")
    service = spawn_local_service(state, "--interactive-ttl", "1", workers=1, devices=False)
    with service as (info, _), runtime_client(info) as client:
        yield client


@pytest.fixture(scope="module")
def blocker(api: httpx.Client) -> Callable[[], str]:
    """Submit a job that occupies the only worker for a second or two."""
    params = encoded_params([busy_circuit(api, HERON, 9, 8)], 100_000)
    return lambda: post_job(api, HERON, params)


def _session(api: httpx.Client, mode: str, backend: str = IDEAL, **extra: Any) -> dict[str, Any]:
    reply = api.post("/sessions", json={"mode": mode, "backend": backend, **extra})
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def _bell_body(session_id: str) -> dict[str, Any]:
    params = encoded_params([bell_circuit()], 10)
    return {"program_id": "sampler", "backend": IDEAL, "params": params, "session_id": session_id}


def _bell(api: httpx.Client, session_id: str | None = None) -> str:
    extra = {"session_id": session_id} if session_id else {}
    return post_job(api, IDEAL, encoded_params([bell_circuit()], 10), **extra)


def _wait_state(
    api: httpx.Client, session_id: str, state: str, timeout: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = api.get(f"/sessions/{session_id}").json()
        if body["state"] == state:
            return dict(body)
        time.sleep(0.05)
    raise AssertionError(f"session {session_id} not {state}: {body}")


def test_dedicated_session_states(api: httpx.Client) -> None:
    session = _session(api, "dedicated")
    assert session["state"] == "open" and session["accepting_jobs"] is True
    assert session["mode"] == "dedicated" and session["backend_name"] == IDEAL
    assert session["max_ttl"] == 28800 and session["interactive_ttl"] == 1
    sid = session["id"]
    assert wait_final(api, _bell(api, sid))["session_id"] == sid
    active = _wait_state(api, sid, "active")
    assert active["activated_at"] and active["last_job_completed"]
    assert 0 < active["active_ttl"] <= 28800
    _wait_state(api, sid, "inactive")
    wait_final(api, _bell(api, sid))
    assert api.get(f"/sessions/{sid}").json()["state"] in ("active", "inactive")
    assert api.patch(f"/sessions/{sid}", json={"accepting_jobs": False}).status_code == 204
    closed = _wait_state(api, sid, "closed")
    assert closed["accepting_jobs"] is False and closed["closed_at"]
    history = [t["status"] for t in closed["timestamps"]]
    assert history[:3] == ["open", "active", "inactive"] and history[-1] == "closed"
    refused = api.post("/jobs", content=codec.dumps(_bell_body(sid)))
    assert refused.status_code == 409 and "no longer accepts jobs" in refused.text


def test_close_lets_queued_jobs_finish(api: httpx.Client, blocker: Callable[[], str]) -> None:
    first = blocker()
    sid = _session(api, "batch")["id"]
    jobs = [_bell(api, sid) for _ in range(2)]
    assert api.patch(f"/sessions/{sid}", json={"accepting_jobs": False}).status_code == 204
    body = api.get(f"/sessions/{sid}").json()
    assert body["accepting_jobs"] is False and body["state"] != "closed"
    assert all(wait_final(api, j)["state"]["status"] == "Completed" for j in jobs)
    _wait_state(api, sid, "closed")
    wait_final(api, first)


def test_cancel_session_cancels_queued_jobs(api: httpx.Client, blocker: Callable[[], str]) -> None:
    first = blocker()
    sid = _session(api, "batch")["id"]
    jobs = [_bell(api, sid) for _ in range(2)]
    assert api.delete(f"/sessions/{sid}/close").status_code == 204
    for job_id in jobs:
        job = api.get(f"/jobs/{job_id}").json()
        assert job["state"]["status"] == "Cancelled" and "cancelled" in job["state"]["reason"]
    closed = _wait_state(api, sid, "closed")
    assert closed["accepting_jobs"] is False
    assert api.post(f"/jobs/{first}/cancel").status_code == 204


def test_dedicated_session_jobs_run_first(api: httpx.Client, blocker: Callable[[], str]) -> None:
    first = blocker()
    plain = _bell(api)
    sid = _session(api, "dedicated")["id"]
    dedicated = _bell(api, sid)
    wait_final(api, first)
    plain_job, dedicated_job = wait_final(api, plain), wait_final(api, dedicated)
    plain_start = api.get(f"/jobs/{plain}/metrics").json()["timestamps"]["running"]
    dedicated_start = api.get(f"/jobs/{dedicated}/metrics").json()["timestamps"]["running"]
    assert plain_job["state"]["status"] == dedicated_job["state"]["status"] == "Completed"
    assert dedicated_start < plain_start
    api.delete(f"/sessions/{sid}/close")


def test_max_ttl_closes_the_session(api: httpx.Client) -> None:
    sid = _session(api, "dedicated", max_ttl=1)["id"]
    closed = _wait_state(api, sid, "closed", timeout=30)  # ~1 s; never, if max_ttl were ignored
    assert closed["accepting_jobs"] is False and "max_ttl" in closed["state_reason"]
    body = {
        "program_id": "sampler",
        "backend": IDEAL,
        "session_id": sid,
        "params": encoded_params([bell_circuit()], 10),
    }
    reply = api.post("/jobs", content=codec.dumps(body))
    assert reply.status_code == 409 and "no longer accepts jobs" in reply.text


def test_job_backend_must_match_session(api: httpx.Client) -> None:
    sid = _session(api, "batch")["id"]
    body = {
        "program_id": "sampler",
        "backend": HERON,
        "session_id": sid,
        "params": {"pubs": [[{"__type__": "QuantumCircuit", "__value__": "x"}]]},
    }
    reply = api.post("/jobs", json=body)
    assert reply.status_code == 400 and IDEAL in reply.text
    assert api.patch(f"/sessions/{sid}", json={"accepting_jobs": False}).status_code == 204


def test_recent_sessions_are_listed_newest_first(api: httpx.Client) -> None:
    """``GET /sessions`` (a local extension): the instance's newest sessions and batches."""
    older = _session(api, "dedicated")["id"]
    newer = _session(api, "batch")["id"]
    listed = api.get("/sessions", params={"limit": 2})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [s["id"] for s in body["sessions"]] == [newer, older] and body["count"] == 2
    assert body["sessions"][0]["mode"] == "batch" and body["sessions"][0]["elapsed_time"] == 0
    assert len(api.get("/sessions").json()["sessions"]) <= 20


#: Query text as a person could type it (tornado turns control characters into blanks).
TYPED = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)


@given(limit=st.one_of(TYPED, st.integers(-(10**30), 10**30).map(str)))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_bad_session_listing_limit_is_a_400_naming_it(api: httpx.Client, limit: str) -> None:
    reply = api.get("/sessions", params={"limit": limit})
    text = limit.strip()
    if text.lstrip("+-").isascii() and text.lstrip("+-").isdigit() and 1 <= int(text) <= 100:
        assert reply.status_code == 200
    elif text == "":
        assert reply.status_code == 200  # empty (tornado strips blanks): the default
    else:
        assert reply.status_code == 400 and "'limit'" in reply.text, reply.text
