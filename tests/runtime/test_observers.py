"""``qrt_lab.runtime.observers``: callbacks hear about every submitted job and created session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import EstimatorV2, QiskitRuntimeService, SamplerV2, Session
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.observers import on_job_submitted, on_session_created


@pytest.fixture(scope="module")
def backend(local_service: LocalServiceInfo) -> Iterator[Any]:
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform", token=local_service.api_key, url=local_service.url,
        instance=local_service.instance,
    )  # fmt: skip
    yield service.backend("local_5q")
    service.close()


def bell(backend: Any) -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    return generate_preset_pass_manager(optimization_level=1, target=backend.target).run(circuit)


def test_every_submitted_job_and_session_is_told(backend: Any) -> None:
    jobs: list[Any] = []
    sessions: list[Any] = []
    stop_jobs = on_job_submitted(jobs.append)
    stop_sessions = on_session_created(sessions.append)
    try:
        measured = bell(backend)
        measured.measure_all()
        sampled = SamplerV2(mode=backend).run([measured], shots=10)
        with Session(backend, max_time=60) as session:
            estimated = EstimatorV2(mode=session).run([(bell(backend), "ZZ".ljust(5, "I"))])
    finally:
        stop_jobs()
        stop_sessions()
        stop_jobs()  # unregistering twice is harmless
    assert [j.job_id() for j in jobs] == [sampled.job_id(), estimated.job_id()]
    assert jobs[1].session_id == session.session_id
    assert sessions == [session]
    after = SamplerV2(mode=backend).run([measured], shots=10)
    assert len(jobs) == 2 and after.result(timeout=120)[0].data.meas.num_shots == 10


def test_a_failing_callback_never_fails_the_submission(
    backend: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_job: Any) -> None:
        raise RuntimeError("watcher bug")

    stop = on_job_submitted(broken)
    try:
        circuit = bell(backend)
        circuit.measure_all()
        job = SamplerV2(mode=backend).run([circuit], shots=10)
    finally:
        stop()
    assert job.result(timeout=120)[0].data.meas.num_shots == 10
    assert "watcher bug" in caplog.text and job.job_id() in caplog.text
