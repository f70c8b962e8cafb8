"""Device timing, opt-in: jobs queue behind their device and stay RUNNING for their quantum time."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from local_http import bell_circuit, encoded_params, post_job, runtime_client, wait_final

from qrt_lab.local.device_timing import MAX_SCALE, SCALE_ENV, TIMING_ENV, parse_scale, parse_timing

IDEAL = "local_ideal"
SCALE = 0.75  # a bell job is charged ~2 s (the per-job overhead): ~1.5 s RUNNING


def _statuses(api: httpx.Client, job_id: str, until: float) -> list[tuple[float, str]]:
    """(seconds, status) every 50 ms until the job is final."""
    seen: list[tuple[float, str]] = []
    start = time.monotonic()
    while time.monotonic() < until:
        status = api.get(f"/jobs/{job_id}").json()["state"]["status"]
        seen.append((time.monotonic() - start, status))
        if status in ("Completed", "Failed", "Cancelled"):
            break
        time.sleep(0.05)
    return seen


def _left_the_queue(api: httpx.Client, job_id: str, timeout: float = 120) -> str:
    """The job's first status after ``Queued`` (a loaded machine may take long to get there)."""
    deadline = time.monotonic() + timeout
    while (status := api.get(f"/jobs/{job_id}").json()["state"]["status"]) == "Queued":
        assert time.monotonic() < deadline, f"{job_id} still queued after {timeout} s"
        time.sleep(0.05)
    return str(status)


def _first(seen: list[tuple[float, str]], status: str) -> float:
    return next(t for t, s in seen if s == status)


def test_device_timing_queues_behind_the_device_and_runs_for_the_quantum_seconds(
    tmp_path: Path, spawn_local_service: Callable[..., Any]
) -> None:
    args = ("--timing", "device", "--timing-scale", str(SCALE))
    with spawn_local_service(tmp_path / "state", *args) as (info, _), runtime_client(info) as api:
        first = post_job(api, IDEAL, encoded_params([bell_circuit()], 16))
        second = post_job(api, IDEAL, encoded_params([bell_circuit()], 16))
        seen_second = _statuses(api, second, time.monotonic() + 60)
        one, two = wait_final(api, first), wait_final(api, second)
        assert one["state"]["status"] == two["state"]["status"] == "Completed"
        charged = one["usage"]["qpu_charge_time_seconds"]
        assert charged >= 2.0  # the per-job overhead of the timing model
        metrics = api.get(f"/jobs/{first}/metrics").json()["timestamps"]
        running = _seconds(metrics["running"])
        finished = _seconds(metrics["finished"])
        assert finished - running >= charged * SCALE - 0.05
        # the second job waited in the device's queue while the first ran
        statuses = [s for _, s in seen_second]
        assert statuses[0] == "Queued" and "Running" in statuses
        assert _first(seen_second, "Running") >= charged * SCALE * 0.8
        # and was RUNNING for its own quantum seconds
        assert seen_second[-1][0] - _first(seen_second, "Running") >= charged * SCALE * 0.8


def test_device_timing_from_the_environment_and_cancel_while_running(
    tmp_path: Path, spawn_local_service: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMING_ENV, "device")
    monkeypatch.setenv(SCALE_ENV, "20")  # ~40 s RUNNING: cancelled long before
    with spawn_local_service(tmp_path / "state") as (info, _), runtime_client(info) as api:
        job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 16))
        assert _left_the_queue(api, job_id) == "Running"
        # a running job cannot be deleted; a queued one (behind it on the device) can
        assert api.delete(f"/jobs/{job_id}").status_code == 409
        queued = post_job(api, IDEAL, encoded_params([bell_circuit()], 16))
        assert api.get(f"/jobs/{queued}").json()["state"]["status"] == "Queued"
        assert api.delete(f"/jobs/{queued}").status_code == 204
        assert api.get(f"/jobs/{queued}").status_code == 404
        assert api.post(f"/jobs/{job_id}/cancel").status_code == 204
        assert wait_final(api, job_id, 10)["state"]["status"] == "Cancelled"
        # the device is free again: the next job starts at once
        after = post_job(api, IDEAL, encoded_params([bell_circuit()], 16))
        # (20 s: the cancelled job's ~30 s left would hold it back if the device were not freed)
        assert _left_the_queue(api, after, timeout=20) == "Running"


def test_default_timing_stays_fast(api_default: httpx.Client) -> None:
    job_id = post_job(api_default, IDEAL, encoded_params([bell_circuit()], 16))
    job = wait_final(api_default, job_id)
    assert job["state"]["status"] == "Completed"
    charged = job["usage"]["qpu_charge_time_seconds"]
    assert charged >= 2.0
    # not paced by the ~2 s it is charged: RUNNING as long as the simulation (~0.1 s), timed by
    # the service itself (a client's wall clock also counts its polls on a loaded machine)
    metrics = api_default.get(f"/jobs/{job_id}/metrics").json()["timestamps"]
    assert _seconds(metrics["finished"]) - _seconds(metrics["running"]) < charged


@pytest.fixture
def api_default(local_service: Any) -> Any:
    with runtime_client(local_service) as client:
        yield client


def _seconds(stamp: str) -> float:
    from qrt_lab.runtime.api.timestamps import read_timestamp

    return read_timestamp(stamp).timestamp()


# --- flags: hostile values are refused before the service starts ------------------------------


@settings(max_examples=60, deadline=None)
@given(value=st.text(max_size=50))
def test_timing_mode_accepts_only_fast_or_device(value: str) -> None:
    if value.strip().lower() in ("fast", "device") or not value:
        assert parse_timing(value) in ("fast", "device")
        return
    with pytest.raises(ValueError, match="'fast' or 'device'"):
        parse_timing(value)


@settings(max_examples=60, deadline=None)
@given(
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(max_size=30),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )
)
def test_timing_scale_must_be_a_positive_finite_number(value: str) -> None:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if math.isfinite(number) and 0 < number <= MAX_SCALE:
        assert parse_scale(value) == number
        return
    with pytest.raises(ValueError, match="timing scale must be a number > 0"):
        parse_scale(value)


@pytest.mark.parametrize(
    "flags",
    [("--timing", "slow"), ("--timing-scale", "nan"), ("--timing-scale", "-1"), ("--timing", "")],
)
def test_serve_refuses_bad_timing_flags(tmp_path: Path, flags: tuple[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in (TIMING_ENV, SCALE_ENV)}
    if flags == ("--timing", ""):
        env[TIMING_ENV] = "warp"  # an empty flag falls back to the environment
    done = subprocess.run(
        [sys.executable, "-m", "qrt_lab.local", "serve", "--state-dir", str(tmp_path), *flags],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "timing" in done.stderr and "Traceback" not in done.stderr
