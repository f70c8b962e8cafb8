"""The client against the real local runtime service over loopback HTTP (the primary path)."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta

import httpx
import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.providers.exceptions import QiskitBackendNotFoundError
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import (
    Batch,
    EstimatorV2,
    IBMInputValueError,
    IBMNotAuthorizedError,
    IBMRuntimeError,
    QiskitRuntimeService,
    RuntimeInvalidStateError,
    RuntimeJobFailureError,
    RuntimeJobNotFound,
    SamplerV2,
    Session,
    codec,
    job_pages,
)
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.job import RuntimeJobV2


@pytest.fixture(scope="module")
def service(our_service: QiskitRuntimeService) -> QiskitRuntimeService:
    """qrt-lab's client on the local service."""
    return our_service


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService):  # type: ignore[no-untyped-def]
    names = {b.name for b in service.backends()}
    return service.backend("ibmq_manila" if "ibmq_manila" in names else "local_5q")


def bell(measure: bool = True) -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    if measure:
        qc.measure_all()
    return qc


def isa(backend, circuit: QuantumCircuit) -> QuantumCircuit:  # type: ignore[no-untyped-def]
    return generate_preset_pass_manager(
        optimization_level=1, backend=backend, seed_transpiler=7
    ).run(circuit)


def test_custom_url_service_lists_instances_and_backends(
    service: QiskitRuntimeService, local_service: LocalServiceInfo
) -> None:
    assert service.active_instance() == local_service.instance
    assert any(i["crn"] == local_service.instance for i in service.instances())
    backends = service.backends()
    assert backends and all(b.num_qubits > 0 for b in backends)
    assert {b.name for b in service.backends(min_num_qubits=100)} <= {b.name for b in backends}
    assert all(b.num_qubits >= 100 for b in service.backends(min_num_qubits=100))
    assert service.backends(name=backends[0].name) == [backends[0]]
    least = service.least_busy(min_num_qubits=5)
    assert least.num_qubits >= 5
    with pytest.raises(QiskitBackendNotFoundError, match=r"at least 100000 qubits.*relax"):
        service.least_busy(min_num_qubits=100_000)
    status = least.status()
    assert status.operational is True and status.backend_name == least.name
    assert local_service.api_key not in repr(service)


def test_channel_local_discovers_the_running_service(
    local_service: LocalServiceInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(local_service.state_dir))
    svc = QiskitRuntimeService(channel="local")
    assert svc.active_instance() == local_service.instance
    assert svc.backends()
    svc.close()


def test_wrong_api_key_is_not_authorized(local_service: LocalServiceInfo) -> None:
    with pytest.raises(IBMNotAuthorizedError, match="rejected the API key") as info:
        QiskitRuntimeService(
            token="not-the-key", url=local_service.url, instance=local_service.instance
        )
    assert "not-the-key" not in str(info.value)


def test_every_backend_is_a_valid_transpilation_target(service: QiskitRuntimeService) -> None:
    for backend in service.backends():
        target = backend.target
        assert target.num_qubits == backend.num_qubits
        if backend.num_qubits >= 2 and not backend.simulator:
            out = isa(backend, bell())
            assert set(out.count_ops()) <= set(target.operation_names) | {"barrier"}


def test_sampler_bell(backend) -> None:  # type: ignore[no-untyped-def]
    job = SamplerV2(mode=backend).run([isa(backend, bell())], shots=400)
    assert isinstance(job, RuntimeJobV2) and job.primitive_id == "sampler"
    result = job.result(timeout=120)
    counts = result[0].data.meas.get_counts()
    assert sum(counts.values()) == 400
    assert counts.get("00", 0) + counts.get("11", 0) >= 0.8 * 400
    assert job.status() == "DONE" and job.done()
    assert job.metrics()["timestamps"]
    properties = job.properties()
    assert properties is not None and properties.backend_name == backend.name
    assert backend.target_history(job.creation_date).num_qubits == backend.num_qubits
    assert job.usage() > 0 and job.usage(partial=True) == job.usage(), "a done job is charged"


