"""Job lifecycle over raw HTTP: submit, poll, results, logs, metrics, list filters, tags, delete."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from local_http import (
    bell_circuit,
    busy_circuit,
    encoded_params,
    post_job,
    runtime_client,
    sampler_body,
    wait_final,
)

from qrt_lab.runtime import codec
from qrt_lab.runtime.api.discovery import LocalServiceInfo

IDEAL = "local_ideal"
HERON = "local_heron156"


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


def test_sampler_job_end_to_end(api: httpx.Client) -> None:
    job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 200), tags=["e2e"])
    job = wait_final(api, job_id)
    assert job["state"]["status"] == "Completed" and job["status"] == "Completed"
    assert job["program"] == {"id": "sampler"} and job["backend"] == IDEAL
    assert job["tags"] == ["e2e"] and job["created"].endswith("Z")
    result = codec.decode_result(api.get(f"/jobs/{job_id}/results").text)
    counts = result[0].data.meas.get_counts()
    assert sum(counts.values()) == 200 and set(counts) <= {"00", "11"}
    logs = api.get(f"/jobs/{job_id}/logs").text
    assert "queued" in logs and "started running" in logs and "completed" in logs
    metrics = api.get(f"/jobs/{job_id}/metrics").json()
    stamps = metrics["timestamps"]
    assert stamps["created"] <= stamps["running"] <= stamps["finished"]
    assert metrics["usage"]["status"] == "complete"
    with_params = api.get(f"/jobs/{job_id}").json()
    assert len(with_params["params"]["pubs"]) == 1
    assert "params" not in api.get(f"/jobs/{job_id}", params={"exclude_params": "true"}).json()


def test_failed_job_serves_error_text_with_200(api: httpx.Client) -> None:
    job_id = api.post("/jobs", json=sampler_body(IDEAL)).json()["id"]
    job = wait_final(api, job_id)
    assert job["state"]["status"] == "Failed"
    assert job["state"]["reason_code"] == 1513 and job["state"]["reason"]
    reply = api.get(f"/jobs/{job_id}/results")
    assert reply.status_code == 200 and job["state"]["reason"] in reply.text


def test_non_isa_circuit_fails_with_1517_and_says_to_transpile(api: httpx.Client) -> None:
    job_id = post_job(api, HERON, encoded_params([bell_circuit()], 10))
    job = wait_final(api, job_id)
    assert job["state"]["status"] == "Failed" and job["state"]["reason_code"] == 1517
    assert "ranspile" in job["state"]["reason"] and "ranspile" in job["state"]["reason_solution"]
    assert "ranspile" in api.get(f"/jobs/{job_id}/results").text


def _ids(api: httpx.Client, **params: Any) -> tuple[list[str], int]:
    body = api.get("/jobs", params={"exclude_params": "true", **params}).json()
    return [j["id"] for j in body["jobs"]], body["count"]


def test_list_filters_and_consistent_count(api: httpx.Client) -> None:
    tag = f"t-{uuid.uuid4().hex[:8]}"
    good = [
        post_job(api, IDEAL, encoded_params([bell_circuit()], 20), tags=[tag, "good"])
        for _ in range(3)
    ]
    bad_body = sampler_body(IDEAL, tags=[tag], program_id="estimator")
    bad_body["params"]["pubs"] = [[bad_body["params"]["pubs"][0][0], {"ZZ": 1.0}]]
    bad = [api.post("/jobs", json=bad_body).json()["id"] for _ in range(2)]
    for job_id in good + bad:
        wait_final(api, job_id)
    everything = list(reversed(good + bad))
    assert _ids(api, tags=tag) == (everything, 5)
    assert _ids(api, tags=[tag, "good"]) == (list(reversed(good)), 3)
    assert _ids(api, tags=tag, program="estimator") == (list(reversed(bad)), 2)
    assert _ids(api, tags=tag, pending="true") == ([], 0)
    assert _ids(api, tags=tag, pending="false")[1] == 5
    assert _ids(api, tags=tag, sort="ASC")[0] == good + bad
    assert _ids(api, tags=tag, backend=HERON) == ([], 0)
    pages = [_ids(api, tags=tag, limit=2, offset=offset) for offset in (0, 2, 4, 6)]
    assert [count for _, count in pages] == [5, 5, 5, 5]
    assert [job for ids, _ in pages for job in ids] == everything
    third = api.get(f"/jobs/{good[2]}").json()["created"]
    after, count = _ids(api, tags=tag, created_after=third)
    assert count == len(after) == 3 and good[2] in after
    before, count = _ids(api, tags=tag, created_before=third, limit=1)
    assert count == 3 and len(before) == 1


def test_limit_is_capped_at_200(api: httpx.Client) -> None:
    body = api.get("/jobs", params={"limit": 1000}).json()
    assert body["limit"] == 200 and len(body["jobs"]) <= 200


def test_tags_delete_and_cancel_of_final_job(api: httpx.Client) -> None:
    job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 10))
    wait_final(api, job_id)
    assert api.put(f"/jobs/{job_id}/tags", json={"tags": ["x", "y", "x"]}).status_code == 204
    assert api.get(f"/jobs/{job_id}").json()["tags"] == ["x", "y"]
    assert api.post(f"/jobs/{job_id}/cancel").status_code == 409
    assert api.delete(f"/jobs/{job_id}").status_code == 204
    assert api.get(f"/jobs/{job_id}").status_code == 404
    assert api.get(f"/jobs/{job_id}/results").status_code == 404


def test_usage_accounts_simulated_time(api: httpx.Client) -> None:
    before = api.get("/instances/usage").json()
    job_id = post_job(api, HERON, encoded_params([busy_circuit(api, HERON, 3, 1)], 500))
    job = wait_final(api, job_id)
    assert job["state"]["status"] == "Completed", job["state"]
    after = api.get("/instances/usage").json()
    charged = job["usage"]["qpu_charge_time_seconds"]
    assert charged > 0
    # whole seconds, rounded up: ceil(a + c) - ceil(a) is ceil(c) or one less
    grew = after["usage_consumed_seconds"] - before["usage_consumed_seconds"]
    assert math.ceil(charged) - 1 <= grew <= math.ceil(charged)
    assert after["usage_consumed_seconds"] >= 1
    assert after["instance_id"] and after["plan_id"] and after["usage_limit_reached"] is False


def test_queue_length_and_running_cancel(api: httpx.Client) -> None:
    busy = encoded_params([busy_circuit(api, HERON, 8, 6)], 100_000)
    ids = [post_job(api, HERON, busy) for _ in range(3)]
    devices = {d["name"]: d for d in api.get("/backends").json()["devices"]}
    assert devices[HERON]["queue_length"] >= 3
    assert api.get(f"/backends/{HERON}/status").json()["length_queue"] >= 3
    states = [api.get(f"/jobs/{i}").json()["state"]["status"] for i in ids]
    assert states.count("Queued") >= 1
    for job_id in ids:
        assert api.post(f"/jobs/{job_id}/cancel").status_code == 204
    for job_id in ids:
        job = api.get(f"/jobs/{job_id}").json()
        assert job["state"]["status"] == "Cancelled"
        assert api.delete(f"/jobs/{job_id}").status_code == 204


def test_experimental_prefix_serves_the_same_routes(local_service: LocalServiceInfo) -> None:
    with runtime_client(local_service, prefix="/experimental/api/v1") as exp:
        job_id = post_job(exp, IDEAL, encoded_params([bell_circuit()], 10))
        assert wait_final(exp, job_id)["state"]["status"] == "Completed"
        assert exp.get(f"/jobs/{job_id}/results").status_code == 200
