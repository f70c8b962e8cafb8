"""The advisor on recorded IBM device documents, served by a fake IBM cloud (httpx transport).

The documents are the real ``ibm_fez``, ``ibm_brisbane``, ``ibm_torino`` and ``ibmq_manila``
configurations and properties (``../shared/data/devices``); the test skips when they are absent.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.advice import UsageWarning, rank_backends
from qrt_lab.runtime.api.auth import SHARED_TOKENS

from .quality_support import ghz

DEVICES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "devices"
NAMES = {
    "fez": "ibm_fez",
    "brisbane": "ibm_brisbane",
    "torino": "ibm_torino",
    "manila": "ibmq_manila",
}
KEY = "recorded-devices-api-key-0123"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:recorded::"
QUEUES = {"ibm_fez": 40, "ibm_brisbane": 3, "ibm_torino": 12, "ibmq_manila": 0}


def _documents() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    docs = {}
    for folder, name in NAMES.items():
        conf = DEVICES / folder / f"conf_{folder}.json"
        props = DEVICES / folder / f"props_{folder}.json"
        if not (conf.exists() and props.exists()):
            pytest.skip(f"recorded device documents not available at {DEVICES}")
        docs[name] = (json.loads(conf.read_text()), json.loads(props.read_text()))
    return docs


class RecordedCloud:
    """IAM, Global Search/Catalog and the runtime's backend, usage and job routes."""

    def __init__(
        self, docs: dict[str, tuple[dict[str, Any], dict[str, Any]]], usage: dict[str, Any]
    ) -> None:
        self.docs, self.usage = docs, usage
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host, path = request.url.host, request.url.path
        self.paths.append(path)
        if host == "iam.cloud.ibm.com":
            token = {"access_token": "bearer-x", "token_type": "Bearer", "expires_in": 3600}
            return httpx.Response(200, json=token)
        if host == "api.global-search-tagging.cloud.ibm.com":
            item = {"crn": CRN, "name": "recorded", "service_plan_unique_id": "open", "tags": [],
                    "doc": {"extensions": {"allocated": True}}}  # fmt: skip
            return httpx.Response(200, json={"items": [item]})
        if host == "globalcatalog.cloud.ibm.com":
            return httpx.Response(200, json={"metadata": {"pricing": {"type": "free"}}})
        return self._runtime(request.method, path.removeprefix("/api/v1"))

    def _runtime(self, method: str, path: str) -> httpx.Response:
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/jobs":
            return httpx.Response(200, json={"id": f"job-{len(self.paths)}", "backend": "ibm_fez"})
        if path == "/backends":
            devices = [{"name": n, "status": {"name": "online"}, "qubits": c["n_qubits"],
                        "queue_length": QUEUES[n]} for n, (c, _) in self.docs.items()]  # fmt: skip
            return httpx.Response(200, json={"devices": devices})
        if path == "/instances/usage":
            return httpx.Response(200, json=self.usage)
        if len(parts) == 3 and parts[0] == "backends" and parts[1] in self.docs:
            conf, props = self.docs[parts[1]]
            if parts[2] == "configuration":
                return httpx.Response(200, json=conf)
            if parts[2] == "properties":
                return httpx.Response(200, json=props)
            if parts[2] == "status":
                status = {"state": True, "status": "active", "length_queue": QUEUES[parts[1]],
                          "backend_version": "1"}  # fmt: skip
                return httpx.Response(200, json=status)
        return httpx.Response(404, json={"errors": [{"message": f"no route {path}"}]})


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_CHANNEL", "IAM_URL", "GLOBAL_SEARCH_URL",
                "GLOBAL_CATALOG_URL"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    SHARED_TOKENS.clear()
    yield
    SHARED_TOKENS.clear()


def _service(cloud: RecordedCloud) -> QiskitRuntimeService:
    return QiskitRuntimeService(
        channel="ibm_quantum_platform", token=KEY, instance=CRN,
        transport=httpx.MockTransport(cloud),  # type: ignore[arg-type]
    )  # fmt: skip


LIMITED = {"usage_consumed_seconds": 599, "usage_limit_seconds": 600, "usage_limit_reached": False}


def test_ranking_on_recorded_devices(clean_env: None) -> None:
    cloud = RecordedCloud(_documents(), LIMITED)
    service = _service(cloud)
    found = rank_backends(ghz(12), service, top=4)
    assert {c.backend_name for c in found} <= {"ibm_fez", "ibm_brisbane", "ibm_torino"}
    assert len(found) == 3  # ibmq_manila has 5 qubits: too narrow for 12
    assert [c.predicted_success for c in found] == sorted(
        (c.predicted_success for c in found), reverse=True
    )
    for c in found:
        assert 0 < c.predicted_success < 1 and c.success_uncertainty > 0
        assert c.pending_jobs == QUEUES[c.backend_name]
        assert c.remaining_seconds == 1 and c.exceeds_remaining_usage
        assert c.two_qubit_gates >= 11 and len(set(c.layout)) == 12
        assert c.calibration_time is not None
        assert sum(c.error_budget.values()) == pytest.approx(1)
        c.backend.check_faulty(c.circuits[0])  # no faulty qubit or edge is chosen
    assert cloud.paths.count("/api/v1/instances/usage") == 1


def test_usage_warning_on_the_ibm_cloud(clean_env: None) -> None:
    cloud = RecordedCloud(_documents(), LIMITED)
    backend = _service(cloud).backend("ibm_fez")
    (best,) = rank_backends(ghz(3), backend.service, backends=[backend], top=1)
    with pytest.warns(UsageWarning, match="1.0 s left"):
        SamplerV2(backend).run(list(best.circuits), shots=100)
    with pytest.warns(UsageWarning):  # again, from the remembered usage: no new request
        SamplerV2(backend).run(list(best.circuits), shots=100)
    assert cloud.paths.count("/api/v1/instances/usage") == 1


def test_an_unlimited_account_gets_no_warning(clean_env: None) -> None:
    cloud = RecordedCloud(_documents(), {"usage_consumed_seconds": 5})
    backend = _service(cloud).backend("ibm_brisbane")
    circuit = QuantumCircuit(1)
    circuit.x(0)
    circuit.measure_all()
    isa = generate_preset_pass_manager(optimization_level=1, target=backend.target).run(circuit)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UsageWarning)
        for _ in range(3):
            SamplerV2(backend).run([isa], shots=10)
    assert cloud.paths.count("/api/v1/instances/usage") == 1
