"""Protocol details the official client's own integration suite checks, at the HTTP boundary.

Estimator ``stds`` of a shape-() PUB, private jobs (inputs withheld, results served once),
``physical_qubits`` in ``GET /backends``, calibrations by id, the Resource Controller's
``GET /v2/resource_instances/{crn}`` and the limits in ``GET /instances/usage``.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Iterator

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_http import bell_circuit, encoded_params, post_job, runtime_client, token_for, wait_final
from qiskit import QuantumCircuit
from qiskit_ibm_runtime import EstimatorV2, QiskitRuntimeService

from qrt_lab.local.instances import INSTANCE_CRN, INSTANCE_NAME
from qrt_lab.runtime.api.discovery import LocalServiceInfo

IDEAL = "local_ideal"
HERON = "local_heron156"


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


@pytest.fixture(scope="module")
def platform(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    """The IBM Cloud platform routes (no runtime prefix), with a bearer token."""
    headers = {"Authorization": f"Bearer {token_for(local_service)}"}
    with httpx.Client(base_url=local_service.url, headers=headers, timeout=60) as client:
        yield client


# --- estimator stds ------------------------------------------------------------------------


@pytest.mark.parametrize("backend", [IDEAL, "local_5q"])
def test_shape_0_pub_has_0d_evs_and_stds(service: QiskitRuntimeService, backend: str) -> None:
    """Both arrays have the PUB's shape, also ``()`` (a float ``stds`` breaks ``.shape``)."""
    circuit = QuantumCircuit(5 if backend != IDEAL else 2)
    circuit.h(0)
    circuit.cx(0, 1)
    observable = "IZ" if backend == IDEAL else "IIIIZ"  # <Z0> = 0: a spread of +-1 outcomes
    if backend != IDEAL:  # ISA for the 5-qubit device: cx on a coupler, h as rz/sx
        from qiskit.transpiler import generate_preset_pass_manager

        target = service.backend(backend).target
        circuit = generate_preset_pass_manager(1, target=target, seed_transpiler=3).run(circuit)
        observable = _apply_layout(observable, circuit)
    estimator = EstimatorV2(mode=service.backend(backend))
    data = estimator.run([(circuit, observable)]).result()[0].data
    for name in ("evs", "stds", "ensemble_standard_error"):
        value = getattr(data, name)
        assert isinstance(value, np.ndarray), (name, type(value))
        assert value.shape == (), (name, value.shape)
    assert float(data.stds) > 0


def _apply_layout(observable: str, circuit: QuantumCircuit) -> str:
    from qiskit.quantum_info import SparsePauliOp

    mapped = SparsePauliOp(observable).apply_layout(circuit.layout)
    return str(mapped.paulis[0])


# --- private jobs --------------------------------------------------------------------------


def test_private_job_withholds_inputs_and_serves_its_result_once(api: httpx.Client) -> None:
    job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 32), private=True)
    job = wait_final(api, job_id)
    assert job["state"]["status"] == "Completed" and job["private"] is True
    detail = api.get(f"/jobs/{job_id}").json()
    assert "params" not in detail
    listed = api.get("/jobs", params={"exclude_params": "false", "limit": 200}).json()["jobs"]
    assert all("params" not in j for j in listed if j["id"] == job_id)
    first = api.get(f"/jobs/{job_id}/results")
    assert first.status_code == 200 and first.content
    second = api.get(f"/jobs/{job_id}/results")
    assert second.status_code == 204 and second.content == b""


def test_public_job_keeps_inputs_and_result(api: httpx.Client) -> None:
    job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 32))
    assert wait_final(api, job_id)["state"]["status"] == "Completed"
    assert "params" in api.get(f"/jobs/{job_id}").json()
    first = api.get(f"/jobs/{job_id}/results")
    assert first.status_code == 200
    assert api.get(f"/jobs/{job_id}/results").content == first.content


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.one_of(st.integers(), st.text(max_size=20), st.floats(allow_nan=False), st.none()))
def test_private_flag_must_be_a_boolean(api: httpx.Client, value: object) -> None:
    from qrt_lab.runtime import codec

    params = encoded_params([bell_circuit()], 8)
    body = {"program_id": "sampler", "backend": IDEAL, "params": params, "private": value}
    reply = api.post("/jobs", content=codec.dumps(body))
    assert reply.status_code == 400, reply.text
    assert "private" in reply.text


# --- GET /backends -------------------------------------------------------------------------


def test_backends_entries_carry_physical_qubits(api: httpx.Client) -> None:
    for include_mocks in ("false", "true"):
        devices = api.get("/backends", params={"include_mocks": include_mocks}).json()["devices"]
        assert devices
        for entry in devices:
            assert isinstance(entry["physical_qubits"], int)
            assert entry["physical_qubits"] == entry["qubits"]


# --- calibrations by id --------------------------------------------------------------------