def test_estimator_zz(backend) -> None:  # type: ignore[no-untyped-def]
    circuit = isa(backend, bell(measure=False))
    observable = SparsePauliOp("ZZ").apply_layout(circuit.layout)
    job = EstimatorV2(mode=backend, options={"default_shots": 2000}).run([(circuit, observable)])
    evs = job.result(timeout=120)[0].data.evs
    assert float(np.asarray(evs)) > 0.8
    level0 = EstimatorV2(mode=backend, options={"resilience_level": 0, "default_shots": 500})
    inputs = level0.run([(circuit, observable)]).inputs
    assert inputs["resilience_level"] == 0 and inputs["options"] == {"default_shots": 500}
    assert inputs["support_qiskit"] is True and inputs["pubs"][0][3] is None


def test_sampler_options_reach_the_service(backend) -> None:  # type: ignore[no-untyped-def]
    sampler = SamplerV2(mode=backend, options={"default_shots": 123})
    sampler.options.environment.job_tags = ["opts"]
    job = sampler.run([isa(backend, bell())])
    assert job.result(timeout=120)[0].data.meas.num_shots == 123
    assert job.tags == ["opts"]
    assert job.inputs["pubs"][0][2] is None


def test_untranspiled_circuit_is_rejected_with_a_hint(backend) -> None:  # type: ignore[no-untyped-def]
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.ch(0, 1)
    qc.measure_all()
    with pytest.raises(IBMInputValueError, match="generate_preset_pass_manager"):
        SamplerV2(mode=backend).run([qc])


def test_session_runs_several_jobs(backend) -> None:  # type: ignore[no-untyped-def]
    circuit = isa(backend, bell())
    with Session(backend, max_time="10m") as session:
        sampler = SamplerV2()  # the ambient session
        jobs = [sampler.run([circuit], shots=100) for _ in range(3)]
        assert all(j.session_id == session.session_id for j in jobs)
        for job in jobs:
            assert sum(job.result(timeout=120)[0].data.meas.get_counts().values()) == 100
        details = session.details()
        assert details is not None and details["id"] == session.session_id
        assert details["mode"] == "dedicated" and details["max_time"] == 600
        assert session.status() is not None
    with pytest.raises(IBMRuntimeError, match="closed"):
        SamplerV2(mode=session).run([circuit])


def test_batch_and_from_id(service: QiskitRuntimeService, backend) -> None:  # type: ignore[no-untyped-def]
    circuit = isa(backend, bell())
    batch = Batch(backend)
    jobs = [SamplerV2(mode=batch).run([circuit], shots=50) for _ in range(2)]
    assert all(j.result(timeout=120)[0].data.meas.num_shots == 50 for j in jobs)
    again = Batch.from_id(batch.session_id, service)  # type: ignore[arg-type]
    assert again.session_id == batch.session_id and again.backend() == backend.name
    with pytest.raises(IBMInputValueError, match="Batch"):
        Session.from_id(batch.session_id, service)  # type: ignore[arg-type]
    batch.close()
    session = Session(backend)
    session.cancel()
    assert session.status() == "Closed" or session.details()["accepting_jobs"] is False  # type: ignore[index]
    with pytest.raises(IBMRuntimeError, match="closed"):
        SamplerV2(mode=session).run([circuit])


