"""``DELETE /jobs/{id}`` on the local service, as the platform does it (spec §3.10).

204 for a finished job (then 404 for it everywhere), 404 for an unknown id, 409 for a job that is
still queued or running; hostile ids get a clear 4xx and nothing else is lost. The official
client's spelling, ``service.delete_job(job_id)``, works through our client.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_http import bell_circuit, encoded_params, post_job, runtime_client, wait_final

from qrt_lab.runtime.api.discovery import LocalServiceInfo

IDEAL = "local_ideal"


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


@pytest.fixture(scope="module")
def survivor(api: httpx.Client) -> str:
    """A finished job that no hostile delete may touch."""
    return _finished_job(api, "survivor")


def _finished_job(api: httpx.Client, tag: str) -> str:
    job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 32), tags=[tag])
    assert wait_final(api, job_id)["state"]["status"] == "Completed"
    return job_id


def _error_code(reply: httpx.Response, status: int) -> str:
    assert reply.status_code == status, reply.text
    assert "Traceback" not in reply.text
    (error,) = reply.json()["errors"]
    return str(error["code"])


def test_delete_a_finished_job_then_it_is_gone(api: httpx.Client) -> None:
    keep, gone = _finished_job(api, "keep"), _finished_job(api, "gone")
    reply = api.delete(f"/jobs/{gone}")
    assert reply.status_code == 204 and reply.content == b""
    for path in (f"/jobs/{gone}", f"/jobs/{gone}/results", f"/jobs/{gone}/metrics"):
        assert api.get(path).status_code == 404, path
    listed = {job["id"] for job in api.get("/jobs", params={"limit": 200}).json()["jobs"]}
    assert gone not in listed and keep in listed
    assert api.get(f"/jobs/{keep}/results").status_code == 200, "only the chosen job goes"
    # deleting again: 404, as for any unknown job
    _error_code(api.delete(f"/jobs/{gone}"), 404)


def test_delete_refuses_a_job_that_has_not_finished(
    api: httpx.Client, local_service: LocalServiceInfo
) -> None:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import QiskitRuntimeService

    info = local_service
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform", token=info.api_key, instance=info.instance, url=info.url
    )
    backend = service.backend("local_falcon27")
    # entangling and non-Clifford: noisy shots are trajectories, minutes of work for the worker
    qc = QuantumCircuit(16)
    for layer in range(4):
        qc.rx(0.3 + 0.1 * layer, range(16))
        for q in range(15):
            qc.cx(q, q + 1)
    qc.measure_all()
    isa = generate_preset_pass_manager(optimization_level=0, backend=backend).run(qc)
    job_id = post_job(api, "local_falcon27", encoded_params([isa], 20_000))
    assert api.get(f"/jobs/{job_id}").json()["state"]["status"] in ("Queued", "Running")
    reply = api.delete(f"/jobs/{job_id}")
    assert _error_code(reply, 409) == "job_not_final"
    assert "Cancel it first" in reply.json()["errors"][0]["message"]
    assert api.get(f"/jobs/{job_id}").status_code == 200, "a refused delete keeps the job"
    assert api.post(f"/jobs/{job_id}/cancel").status_code == 204
    wait_final(api, job_id)
    assert api.delete(f"/jobs/{job_id}").status_code == 204


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    job_id=st.one_of(
        st.text(min_size=1, max_size=300),
        st.sampled_from(["..", "../jobs", "%2e%2e", "' OR 1=1 --", "*", "%00", "a" * 5000]),
    )
)
def test_hostile_ids_get_a_clear_4xx_and_nothing_else_is_lost(
    api: httpx.Client, local_service: LocalServiceInfo, survivor: str, job_id: str
) -> None:
    before = api.get(f"/jobs/{survivor}/results").content
    reply = api.delete("/jobs/" + quote(job_id, safe=""))
    assert 400 <= reply.status_code < 500, (job_id, reply.status_code, reply.text)
    assert "Traceback" not in reply.text
    assert httpx.get(f"{local_service.url}/health").status_code == 200
    assert api.get(f"/jobs/{survivor}/results").content == before
