"""Finding, starting and stopping the local service through its state directory and the CLI."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from qrt_lab.runtime.api import discovery

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned services import qrt_lab from this checkout."""
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    )


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "qrt_lab.local", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_default_state_dir_honours_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(tmp_path / "here"))
    assert discovery.default_state_dir() == tmp_path / "here"
    monkeypatch.delenv("QRT_LAB_LOCAL_DIR")
    assert discovery.default_state_dir() == Path.home() / ".qiskit" / "qrt-lab" / "local"


def test_find_running_ignores_a_stale_discovery_file(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / discovery.DISCOVERY_FILE).write_text(
        json.dumps({"url": "http://127.0.0.1:9", "pid": dead.pid, "instance": "crn:x"})
    )
    assert discovery.find_running(tmp_path) is None
    assert discovery.stop_service(tmp_path) is False
    assert not (tmp_path / discovery.DISCOVERY_FILE).exists()


def test_stop_never_signals_a_process_that_reused_a_stale_pid(tmp_path: Path) -> None:
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / discovery.DISCOVERY_FILE).write_text(
            json.dumps({"url": "http://127.0.0.1:9", "pid": bystander.pid, "instance": "crn:x"})
        )
        assert discovery.stop_service(tmp_path, timeout=2) is False
        assert bystander.poll() is None, "an unrelated process was signalled"
        assert not (tmp_path / discovery.DISCOVERY_FILE).exists()
    finally:
        bystander.kill()
        bystander.wait(10)


def test_concurrent_starters_start_one_service(repo_on_path: None, tmp_path: Path) -> None:
    state = tmp_path / "state"
    try:
        with ThreadPoolExecutor(3) as pool:
            infos = list(pool.map(lambda _: discovery.ensure_running(state), range(3)))
        assert len({i.pid for i in infos}) == 1 and len({i.url for i in infos}) == 1
        info = infos[0]
        assert info.url.startswith("http://127.0.0.1:") and info.api_key
        assert "api_key" not in repr(info) and info.api_key not in repr(info)
        document = json.loads((state / discovery.DISCOVERY_FILE).read_text())
        assert set(document) == {"url", "pid", "api_key_file", "instance", "started"}
        assert (state / "api_key").stat().st_mode & 0o777 == 0o600
        status = _cli("status", "--state-dir", str(state))
        assert status.returncode == 0 and json.loads(status.stdout)["pid"] == info.pid
        again = _cli("start", "--state-dir", str(state))
        assert again.returncode == 0 and json.loads(again.stdout)["pid"] == info.pid
        stop = _cli("stop", "--state-dir", str(state))
        assert stop.returncode == 0 and stop.stdout.strip() == "stopped"
        assert discovery.find_running(state) is None
        assert not (state / discovery.DISCOVERY_FILE).exists()
        deadline = time.monotonic() + 10
        while discovery._pid_alive(info.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not discovery._pid_alive(info.pid), "the stopped service was left a zombie"
        assert _cli("status", "--state-dir", str(state)).returncode == 1
        # the console script `qrt-lab local status` reaches the same command
        assert _cli("local", "status", "--state-dir", str(state)).returncode == 1
    finally:
        leftover = discovery.read_discovery(state)
        if leftover:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(leftover["pid"]), signal.SIGKILL)


def test_a_second_service_on_the_same_state_dir_refuses(
    spawn_local_service: Any, tmp_path: Path
) -> None:
    state = tmp_path / "svc"
    with spawn_local_service(state, workers=1, devices=False) as (info, _):
        second = _cli("serve", "--port", "0", "--state-dir", str(state), "--workers", "1")
        assert second.returncode != 0
        assert "Another local runtime service already uses" in second.stderr
        assert discovery.find_running(state) == info


def test_serve_rejects_bad_flags(tmp_path: Path) -> None:
    bad = _cli("serve", "--state-dir", str(tmp_path), "--workers", "0")
    assert bad.returncode == 2 and "--workers" in bad.stderr
    for flag in ("--max-body-mb", "--interactive-ttl"):
        zero = _cli("serve", "--state-dir", str(tmp_path), flag, "0")
        assert zero.returncode == 2 and flag in zero.stderr
    missing = _cli("serve", "--state-dir", str(tmp_path), "--devices", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr


def test_a_starter_waits_for_a_service_that_is_still_warming_up(
    repo_on_path: None, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    manual = subprocess.Popen(
        [sys.executable, "-m", "qrt_lab.local", "serve", "--state-dir", str(state)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        info = discovery.ensure_running(state)
        alive = [p for p in (manual.pid, info.pid) if discovery._pid_alive(p)]
        assert info.pid in alive and discovery.find_running(state) == info
    finally:
        discovery.stop_service(state)
        if manual.poll() is None:
            manual.kill()
        manual.wait(20)


def test_find_running_ignores_proxy_settings(
    local_service: discovery.LocalServiceInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")  # nothing listens there
    for var in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(urllib.request, "_opener", None)  # urlopen caches the proxies it saw
    assert discovery.find_running(local_service.state_dir) == local_service


def test_a_service_that_cannot_start_is_reported_with_its_log(
    repo_on_path: None, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    (state / "api_key").mkdir(parents=True)  # the service cannot read its key: it exits at once
    start = time.monotonic()
    with pytest.raises(discovery.LocalServiceError, match=r"exited with code 1.*service\.log"):
        discovery.ensure_running(state, timeout=60)
    assert time.monotonic() - start < 30, "the exit was noticed only at the timeout"
