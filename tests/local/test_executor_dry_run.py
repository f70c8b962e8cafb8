"""``dry_run=True`` of the unmodified official client against the local service.

The client sends a dry run to the device's mock twin (``re.sub(r"^[^_]+", "mock", name)``);
the service lists twins, with ``"class": "mock"``, only when asked (``?include_mocks=true``), runs
the same checks as on the device and returns random data of the right shapes, flagged
``dry_run`` in the result metadata and the job's log.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import Executor, QiskitRuntimeService, QuantumProgram
from qiskit_ibm_runtime.exceptions import RuntimeJobFailureError
from qiskit_ibm_runtime.executor_estimator import Estimator
from qiskit_ibm_runtime.executor_sampler import Sampler

from qrt_lab.local.devices.catalog import DeviceCatalog, builtin_devices, mock_name
from qrt_lab.runtime.api.discovery import LocalServiceInfo

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def raw_api(local_service: LocalServiceInfo) -> Iterator[Any]:
    from local_http import runtime_client

    with runtime_client(local_service) as client:
        yield client


def _isa(backend: Any, circuit: QuantumCircuit) -> QuantumCircuit:
    return generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)


def _ghz(backend: Any, measure: bool = True) -> QuantumCircuit:
    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    if measure:
        circuit.measure_all()
    return _isa(backend, circuit)


def _result_document(raw_api: Any, job_id: str) -> dict[str, Any]:
    reply = raw_api.get(f"/jobs/{job_id}/results")
    assert reply.status_code == 200, reply.text
    document: dict[str, Any] = json.loads(reply.text)
    return document


def test_twins_are_listed_as_mocks_and_hidden_by_default(
    service: QiskitRuntimeService, raw_api: Any
) -> None:
    listed = raw_api.get("/backends", params={"include_mocks": "true"}).json()["devices"]
    mocks = {d["name"] for d in listed if d.get("class") == "mock"}
    real = {d["name"] for d in listed if d.get("class") != "mock"}
    assert {"mock_5q", "mock_heron156"} <= mocks
    assert all(mock_name(name) in mocks for name in real if mock_name(name))
    default = {d["name"] for d in raw_api.get("/backends").json()["devices"]}
    assert default == real
    assert not {b.name for b in service.backends()} & mocks
    assert {"mock_5q", "mock_heron156"} <= {b.name for b in service.backends(include_mocks=True)}
    names_only = raw_api.get(
        "/backends", params={"include_mocks": "true"}, headers={"IBM-API-Version": "2024-01-01"}
    ).json()
    assert not set(names_only["devices"]) & mocks
    conf = raw_api.get("/backends/mock_5q/configuration").json()
    assert conf["backend_name"] == "mock_5q"
    assert conf["n_qubits"] == 5


def test_executor_dry_run_gives_random_data_of_the_right_shapes(
    service: QiskitRuntimeService, raw_api: Any
) -> None:
    backend = service.backend("local_5q")
    program = QuantumProgram(shots=500, passthrough_data={"kept": [1, 2]})
    program.append_circuit_item(_ghz(backend))
    started = time.monotonic()
    job = Executor(mode=backend).run(program, dry_run=True)
    result = job.result()
    assert time.monotonic() - started < 60
    assert job.backend().name == "mock_5q"
    meas = result[0]["meas"]
    assert meas.shape == (500, 3) and meas.dtype == bool
    # a GHZ state gives 000 or 111 on the device; random data gives every pattern
    patterns = {tuple(row) for row in meas.tolist()}
    assert len(patterns) == 8
    assert 0.4 < meas.mean() < 0.6
    assert result.passthrough_data["kept"] == [1, 2]
    document = _result_document(raw_api, job.job_id())
    assert document["metadata"]["dry_run"] is True
    assert document["metadata"]["mock_of"] == "local_5q"
    assert "Dry run" in job.logs() and "random data" in job.logs()
    assert job.usage() > 0  # charged as on the device, which is what a dry run estimates


def test_client_side_primitives_dry_run(service: QiskitRuntimeService) -> None:
    backend = service.backend("local_5q")
    sampler = Sampler(mode=backend)
    sampler.options.twirling.enable_gates = True
    sampler.options.twirling.enable_measure = True
    pub = sampler.run([_ghz(backend)], shots=256, dry_run=True).result()[0]
    counts = pub.data.meas.get_counts()
    assert sum(counts.values()) == 256 and len(counts) >= 6
    circuit = _ghz(backend, measure=False)
    observables = [SparsePauliOp(p).apply_layout(circuit.layout) for p in ("ZZI", "XXX")]
    estimator = Estimator(mode=backend)
    estimator.options.resilience_level = 2
    estimator.options.default_precision = 0.05
    data = estimator.run([(circuit, observables)], dry_run=True).result()[0].data
    evs = np.asarray(data.evs)
    assert evs.shape == (2,) and np.all(np.isfinite(evs))
    assert {"evs_extrapolated", "evs_noise_factors"} <= set(data)


def test_a_dry_run_still_checks_the_circuit(service: QiskitRuntimeService) -> None:
    backend = service.backend("local_5q")
    circuit = QuantumCircuit(2)
    circuit.h(0)  # not a basis gate of the device
    circuit.measure_all()
    program = QuantumProgram(shots=10)
    program.append_circuit_item(circuit)
    job = Executor(mode=backend).run(program, dry_run=True)
    with pytest.raises(RuntimeJobFailureError) as failure:
        job.result()
    assert "ISA" in str(failure.value) or "transpile" in str(failure.value)


def test_mock_twins_of_the_catalog() -> None:
    catalog = DeviceCatalog()
    assert [d.name for d in catalog.all()] == catalog.names()
    assert not any(name.startswith("mock_") for name in catalog.names())
    twins = {d.name: d for d in catalog.mocks()}
    for device in builtin_devices():
        twin = twins[str(mock_name(device.name))]
        assert catalog.get(twin.name) is twin and twin.is_mock
        assert twin.twin_of == device.name and not device.is_mock
        assert twin.configuration["backend_name"] == twin.name
        assert twin.coupling_map == device.coupling_map
        assert twin.summary()["class"] == "mock" and "class" not in device.summary()
    assert mock_name("ibm_fez") == "mock_fez"
    assert mock_name("mock_fez") is None and mock_name("fez") is None
