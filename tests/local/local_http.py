"""Helpers for talking raw HTTP to the local service in tests (no client library in between)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from qrt_lab.runtime.api.discovery import LocalServiceInfo

GRANT = "urn:ibm:params:oauth:grant-type:apikey"
FINAL = ("Completed", "Failed", "Cancelled")
# a syntactically valid circuit tag whose payload is not QPY: workers fail such jobs cleanly
BROKEN_CIRCUIT = {"__type__": "QuantumCircuit", "__value__": "bm90LXFweQ=="}


def token_for(info: LocalServiceInfo, key: str | None = None) -> str:
    """Exchange the service's API key for a bearer token."""
    reply = httpx.post(
        f"{info.url}/identity/token",
        data={"grant_type": GRANT, "apikey": key or info.api_key, "response_type": "cloud_iam"},
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["access_token"])


def runtime_client(info: LocalServiceInfo, prefix: str = "/api/v1") -> httpx.Client:
    """An httpx client for the runtime routes with bearer token and Service-CRN set."""
    headers = {"Authorization": f"Bearer {token_for(info)}", "Service-CRN": info.instance}
    return httpx.Client(base_url=info.url + prefix, headers=headers, timeout=60)


def sampler_body(
    backend: str, shots: Any = 16, circuit: Any = None, **extra: Any
) -> dict[str, Any]:
    """A POST /jobs body for the sampler with one PUB."""
    pub = [circuit or BROKEN_CIRCUIT, {"__type__": "ndarray", "__value__": "eJwLAAAAAAE="}, shots]
    body = {
        "program_id": "sampler",
        "backend": backend,
        "params": {"pubs": [pub], "options": {}, "version": 2, "support_qiskit": True},
        "log_level": "WARNING",
    }
    body.update(extra)
    return body


def wait_final(api: httpx.Client, job_id: str, timeout: float = 120.0) -> dict[str, Any]:
    """Poll a job until its status is final; returns the job body."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/jobs/{job_id}", params={"exclude_params": "true"}).json()
        if job["state"]["status"] in FINAL:
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not final after {timeout} s")


def encoded_params(circuits: list[Any], shots: int | None) -> dict[str, Any]:
    """Sampler params for ``circuits`` encoded as the official client does."""
    from qiskit.primitives.containers.sampler_pub import SamplerPub

    from qrt_lab.runtime import codec

    pubs = [codec.encode_sampler_pub(SamplerPub.coerce(c, shots)) for c in circuits]
    return {"pubs": pubs, "options": {}, "version": 2, "support_qiskit": True}


def post_job(api: httpx.Client, backend: str, params: dict[str, Any], **extra: Any) -> str:
    """Submit a job with RuntimeEncoder-encoded params; returns its id."""
    from qrt_lab.runtime import codec

    body = {"program_id": "sampler", "backend": backend, "params": params, **extra}
    reply = api.post("/jobs", content=codec.dumps(body))
    assert reply.status_code == 200, reply.text
    return str(reply.json()["id"])


def bell_circuit() -> Any:
    """A measured Bell circuit in the gates of the ideal simulator ``local_ideal``."""
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    return qc


def busy_circuit(api: httpx.Client, backend: str, qubits: int = 10, reps: int = 10) -> Any:
    """A noisy non-Clifford ISA circuit for ``backend`` that takes seconds at 100,000 shots."""
    from qiskit import QuantumCircuit
    from qiskit.transpiler import CouplingMap, generate_preset_pass_manager

    conf = api.get(f"/backends/{backend}/configuration").json()
    qc = QuantumCircuit(qubits)
    for _ in range(reps):
        qc.h(0)
        for i in range(qubits - 1):
            qc.cx(i, i + 1)
            qc.rx(0.3, i)
    qc.measure_all()
    manager = generate_preset_pass_manager(
        optimization_level=1,
        basis_gates=conf["basis_gates"],
        coupling_map=CouplingMap(conf["coupling_map"]),
        seed_transpiler=7,
    )
    return manager.run(qc)
