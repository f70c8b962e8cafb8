"""JobMonitor and SessionMonitor on real jobs of the real local service (loopback HTTP)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from qiskit import QuantumCircuit
from qiskit.primitives.containers.sampler_pub import SamplerPub

from qrt_lab.runtime import Batch, QiskitRuntimeService, SamplerV2, codec
from qrt_lab.widgets import JobMonitor, SessionMonitor, _poller
from qrt_lab.widgets.jobs import watch_jobs

Wait = Callable[..., None]


def failing_job(service: QiskitRuntimeService, backend: Any) -> Any:
    """A job the service fails with code 1517 (not ISA), submitted through the REST layer."""
    raw = QuantumCircuit(2)
    raw.h(0)
    raw.ch(0, 1)
    raw.measure_all()
    body = {
        "program_id": "sampler",
        "backend": backend.name,
        "params": {"pubs": [codec.encode_sampler_pub(SamplerPub.coerce(raw, 10))], "options": {},
                   "version": 2, "support_qiskit": True},
        "log_level": "WARNING",
    }  # fmt: skip
    return service.job(service._client().create_job(codec.dumps(body))["id"])


def test_monitor_follows_jobs_to_done_and_shows_the_failure_reason(
    service: QiskitRuntimeService,
    backend: Any,
    fresh_poller: _poller.KernelPoller,
    bell: QuantumCircuit,
    wait_for: Wait,
) -> None:
    sampler = SamplerV2(mode=backend)
    good = sampler.run([bell], shots=100)
    bad = failing_job(service, backend)
    monitor = JobMonitor([good, bad])
    assert monitor.watching and fresh_poller.running
    wait_for(lambda: not monitor.watching)
    assert monitor.statuses == {good.job_id(): "DONE", bad.job_id(): "ERROR"}
    assert "1517" in monitor.reasons[bad.job_id()]
    assert "What to do next" in monitor.reasons[bad.job_id()]
    assert good.job_id() not in monitor.reasons
    rows = {row.job.job_id(): row for row in monitor._table.children}
    assert rows[good.job_id()].cancel.disabled and not rows[good.job_id()].show.disabled
    # a finished job (done or failed) shows no Cancel button at all
    assert all(row.cancel.layout.display == "none" for row in rows.values())
    assert "qrt-ERROR" in rows[bad.job_id()].facts.value
    assert "1517" in rows[bad.job_id()].facts.value
    wait_for(lambda: not fresh_poller.running, timeout=10)  # nothing left to watch
    rows[good.job_id()].show.click()
    assert monitor.result.children, monitor.error
    histogram = monitor.result.children[0]
    assert sum(histogram.figure.data[0].y) == 100


def test_single_job_monitor_shows_its_result_when_done(
    backend: Any, bell: QuantumCircuit, wait_for: Wait
) -> None:
    job = SamplerV2(mode=backend).run([bell], shots=64)
    monitor = watch_jobs(job)
    wait_for(lambda: bool(monitor.result.children))
    assert monitor.statuses[job.job_id()] == "DONE"
    assert set(monitor.result.children[0].figure.data[0].x) <= {"00", "01", "10", "11"}


def test_cancel_button_cancels_a_queued_job(
    backend: Any, bell: QuantumCircuit, wait_for: Wait
) -> None:
    qc = bell
    jobs = [SamplerV2(mode=backend).run([qc] * 20, shots=20_000) for _ in range(3)]
    monitor = JobMonitor(jobs)
    last = monitor._table.children[-1]
    last.cancel.click()
    wait_for(lambda: not monitor.watching)
    status = monitor.statuses[jobs[-1].job_id()]
    assert status in ("CANCELLED", "DONE"), monitor.error
    if status == "CANCELLED":
        assert last.cancel.disabled and last.show.disabled


def test_many_monitors_share_one_poll_and_one_list_request(
    monkeypatch: pytest.MonkeyPatch,
    service: QiskitRuntimeService,
    backend: Any,
    fresh_poller: _poller.KernelPoller,
    bell: QuantumCircuit,
) -> None:
    job = SamplerV2(mode=backend).run([bell], shots=10)
    job.wait_for_final_state(timeout=120)
    fresh_poller.interval = 3600  # polls only when the test asks
    listed = [service.job(job.job_id()) for _ in range(5)]
    for copy in listed:
        copy._status = "QUEUED"  # pretend they are unfinished: the poll must refresh them
    calls: list[str] = []
    original = httpx.HTTPTransport.handle_request

    def counting(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path.removeprefix('/api/v1')}")
        return original(transport, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", counting)
    monitors = [JobMonitor([copy], show_results=False) for copy in listed]
    fresh_poller.poll()
    monkeypatch.undo()
    assert calls == ["GET /jobs"]
    assert all(m.statuses[job.job_id()] == "DONE" for m in monitors)


def test_service_monitor_lists_recent_jobs(
    service: QiskitRuntimeService,
    backend: Any,
    bell: QuantumCircuit,
    wait_for: Wait,
) -> None:
    job = SamplerV2(mode=backend).run([bell], shots=10)
    monitor = JobMonitor(service, limit=5)
    assert job.job_id() in monitor.statuses
    wait_for(lambda: monitor.statuses.get(job.job_id()) == "DONE")
    monitor.stop()
    assert not monitor.watching


def test_monitor_of_qiskit_ibm_runtime_jobs(
    official: Any,
    backend: Any,
    bell: QuantumCircuit,
    wait_for: Wait,
) -> None:
    from qiskit_ibm_runtime import SamplerV2 as OfficialSampler

    their_backend = official.backend(backend.name)
    job = OfficialSampler(mode=their_backend).run([bell], shots=50)
    monitor = JobMonitor(job)
    wait_for(lambda: monitor.statuses.get(job.job_id()) == "DONE")
    wait_for(lambda: bool(monitor.result.children))
    assert sum(monitor.result.children[0].figure.data[0].y) == 50


def test_session_monitor_shows_state_jobs_and_closes(
    service: QiskitRuntimeService, backend: Any, bell: QuantumCircuit
) -> None:
    batch = Batch(backend=backend, max_time=600)
    SamplerV2(mode=batch).run([bell], shots=10).wait_for_final_state(timeout=120)
    monitor = SessionMonitor(batch)
    assert monitor.job_count == 1
    assert monitor.state
    assert monitor.seconds_left is None or 0 < monitor.seconds_left <= 600
    assert batch.session_id in monitor._summary.value
    # a batch is called a batch, as in the sidebar's Sessions section
    assert monitor.close_button.description == "Close batch"
    assert "<th>Batch</th>" in monitor._summary.value
    assert "<th>Session</th>" not in monitor._summary.value
    # "open" is unclear for jobs: the sidebar's words, from the shared formatter
    assert "<th>Jobs</th><td>1 (0 queued or running)</td>" in monitor._summary.value
    assert "1 (0 queued or running)" in monitor.static_parts()["text/html"]
    monitor.close_button.click()
    assert monitor.closed and monitor.close_button.disabled
    assert not batch.is_active
    # closed: no time left to show, even though its maximum time has not run out
    assert "<th>Time left</th><td>—</td>" in monitor._summary.value
    monitor.stop()


def test_throttle_coalesces_bursts(wait_for: Wait) -> None:
    seen: list[float] = []
    throttle = _poller.Throttle(lambda: seen.append(time.monotonic()), min_interval=0.1)
    for _ in range(50):
        throttle()
    # the coalesced run comes from a timer thread: on a loaded machine it may be late
    wait_for(lambda: len(seen) >= 2, timeout=30)
    time.sleep(0.3)  # and nothing after it
    assert len(seen) == 2  # one now, one for the coalesced rest
    assert seen[1] - seen[0] >= 0.09


def test_monitor_starts_from_the_jobs_current_state_not_the_submit_time_guess(
    backend: Any, fresh_poller: _poller.KernelPoller, bell: QuantumCircuit, wait_for: Wait
) -> None:
    job = SamplerV2(mode=backend).run([bell], shots=100)
    assert job.cached_status() == "QUEUED" and job.creation_date is None  # what run() knows
    monitor = JobMonitor(job, show_results=False)
    facts = monitor._table.children[0].facts.value
    # the first row already shows the job's document: its creation time, not "-"
    assert " · -" not in facts
    assert job.creation_date is not None
    assert job.creation_date.strftime("%Y-%m-%d %H:%M:%S") in facts
    assert monitor.statuses[job.job_id()] == job.cached_status()
    wait_for(lambda: not monitor.watching)


def test_rows_show_a_ticking_age_while_watched_and_the_time_once_final(
    service: QiskitRuntimeService,
    backend: Any,
    fresh_poller: _poller.KernelPoller,
    bell: QuantumCircuit,
    wait_for: Wait,
) -> None:
    job = SamplerV2(mode=backend).run([bell], shots=10)
    job.wait_for_final_state(timeout=120)
    fresh_poller.interval = 3600  # polls only when the test asks
    copy = service.job(job.job_id())
    copy._status = "QUEUED"  # an unfinished job as the monitor sees it
    monitor = JobMonitor([copy], show_results=False)
    row = monitor._table.children[0]
    assert monitor.watching

    def aged() -> bool:
        return "just now" in row.facts.value or " ago)" in row.facts.value

    monitor._tick()  # what every poll does first for a list of jobs
    wait_for(aged, timeout=30)
    row.facts.value = "an age that has moved on"
    monitor._tick()
    wait_for(aged, timeout=30)
    fresh_poller.poll()  # the job is final: the row keeps its time, without an age
    wait_for(lambda: not monitor.watching and not aged(), timeout=30)
    assert job.creation_date is not None
    assert job.creation_date.astimezone().strftime("%Y-%m-%d %H:%M:%S") in row.facts.value
