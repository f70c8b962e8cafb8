"""A service started on demand exits when unused, losing nothing; the foreground one never does."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from qiskit import QuantumCircuit

from qrt_lab.local.cli import build_parser
from qrt_lab.local.config import ServiceConfig
from qrt_lab.runtime import QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.api import discovery

REPO = Path(__file__).resolve().parents[2]


def wait_for_exit(state: Path, pid: int, timeout: float = 60.0) -> float:
    """Seconds until the service at ``state`` exited (reads files only: a probe is a use)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if discovery.read_discovery(state) is None and not discovery._pid_alive(pid):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"the service (pid {pid}) did not exit within {timeout} s")


@pytest.fixture
def idle_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    state = tmp_path / "local"
    paths = [str(REPO), os.environ.get("PYTHONPATH")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(state))
    monkeypatch.setenv("QRT_LAB_LOCAL_IDLE_TIMEOUT", "3")
    yield state
    discovery.stop_service(state)


def test_idle_service_exits_and_the_next_use_restarts_it_with_its_jobs(idle_state: Path) -> None:
    service = QiskitRuntimeService(channel="local")
    first = discovery.read_discovery(idle_state)
    assert first is not None
    circuit = QuantumCircuit(1)
    circuit.x(0)
    circuit.measure_all()
    job = SamplerV2(mode=service.backend("local_ideal")).run([circuit], shots=50)
    assert job.result()[0].data.meas.get_counts() == {"1": 50}
    wait_for_exit(idle_state, int(first["pid"]))

    again = service.job(job.job_id())  # the same client: the service starts again
    assert again.status() == "DONE"
    assert again.result()[0].data.meas.get_counts() == {"1": 50}
    second = discovery.read_discovery(idle_state)
    assert second is not None and second["pid"] != first["pid"]
    service.close()


def test_requests_keep_the_service_alive(idle_state: Path) -> None:
    info = discovery.ensure_running(idle_state, idle_timeout=2.0)
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        assert discovery.find_running(idle_state) is not None  # a /health request: a use
        time.sleep(0.5)
    assert discovery._pid_alive(info.pid)
    wait_for_exit(idle_state, info.pid)


def test_the_foreground_service_never_idles_out_unless_asked() -> None:
    assert build_parser().parse_args(["serve"]).idle_timeout == 0
    assert ServiceConfig(state_dir=Path(".")).idle_timeout is None
    assert build_parser().parse_args(["serve", "--idle-timeout", "60"]).idle_timeout == 60


def test_a_bad_idle_timeout_is_refused_with_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_IDLE_TIMEOUT", "soon")
    with pytest.raises(discovery.LocalServiceError, match="QRT_LAB_LOCAL_IDLE_TIMEOUT='soon'"):
        discovery.resolve_idle_timeout()
    monkeypatch.delenv("QRT_LAB_LOCAL_IDLE_TIMEOUT")
    assert discovery.resolve_idle_timeout() == discovery.DEFAULT_IDLE_TIMEOUT
    assert discovery.resolve_idle_timeout(0) == 0