def test_jobs_paging_filters_and_refresh(
    service: QiskitRuntimeService,
    backend,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    tag = f"paging-{uuid.uuid4().hex[:8]}"
    sampler = SamplerV2(mode=backend, options={"environment": {"job_tags": [tag]}})
    circuit = isa(backend, bell())
    submitted = [sampler.run([circuit], shots=20) for _ in range(5)]
    monkeypatch.setattr(job_pages, "MAX_PAGE", 2)  # force several pages
    listed = service.jobs(limit=None, job_tags=[tag])
    assert [j.job_id() for j in listed] == [j.job_id() for j in reversed(submitted)]
    ascending = service.jobs(limit=3, job_tags=[tag], descending=False)
    assert [j.job_id() for j in ascending] == [j.job_id() for j in submitted[:3]]
    skipped = service.jobs(limit=10, skip=2, job_tags=[tag])
    assert [j.job_id() for j in skipped] == [j.job_id() for j in reversed(submitted)][2:]
    assert all(j.tags == [tag] for j in listed)
    assert service.jobs(job_tags=[tag], program_id="estimator") == []
    created = min(j.creation_date for j in listed if j.creation_date is not None)
    later = created + timedelta(hours=1)
    assert service.jobs(job_tags=[tag], created_after=later) == []
    assert len(service.jobs(limit=None, job_tags=[tag], created_before=later)) == 5
    assert (
        len(service.jobs(limit=None, job_tags=[tag], created_after=created - timedelta(hours=1)))
        == 5
    )
    assert len(service.jobs(limit=None, job_tags=[tag], backend_name=backend.name)) == 5
    for job in submitted:
        job.wait_for_final_state(timeout=120)
    monkeypatch.setattr(job_pages, "MAX_PAGE", 200)
    fresh = service.jobs(limit=None, job_tags=[tag])
    assert {j.cached_status() for j in fresh} <= {"QUEUED", "RUNNING", "DONE"}
    statuses = service.refresh_jobs(fresh)
    assert statuses == ["DONE"] * 5
    assert len(service.jobs(limit=None, job_tags=[tag], pending=False)) == 5
    assert service.jobs(limit=None, job_tags=[tag], pending=True) == []


def test_job_lookup_tags_inputs_logs_and_delete(service: QiskitRuntimeService, backend) -> None:  # type: ignore[no-untyped-def]
    job = SamplerV2(mode=backend).run([isa(backend, bell())], shots=30)
    job.result(timeout=120)
    found = service.job(job.job_id())
    assert found.job_id() == job.job_id() and found.primitive_id == "sampler"
    assert found.cached_status() == "DONE" and found.creation_date is not None
    assert found.backend() is backend  # the service's cached backend object
    assert found.update_tags(["a", "b", "a"]) == ["a", "b"]
    inputs = found.inputs
    assert inputs["pubs"][0][2] == 30 and inputs["version"] == 2
    assert isinstance(found.logs(), str)
    service.delete_job(job.job_id())
    with pytest.raises(RuntimeJobNotFound):
        service.job(job.job_id())
    with pytest.raises(RuntimeJobNotFound):
        service.job("no-such-job")


def test_rejected_submission_shows_the_service_message(backend) -> None:  # type: ignore[no-untyped-def]
    too_many = int(backend.configuration().to_dict().get("max_shots", 100000)) + 1
    with pytest.raises(IBMRuntimeError, match="Failed to run program") as info:
        SamplerV2(mode=backend).run([isa(backend, bell())], shots=too_many)
    assert str(too_many) in str(info.value) and "trace" in str(info.value)


def test_failing_job_reports_the_service_reason(service: QiskitRuntimeService, backend) -> None:  # type: ignore[no-untyped-def]
    from qiskit.primitives.containers.sampler_pub import SamplerPub

    raw = QuantumCircuit(2)
    raw.h(0)
    raw.ch(0, 1)  # not ISA: the client would refuse it, so submit it through the REST layer
    raw.measure_all()
    body = {
        "program_id": "sampler",
        "backend": backend.name,
        "params": {"pubs": [codec.encode_sampler_pub(SamplerPub.coerce(raw, 10))], "options": {},
                   "version": 2, "support_qiskit": True},
        "log_level": "WARNING",
    }  # fmt: skip
    job_id = service._client().create_job(codec.dumps(body))["id"]
    job = service.job(job_id)
    with pytest.raises(RuntimeJobFailureError, match="Error code 1517") as info:
        job.result(timeout=120)
    assert "Unable to retrieve job result" in str(info.value)
    assert job.status() == "ERROR" and job.errored()
    message = job.error_message()
    assert message is not None and job_id in message and "1517" in message


def heavy_pubs(backend) -> list[tuple[QuantumCircuit, None, int]]:  # type: ignore[no-untyped-def]
    """About 4 s of simulation: keeps the service's workers busy."""
    qc = QuantumCircuit(5)
    qc.h(0)
    for q in range(4):
        qc.cx(q, q + 1)
    qc.measure_all()
    return [(isa(backend, qc), None, 100_000)] * 10


def test_cancel_a_queued_job(backend) -> None:  # type: ignore[no-untyped-def]
    sampler = SamplerV2(mode=backend)
    jobs = [sampler.run(heavy_pubs(backend)) for _ in range(3)]  # the service runs 2 at a time
    last = jobs[-1]
    try:
        last.cancel()
    except RuntimeInvalidStateError:
        last.wait_for_final_state(timeout=120)
        assert last.status() == "DONE", "cancel may only fail because the job already finished"
    else:
        assert last.status() == "CANCELLED" and last.cancelled()
        with pytest.raises(RuntimeInvalidStateError, match="cancelled"):
            last.result(timeout=60)
    for job in jobs[:-1]:
        job.cancel()
        job.wait_for_final_state(timeout=180)
    assert {j.status() for j in jobs[:-1]} <= {"CANCELLED", "DONE"}


def test_result_timeout(backend) -> None:  # type: ignore[no-untyped-def]
    from qrt_lab.runtime import RuntimeJobTimeoutError

    job = SamplerV2(mode=backend).run(heavy_pubs(backend))
    start = time.monotonic()
    with pytest.raises(RuntimeJobTimeoutError, match="Timed out"):
        job.result(timeout=0.3, poll_interval=0.1)
    assert time.monotonic() - start < 3
    job.cancel()
    job.wait_for_final_state(timeout=180)


class CountingTransport(httpx.BaseTransport):
    """A real HTTP transport that records the requests it sends."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


def test_caching_and_no_hidden_requests(local_service: LocalServiceInfo) -> None:
    transport = CountingTransport()
    svc = QiskitRuntimeService(
        token=local_service.api_key, url=local_service.url, instance=local_service.instance,
        transport=transport,
    )  # fmt: skip
    runtime_calls = [s for s in transport.sent if s.split(" ", 1)[1].startswith("/api/v1")]
    assert runtime_calls == [], "construction makes no runtime calls"
    backend = svc.backend(
        "ibmq_manila" if "ibmq_manila" in {b.name for b in svc.backends()} else "local_5q"
    )
    before = len(transport.sent)
    _ = (
        backend.num_qubits,
        backend.coupling_map,
        backend.configuration(),
        backend.name,
        repr(backend),
    )
    assert len(transport.sent) == before, "attribute access must not send requests"
    assert svc.backend(backend.name) is backend and len(transport.sent) == before
    _ = backend.target
    _ = backend.target
    properties = backend.properties()
    assert properties is not None and properties.backend_name == backend.name
    assert properties.t1(0) == pytest.approx(backend.target.qubit_properties[0].t1)
    assert backend.configuration().dt == pytest.approx(backend.target.dt)
    assert transport.sent[before:] == [f"GET /api/v1/backends/{backend.name}/properties"]
    backend.refresh()
    assert transport.sent[-2:] == [
        f"GET /api/v1/backends/{backend.name}/configuration",
        f"GET /api/v1/backends/{backend.name}/properties",
    ]
    usage = svc.usage()
    assert "usage_consumed_seconds" in usage
    svc.close()


def test_dry_run_goes_to_the_mock_twin(backend) -> None:  # type: ignore[no-untyped-def]
    twin = re.sub(r"^[^_]+", "mock", backend.name)
    job = SamplerV2(mode=backend).run([isa(backend, bell())], shots=100, dry_run=True)
    assert job.backend().name == twin
    assert job.result(timeout=120)[0].data.meas.num_shots == 100


def test_parameterized_pubs_and_unknown_backend(service: QiskitRuntimeService, backend) -> None:  # type: ignore[no-untyped-def]
    from qiskit.circuit import Parameter
    from qiskit.providers.exceptions import QiskitBackendNotFoundError

    theta = Parameter("theta")
    qc = QuantumCircuit(1)
    qc.ry(theta, 0)
    qc.measure_all()
    circuit = isa(backend, qc)
    values = np.array([[0.0], [np.pi]])
    result = SamplerV2(mode=backend).run([(circuit, values, 300)]).result(timeout=120)
    meas = result[0].data.meas
    assert meas.shape == (2,) and meas.num_shots == 300
    ones = [meas[i].get_counts().get("1", 0) for i in range(2)]
    assert ones[0] < 60 and ones[1] > 240
    plain = QuantumCircuit(1)
    plain.ry(theta, 0)
    est_circuit = isa(backend, plain)
    observable = SparsePauliOp("Z").apply_layout(est_circuit.layout)
    job = EstimatorV2(mode=backend).run([(est_circuit, observable, values)], precision=0.05)
    evs = job.result(timeout=120)[0].data.evs
    assert evs.shape == (2,) and evs[0] > 0.7 and evs[1] < -0.7
    with pytest.raises(QiskitBackendNotFoundError, match=r"service\.backends"):
        service.backend("no_such_backend")
