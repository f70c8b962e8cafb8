"""``%qruntime watch`` and a JobMonitor together in a real kernel: one poller, one list per poll.

The kernel counts its own HTTP requests at httpx's transport (the real requests to the real local
service, tagged with the poll they belong to and the thread that sent them).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.widgets.reprs import WIDGET_MIME

SETUP = """\
import json, threading, time
import httpx
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager
from qrt_lab.magics import _active
from qrt_lab.runtime import SamplerV2
from qrt_lab.widgets import JobMonitor, _poller

poller = _poller.poller()
poller.interval = 0.3
service = _active.service()
backend = service.backend("local_5q")
circuit = QuantumCircuit(5)
circuit.h(0)
for q in range(4):
    circuit.cx(q, q + 1)
circuit.measure_all()
isa = generate_preset_pass_manager(1, target=backend.target).run(circuit)
"""

SUBMIT = "jobs = [SamplerV2(mode=backend).run([isa] * 40, shots=100_000) for _ in range(3)]"

MEASURE = """\
copies = [service.job(job.job_id()) for job in jobs]
monitor = JobMonitor(copies, show_results=False)
calls = []
original = httpx.HTTPTransport.handle_request

def counting(transport, request):
    calls.append((poller.polls, threading.current_thread().name, request.method,
                  request.url.path.removeprefix("/api/v1")))
    return original(transport, request)

httpx.HTTPTransport.handle_request = counting
first = poller.polls
deadline = time.monotonic() + 60
while poller.polls < first + 6 and time.monotonic() < deadline:
    time.sleep(0.05)
last = poller.polls
httpx.HTTPTransport.handle_request = original
pending = [job.cached_status() for job in jobs]
print(json.dumps({
    "first": first, "last": last, "calls": calls, "pending": pending,
    "threads": [t.name for t in threading.enumerate()],
}))
"""

CLEANUP = """\
for job in jobs:
    try:
        job.cancel()
    except Exception:
        pass
monitor.stop()
%qruntime watch off
"""


@pytest.fixture
def kernel_env(
    local_service: LocalServiceInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kernel finds the session's local service and no saved account."""
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(local_service.state_dir))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("QISKIT_IBM_TOKEN", raising=False)


def test_watch_and_a_job_monitor_share_one_poller_and_one_list_per_poll(kernel_env: None) -> None:
    notebook = nbformat.v4.new_notebook()
    cells = ["%load_ext qrt_lab\n%qruntime watch", SETUP, SUBMIT, MEASURE, CLEANUP]
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()

    shown = [o for o in notebook.cells[2].outputs if WIDGET_MIME in o.get("data", {})]
    assert len(shown) == 3  # watch drew one JobMonitor per submitted job
    (printed,) = [o["text"] for o in notebook.cells[3].outputs if o.get("name") == "stdout"]
    seen = json.loads(printed)
    assert seen["threads"].count("qrt-lab job poller") == 1
    assert "qrt-job-watch" not in seen["threads"]
    assert all(status in ("QUEUED", "RUNNING") for status in seen["pending"]), seen["pending"]
    polls = range(seen["first"] + 1, seen["last"])  # polls wholly inside the counted window
    assert len(polls) >= 4
    by_poll = {poll: [c for c in seen["calls"] if c[0] == poll] for poll in polls}
    for poll, calls in by_poll.items():
        assert [(thread, method, path) for _, thread, method, path in calls] == [
            ("qrt-lab job poller", "GET", "/jobs")
        ], f"poll {poll}: {calls}"
