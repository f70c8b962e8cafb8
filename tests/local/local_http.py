"""Helpers for talking raw HTTP to the local service in tests (no client library in between)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from qrt_lab.runtime.discovery import LocalServiceInfo

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
