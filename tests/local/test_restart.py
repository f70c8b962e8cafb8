"""Nothing is lost: SIGKILL and restart, graceful stop, and a worker process that dies."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
from local_http import (
    bell_circuit,
    busy_circuit,
    encoded_params,
    post_job,
    runtime_client,
    wait_final,
)

from qrt_lab.runtime.api.discovery import DISCOVERY_FILE

IDEAL = "local_ideal"
HERON = "local_heron156"


def _wait_status(api: httpx.Client, job_id: str, status: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api.get(f"/jobs/{job_id}").json()["state"]["status"] == status:
            return
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} never {status}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _descendants(pid: int) -> set[int]:
    found, frontier = set(), [pid]
    while frontier:
        children = _children(frontier.pop())
        found.update(children)
        frontier.extend(children)
    return found


def _wait_gone(pids: set[int], timeout: float = 15) -> set[int]:
    deadline = time.monotonic() + timeout
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists()}
        time.sleep(0.1)
    return alive


def test_sigkill_then_restart_keeps_results_and_runs_the_rest(
    spawn_local_service: Any, tmp_path: Path
) -> None:
    state = tmp_path / "svc"
    with spawn_local_service(state, workers=1, devices=False) as (info, proc):
        with runtime_client(info) as api:
            done = post_job(api, IDEAL, encoded_params([bell_circuit()], 50))
            wait_final(api, done)
            done_result = api.get(f"/jobs/{done}/results").text
            busy = encoded_params([busy_circuit(api, HERON, 9, 8)], 100_000)
            running = post_job(api, HERON, busy)
            queued = post_job(api, IDEAL, encoded_params([bell_circuit()], 60))
            _wait_status(api, running, "Running")
            old_token = api.headers["Authorization"]
        workers = _descendants(proc.pid)
        assert workers, "the service should have a fork server and a worker"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        # a killed service must not leave its fork server and workers behind
        assert _wait_gone(workers) == set()
    restarted = spawn_local_service(state, workers=1, devices=False)
    with restarted as (info, _), runtime_client(info) as api:
        # tokens issued before the restart stay valid: the key and signing key persist
        assert api.get("/backends", headers={"Authorization": old_token}).status_code == 200
        assert api.get(f"/jobs/{done}/results").text == done_result
        for job_id in (running, queued):
            assert wait_final(api, job_id)["state"]["status"] == "Completed"
        assert "re-queued" in api.get(f"/jobs/{running}/logs").text
        listed = api.get("/jobs", params={"limit": 10}).json()
        assert listed["count"] == 3


def test_sigterm_stops_gracefully_and_requeues_running_jobs(
    spawn_local_service: Any, tmp_path: Path
) -> None:
    state = tmp_path / "svc"
    with spawn_local_service(state, workers=1, devices=False) as (info, proc):
        assert json.loads((state / DISCOVERY_FILE).read_text())["pid"] == proc.pid
        assert (state / "api_key").stat().st_mode & 0o777 == 0o600
        with runtime_client(info) as api:
            busy = encoded_params([busy_circuit(api, HERON, 9, 8)], 100_000)
            running = post_job(api, HERON, busy)
            _wait_status(api, running, "Running")
        started = time.monotonic()
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(20) == 0
        assert time.monotonic() - started < 5, "stopping waited for the running job"
        assert not (state / DISCOVERY_FILE).exists()
        assert info.api_key not in (state / "test-service.log").read_text()
    restarted = spawn_local_service(state, workers=1, devices=False)
    with restarted as (info, _), runtime_client(info) as api:
        assert wait_final(api, running)["state"]["status"] == "Completed"
        assert "was stopped; the job was re-queued" in api.get(f"/jobs/{running}/logs").text


def test_a_dead_worker_fails_its_job_clearly_and_the_pool_recovers(
    spawn_local_service: Any, tmp_path: Path
) -> None:
    service = spawn_local_service(tmp_path / "svc", workers=1, devices=False)
    with service as (info, proc), runtime_client(info) as api:
        victim = post_job(api, HERON, encoded_params([busy_circuit(api, HERON, 9, 8)], 100_000))
        _wait_status(api, victim, "Running")
        workers = [w for child in _children(proc.pid) for w in _children(child)]
        assert workers, "no worker processes found"
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        job = wait_final(api, victim)
        assert job["state"]["status"] == "Failed"
        assert "stopped unexpectedly" in job["state"]["reason"]
        assert "stopped unexpectedly" in api.get(f"/jobs/{victim}/results").text
        after = post_job(api, IDEAL, encoded_params([bell_circuit()], 20))
        assert wait_final(api, after)["state"]["status"] == "Completed"
