"""Conformance: the unmodified official qiskit-ibm-runtime client against the local service.

Recipe R1 of official-client.md (url_resolver + IAM_URL + GLOBAL_SEARCH_URL + GLOBAL_CATALOG_URL)
for most tests, and recipe R2 (environment only, ``/experimental/api/v1``) for one.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from official_setup import clean_env
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager

# the official client is a declared test dependency: a broken install must fail, not skip
from qiskit_ibm_runtime import (
    Batch,
    EstimatorV2,
    QiskitRuntimeService,
    SamplerV2,
    Session,
)
from qiskit_ibm_runtime.exceptions import (
    RuntimeJobFailureError,
    RuntimeJobMaxTimeoutError,
)

from qrt_lab.runtime.api.discovery import LocalServiceInfo

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService) -> Any:
    """The 156-qubit device (real ibm_fez documents when present)."""
    names = [b.name for b in service.backends(min_num_qubits=156)]
    name = "ibm_fez" if "ibm_fez" in names else names[0]
    return service.backend(name)


def bell(backend: Any, measure: bool = True) -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    if measure:
        qc.measure_all()
    return generate_preset_pass_manager(backend=backend, optimization_level=1).run(qc)


def busy_circuit(backend: Any, qubits: int = 10, reps: int = 10) -> QuantumCircuit:
    """A non-Clifford circuit that keeps a worker busy for seconds at 100,000 shots."""
    qc = QuantumCircuit(qubits)
    for _ in range(reps):
        qc.h(0)
        for i in range(qubits - 1):
            qc.cx(i, i + 1)
            qc.rx(0.3, i)
    qc.measure_all()
    return generate_preset_pass_manager(backend=backend, optimization_level=1).run(qc)


def test_construction_and_instances(service: QiskitRuntimeService, local_service: Any) -> None:
    (instance,) = service.instances()
    assert instance["crn"] == local_service.instance
    assert instance["plan"] == "local" and instance["pricing_type"] == "free"


def test_backends_backend_and_least_busy(service: QiskitRuntimeService, backend: Any) -> None:
    names = {b.name for b in service.backends()}
    assert backend.name in names and backend.num_qubits == 156
    assert backend.status().operational and backend.status().status_msg == "active"
    assert service.least_busy(min_num_qubits=156).name in names
    assert backend.target.num_qubits == 156


def test_sampler_bell_on_156_qubits(backend: Any) -> None:
    job = SamplerV2(mode=backend).run([bell(backend)], shots=1024)
    counts = job.result()[0].data.meas.get_counts()
    assert sum(counts.values()) == 1024
    assert counts.get("00", 0) + counts.get("11", 0) > 0.85 * 1024
    assert min(counts.get("00", 0), counts.get("11", 0)) > 300
    assert job.status() == "DONE" and job.usage() > 0


def test_estimator_zz_on_bell_state(backend: Any) -> None:
    circuit = bell(backend, measure=False)
    observable = SparsePauliOp("ZZ").apply_layout(circuit.layout)
    job = EstimatorV2(mode=backend).run([(circuit, observable)])
    value = float(job.result()[0].data.evs)
    assert 0.8 < value <= 1.05


def test_session_with_several_jobs(service: QiskitRuntimeService, backend: Any) -> None:
    with Session(backend=backend) as session:
        sampler = SamplerV2(mode=session)
        jobs = [sampler.run([bell(backend)], shots=64) for _ in range(3)]
        for job in jobs:
            assert job.result()[0].data.meas.num_shots == 64
            assert job.session_id == session.session_id
        details = session.details()
        assert details["mode"] == "dedicated" and details["backend_name"] == backend.name
        assert details["state"] == "active" and details["accepting_jobs"] is True
        assert session.status() == "In progress, accepting new jobs"
        same = Session.from_id(session.session_id, service)
        assert same.session_id == session.session_id
    assert session.details()["accepting_jobs"] is False
    deadline = time.monotonic() + 10
    while session.details()["state"] != "closed" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session.details()["state"] == "closed"


def test_batch(backend: Any) -> None:
    with Batch(backend=backend) as batch:
        sampler = SamplerV2(mode=batch)
        jobs = [sampler.run([bell(backend)], shots=32) for _ in range(2)]
        assert all(j.result()[0].data.meas.num_shots == 32 for j in jobs)
        assert batch.details()["mode"] == "batch"
    with pytest.raises(Exception, match="closed"):
        SamplerV2(mode=batch).run([bell(backend)], shots=32)


def test_jobs_and_job(service: QiskitRuntimeService, backend: Any) -> None:
    sampler = SamplerV2(mode=backend)
    sampler.options.environment.job_tags = ["conformance-list"]
    done = sampler.run([bell(backend)], shots=32)
    done.result()
    listed = service.jobs(limit=3)
    assert 1 <= len(listed) <= 3
    tagged = service.jobs(job_tags=["conformance-list"], pending=False)
    assert [j.job_id() for j in tagged] == [done.job_id()]
    again = service.job(done.job_id())
    assert again.status() == "DONE" and again.primitive_id == "sampler"
    assert again.result()[0].data.meas.num_shots == 32
    assert service.jobs(program_id="estimator", limit=200)
    again.update_tags(["renamed"])
    assert again.tags == ["renamed"]
    assert "completed" in again.logs().lower()
    assert again.metrics()["timestamps"]["finished"]
    assert len(again.inputs["pubs"]) == 1
    assert service.usage()["usage_consumed_seconds"] > 0
    service.delete_job(again.job_id())
    with pytest.raises(Exception, match=r"(?i)not found"):
        service.job(again.job_id())


def test_failing_job_error_text_reaches_the_user(backend: Any) -> None:
    sampler = SamplerV2(mode=backend)
    # passes the client's checks, then fails in the service with reason code 1513
    sampler.options.experimental = {"execution": {"meas_type": "not-a-meas-type"}}
    job = sampler.run([bell(backend)], shots=16)
    with pytest.raises(RuntimeJobFailureError, match="meas_type"):
        job.result()
    assert job.status() == "ERROR"
    assert "meas_type" in job.error_message()


def test_recipe_r2_environment_only(
    local_service: LocalServiceInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = local_service.url
    clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("QISKIT_IBM_TOKEN", local_service.api_key)
    monkeypatch.setenv("QISKIT_IBM_INSTANCE", local_service.instance)
    monkeypatch.setenv("QISKIT_IBM_URL", f"{url}/experimental/api/v1")
    monkeypatch.setenv("IAM_URL", url)
    monkeypatch.setenv("GLOBAL_SEARCH_URL", url)
    monkeypatch.setenv("GLOBAL_CATALOG_URL", f"{url}/globalcatalog/api/v1")
    service = QiskitRuntimeService()
    small = service.least_busy(min_num_qubits=5)
    job = SamplerV2(mode=small).run([bell(small)], shots=50)
    assert job.result()[0].data.meas.num_shots == 50
    assert service.job(job.job_id()).status() == "DONE"


def test_cancel_a_queued_job(service: QiskitRuntimeService, backend: Any) -> None:
    blocker = busy_circuit(backend)
    sampler = SamplerV2(mode=backend)
    blockers = [sampler.run([blocker], shots=100_000) for _ in range(2)]
    queued = sampler.run([bell(backend)], shots=32)
    assert queued.status() == "QUEUED"
    queued.cancel()
    assert queued.status() == "CANCELLED"
    assert service.job(queued.job_id()).status() == "CANCELLED"
    with pytest.raises(Exception, match="cancel"):
        queued.cancel()
    for job in blockers:
        job.cancel()  # running jobs are cancelled too; their outcome is discarded
        assert job.status() == "CANCELLED"


def test_max_execution_time_cancels_with_1305(backend: Any) -> None:
    sampler = SamplerV2(mode=backend)
    sampler.options.max_execution_time = 1
    job = sampler.run([busy_circuit(backend)], shots=100_000)
    with pytest.raises(RuntimeJobMaxTimeoutError):
        job.result()
    assert job.status() == "ERROR"
    assert "maximum execution time" in job.error_message()


def test_recipe_r3_skips_instance_listing(
    local_service: LocalServiceInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("IAM_URL", local_service.url)
    monkeypatch.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token=local_service.api_key,
        instance=local_service.instance,
        url=f"{local_service.url}/experimental/api/v1",
    )
    assert any(b.num_qubits == 156 for b in service.backends())
