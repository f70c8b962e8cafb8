"""Shared fixtures: a real local runtime service on 127.0.0.1, started as a subprocess.

``local_service`` (session scope) is one service for the whole run; ``spawn_local_service``
starts private services (restart and crash tests). Both stop their process by pid.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo, find_running

REPO = Path(__file__).resolve().parents[1]
DEVICE_DOCS = REPO.parent / "shared" / "data" / "devices"
START_TIMEOUT = 120.0

# CI runs with a fresh example database, so a random search would give each run different
# examples and a verdict that depends on chance. The "ci" profile (chosen when CI is set, as
# .ci/run does) replays the same examples every run; locally hypothesis still explores. Timing
# checks are off there too: on 2 loaded cores a deadline or a too-slow health check trips by chance.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Every test, and every kernel, server and service it starts, runs in an empty home.

    A developer's saved accounts (``~/.qiskit/qiskit-ibm.json``, perhaps with a real IBM token)
    must neither change a verdict nor be used or edited by a test. The home is removed at exit,
    after whatever still writes there (IPython's history) is done.
    """
    home = tempfile.mkdtemp(prefix="qrt-lab-test-home-")
    os.environ["HOME"] = home
    atexit.register(shutil.rmtree, home, ignore_errors=True)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def stop_process(
    proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20
) -> None:
    """Stop a service process by pid: ``sig`` first, SIGKILL after ``timeout`` seconds."""
    if proc.poll() is None:
        os.kill(proc.pid, sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)


@contextmanager
def run_local_service(
    state_dir: Path, *extra: str, devices: bool = True, workers: int = 2
) -> Iterator[tuple[LocalServiceInfo, subprocess.Popen[bytes]]]:
    """Run ``python -m qrt_lab.local serve`` on a free port until the block ends.

    Yields:
        The service's discovery info and its process.
    """
    args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0"]
    args += ["--state-dir", str(state_dir), "--workers", str(workers), *extra]
    if devices and DEVICE_DOCS.is_dir():
        args += ["--devices", str(DEVICE_DOCS)]
    state_dir.mkdir(parents=True, exist_ok=True)
    log = open(state_dir / "test-service.log", "ab")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(args, env=_env(), stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        info = None
        while time.monotonic() < deadline and proc.poll() is None:
            info = find_running(state_dir)
            if info is not None and info.pid == proc.pid:
                break
            time.sleep(0.1)
        if info is None or info.pid != proc.pid:
            log.flush()
            tail = (state_dir / "test-service.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"local service did not start (exit {proc.poll()}):\n{tail}")
        yield info, proc
    finally:
        stop_process(proc)
        log.close()


@pytest.fixture(scope="session")
def local_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServiceInfo]:
    """One local runtime service for the whole test session (real HTTP on 127.0.0.1)."""
    with run_local_service(tmp_path_factory.mktemp("qrt-local")) as (info, _):
        yield info


@pytest.fixture(scope="module")
def our_service(local_service: LocalServiceInfo) -> Iterator[QiskitRuntimeService]:
    """qrt-lab's own client on the session's local service (one per test module)."""
    svc = QiskitRuntimeService(
        token=local_service.api_key, url=local_service.url, instance=local_service.instance
    )
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def spawn_local_service() -> Callable[
    ..., AbstractContextManager[tuple[LocalServiceInfo, subprocess.Popen[bytes]]]
]:
    """Start private services: ``with spawn_local_service(state_dir) as (info, proc): ...``."""
    return run_local_service


@pytest.fixture
def wait_for() -> Callable[..., None]:
    """``wait_for(condition, timeout=120)``: check every 0.1 s; fail the test on timeout."""

    def wait(condition: Callable[[], bool], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail("condition not reached in time")
            time.sleep(0.1)

    return wait


@pytest.fixture
def kernel_poller(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The kernel's widget/magics poller for one test, polling every 0.3 s; emptied afterwards."""
    from qrt_lab.widgets import _poller

    poller = _poller.KernelPoller(interval=0.3)
    monkeypatch.setattr(_poller, "_POLLER", poller)
    yield poller
    with poller._lock:
        poller._watches.clear()
    poller._wake.set()
