"""A kernel's JobMonitor survives a restart of the local service under it.

The service is killed (SIGKILL, by pid) while jobs are queued and running; the next one starts
on a new port from the same state. The monitor follows it there by itself, ends with every job's
true state, and reports each job's final state exactly once.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.api.discovery import ensure_running, find_running, stop_service
from qrt_lab.widgets import JobMonitor

REPO = Path(__file__).resolve().parents[2]
FINAL = ("DONE", "ERROR", "CANCELLED")


@pytest.fixture
def local_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    state = tmp_path / "local"
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(state))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    yield state
    stop_service(state)


def test_job_monitor_follows_a_restarted_local_service(
    local_dir: Path, wait_for: Callable[..., None]
) -> None:
    ensure_running(local_dir, idle_timeout=0)
    service = QiskitRuntimeService(channel="local")
    backend = service.backend("local_5q")
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)
    sampler = SamplerV2(mode=backend)
    jobs = [sampler.run([isa] * 20, shots=20_000) for _ in range(4)]

    history: dict[str, list[str]] = {job.job_id(): [] for job in jobs}

    def record(change: dict[str, Any]) -> None:
        for job_id, status in change["new"].items():
            if not history[job_id] or history[job_id][-1] != status:
                history[job_id].append(status)

    monitor = JobMonitor(jobs)
    monitor.observe(record, names="statuses")
    first = find_running(local_dir)
    assert first is not None
    wait_for(lambda: "RUNNING" in monitor.statuses.values(), timeout=60)
    os.kill(first.pid, signal.SIGKILL)

    second = ensure_running(local_dir, idle_timeout=0)
    assert second.pid != first.pid
    wait_for(lambda: not monitor.watching, timeout=240)

    for job in jobs:
        assert job.status() == "DONE"
        assert job.result()[0].data.meas.num_shots == 20_000
        finals = [status for status in history[job.job_id()] if status in FINAL]
        assert finals == ["DONE"], history[job.job_id()]
    assert set(monitor.statuses.values()) == {"DONE"}
    assert monitor.error == ""  # nothing left of the outage once the service is back