def test_properties_carry_a_calibration_id_and_past_ones_are_served(api: httpx.Client) -> None:
    current = api.get(f"/backends/{HERON}/properties").json()
    cal = current["calibration_id"]
    assert isinstance(cal, str) and cal
    again = api.get(f"/backends/{HERON}/properties", params={"calibration_id": cal}).json()
    assert again == current
    missing = api.get(f"/backends/{HERON}/properties", params={"calibration_id": "invalid_id"})
    assert missing.status_code == 404
    assert "invalid_id" in missing.text
    known = missing.json()["errors"][0]["message"].split("newest first: ")[1].rstrip(".")
    past_ids = known.split(", ")[1:]
    assert past_ids, "a built-in device keeps earlier calibrations"
    past = api.get(f"/backends/{HERON}/properties", params={"calibration_id": past_ids[0]})
    assert past.status_code == 200
    document = past.json()
    assert document["calibration_id"] == past_ids[0]
    assert document["last_update_date"] < current["last_update_date"]
    assert document["qubits"] != current["qubits"]  # another day's values


def test_configuration_by_calibration_id(api: httpx.Client) -> None:
    cal = api.get(f"/backends/{HERON}/properties").json()["calibration_id"]
    conf = api.get(f"/backends/{HERON}/configuration", params={"calibration_id": cal})
    assert conf.status_code == 200 and conf.json()["backend_name"] == HERON
    bad = api.get(f"/backends/{HERON}/configuration", params={"calibration_id": "invalid_id"})
    assert bad.status_code == 404
    sim = api.get(f"/backends/{IDEAL}/configuration", params={"calibration_id": cal})
    assert sim.status_code == 404 and "simulator" in sim.text


def test_official_client_backend_by_calibration_id(
    service: QiskitRuntimeService, api: httpx.Client
) -> None:
    from qiskit.providers.exceptions import QiskitBackendNotFoundError

    with pytest.raises(QiskitBackendNotFoundError):
        service.backend(HERON, calibration_id="invalid_id")
    cal = api.get(f"/backends/{HERON}/properties").json()["calibration_id"]
    backend = service.backend(HERON, calibration_id=cal)
    assert backend.name == HERON and backend.calibration_id == cal
    assert backend.properties() is not None


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.text(min_size=1, max_size=300))
def test_hostile_calibration_ids_get_a_4xx(api: httpx.Client, value: str) -> None:
    for document in ("properties", "configuration"):
        reply = api.get(f"/backends/{HERON}/{document}", params={"calibration_id": value})
        assert reply.status_code in (400, 404), (value, reply.status_code, reply.text)
        assert reply.json()["errors"][0]["message"]


# --- Resource Controller and usage ---------------------------------------------------------


def test_resource_instance_by_crn(platform: httpx.Client) -> None:
    reply = platform.get(f"/v2/resource_instances/{urllib.parse.quote(INSTANCE_CRN, safe='')}")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["crn"] == body["id"] == INSTANCE_CRN and body["name"] == INSTANCE_NAME
    unauthenticated = httpx.get(f"{platform.base_url}/v2/resource_instances/x")
    assert unauthenticated.status_code == 401


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(crn=st.text(min_size=1, max_size=300))
def test_hostile_crns_get_a_404(platform: httpx.Client, crn: str) -> None:
    if crn == INSTANCE_CRN:
        return
    reply = platform.get(f"/v2/resource_instances/{urllib.parse.quote(crn, safe='')}")
    assert reply.status_code in (400, 404), (crn, reply.status_code)
    assert reply.json()["errors"][0]["message"]


def test_usage_reports_limit_allocation_and_remaining(api: httpx.Client) -> None:
    before = api.get("/instances/usage").json()
    job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 64))
    charged = wait_final(api, job_id)["usage"]["qpu_charge_time_seconds"]
    usage = api.get("/instances/usage").json()
    for key in (
        "usage_consumed_seconds",
        "usage_limit_seconds",
        "usage_allocation_seconds",
        "usage_remaining_seconds",
    ):
        assert isinstance(usage[key], int), key
    assert usage["usage_remaining_seconds"] == max(
        usage["usage_limit_seconds"] - usage["usage_consumed_seconds"], 0
    )
    # whole seconds rounded up: ceil(a + c) - ceil(a) is ceil(c) or one less
    grew = usage["usage_consumed_seconds"] - before["usage_consumed_seconds"]
    assert math.ceil(charged) - 1 <= grew <= math.ceil(charged)
    assert usage["usage_limit_reached"] is False
    # the local plan's allotment is a round number of hours where the sidebar shows it
    from qrt_lab.runtime.summaries import words

    assert words.duration(usage["usage_limit_seconds"]) == "1000 h"


def test_official_client_usage_remaining_is_an_int(service: QiskitRuntimeService) -> None:
    usage = service.usage()
    assert isinstance(usage["usage_remaining_seconds"], int)
