"""Cancelling a running job (or exceeding max_execution_time) really stops its worker."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from local_http import (
    bell_circuit,
    busy_circuit,
    encoded_params,
    post_job,
    runtime_client,
    wait_final,
)

from qrt_lab.runtime.api.discovery import LocalServiceInfo

IDEAL = "local_ideal"
HERON = "local_heron156"


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


def _wait_running(api: httpx.Client, job_id: str) -> None:
    deadline = time.monotonic() + 30
    while api.get(f"/jobs/{job_id}").json()["state"]["status"] != "Running":
        assert time.monotonic() < deadline, f"{job_id} never ran"
        time.sleep(0.02)


def test_cancelled_running_jobs_free_their_workers(api: httpx.Client) -> None:
    # each of these would keep a worker busy for about half a minute
    long = encoded_params([busy_circuit(api, HERON, 12, 10)], 100_000)
    jobs = [post_job(api, HERON, long) for _ in range(2)]
    for job_id in jobs:
        _wait_running(api, job_id)
    for job_id in jobs:
        assert api.post(f"/jobs/{job_id}/cancel").status_code == 204
    start = time.monotonic()
    small = post_job(api, IDEAL, encoded_params([bell_circuit()], 10))
    assert wait_final(api, small)["state"]["status"] == "Completed"
    # held workers would take ~half a minute; a fresh worker starts in seconds (slower under load)
    assert time.monotonic() - start < 20, "the cancelled jobs still hold the workers"
    for job_id in jobs:
        job = api.get(f"/jobs/{job_id}").json()
        assert job["state"]["status"] == "Cancelled"
        assert "stopped" not in api.get(f"/jobs/{job_id}/logs").text.lower()


def test_max_execution_time_stops_the_job_and_requeues_its_neighbour(api: httpx.Client) -> None:
    long = encoded_params([busy_circuit(api, HERON, 12, 10)], 100_000)
    warm = [post_job(api, IDEAL, encoded_params([bell_circuit()], 10)) for _ in range(2)]
    for job_id in warm:  # both workers are up, so the timed job starts at once
        wait_final(api, job_id)
    timed = post_job(api, HERON, long, cost=1)
    # about three seconds of work: still running when the timed job is stopped after one
    neighbour = post_job(api, HERON, encoded_params([busy_circuit(api, HERON, 10, 10)], 100_000))
    job = wait_final(api, timed, timeout=30)
    assert job["state"]["status"] == "Cancelled" and job["state"]["reason_code"] == 1305
    assert job["status"] == "Cancelled - Ran too long"
    assert "maximum execution time" in api.get(f"/jobs/{timed}/results").text
    assert wait_final(api, neighbour)["state"]["status"] == "Completed"
    assert "Re-queued" in api.get(f"/jobs/{neighbour}/logs").text
