"""The REST API against a real jupyter-server and the real local runtime service."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from server_support import (
    local_rest,
    on_session_service,
    submit_executor,
    submit_sampler,
    wait_final,
)

Api = Any
#: The real device documents the session's local service serves when present (tests/conftest.py).
DEVICE_DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "devices"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """The extension uses the session's local service and never starts one of its own."""
    return on_session_service(jp_server_config, local_service)


async def test_without_accounts_the_local_simulator_is_active(qrt_local: Any, qrt_api: Api) -> None:
    code, body = await qrt_api("GET", "accounts")
    assert code == 200
    assert body["active"]["label"] == "Local simulator" and body["active"]["local"]
    assert [a["name"] for a in body["accounts"]] == ["local"]
    assert qrt_local.api_key not in json.dumps(body)
    code, usage = await qrt_api("GET", "usage")
    assert code == 200 and usage["consumed_seconds"] is not None
    code, found = await qrt_api("GET", "instances")
    assert code == 200
    assert [i["crn"] for i in found["instances"] if i["active"]] == [qrt_local.instance]


@pytest.mark.parametrize("device", ["local_heron156", "ibm_fez"])
async def test_backends_list_detail_and_csv(qrt_local: Any, qrt_api: Api, device: str) -> None:
    code, body = await qrt_api("GET", "backends")
    assert code == 200
    rows = {b["name"]: b for b in body["backends"]}
    if device == "ibm_fez" and not DEVICE_DOCS.is_dir():
        pytest.skip(f"{device} is served only when {DEVICE_DOCS} is present")
    assert device in rows, sorted(rows)
    assert rows[device]["qubits"] == 156 and rows[device]["status"] == "online"
    assert rows[device]["processor_type"] == "Heron r2"
    assert isinstance(rows[device]["queue_length"], int)
    code, detail = await qrt_api("GET", f"backends/{device}")
    assert code == 200
    cal = detail["calibration"]
    assert len(cal["qubit_metrics"]["T1"]["values"]) == 156
    assert len(cal["edges"]) == 176 and "cz_error" in cal["edge_metrics"]
    assert cal["age_seconds"] is not None
    assert detail["coupling_map"]["x"][0] == 0.0 and max(detail["coupling_map"]["y"]) == 14.0
    code, text = await qrt_api("GET", f"backends/{device}/calibration.csv")
    assert code == 200
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 157 and table[0][0] == "Qubit"


@pytest.mark.parametrize(
    ("method", "path", "body", "params", "status", "code"),
    [
        ("GET", "backends/no_such_device", None, None, 404, "not_found"),
        ("GET", "backends/bad name!", None, None, 400, "bad_backend_name"),
        ("GET", "jobs", None, {"limit": "0"}, 400, "bad_query"),
        ("GET", "jobs", None, {"status": "sleeping"}, 400, "bad_query"),
        ("GET", "jobs", None, {"limit": "\u00b2"}, 400, "bad_query"),
        ("GET", "jobs", None, {"offset": "-1"}, 400, "bad_query"),
        ("GET", "jobs/bad%20id", None, None, 400, "bad_job_id"),
        # ".." would reach other runtime paths (POST /api/v1/cancel, GET /api/v1/configuration)
        ("POST", "jobs/../cancel", None, None, 400, "bad_job_id"),
        ("GET", "backends/..", None, None, 400, "bad_backend_name"),
        ("POST", "sessions/../close", None, None, 400, "bad_session_id"),
        ("PUT", "jobs/x1/tags", {"tags": ["t"] * 9}, None, 400, "bad_tags"),
        ("PUT", "jobs/x1/tags", "[1]", None, 400, "bad_json"),
        ("PUT", "accounts/active", {"name": "local", "instance": 3}, None, 400, "bad_request"),
        ("POST", "accounts", {"name": "w", "token": "k", "url": 5}, None, 400, "bad_request"),
        ("GET", "jobs", None, {"created_after": "yesterday"}, 400, "bad_query"),
        ("GET", "jobs/does-not-exist", None, None, 404, "not_found"),
        ("GET", "jobs/does-not-exist/result", None, None, 404, "not_found"),
        ("PUT", "jobs/x1/tags", {"tags": "a"}, None, 400, "bad_tags"),
        ("PUT", "jobs/x1/tags", "[1,", None, 400, "bad_json"),
        ("POST", "accounts", {"name": "w"}, None, 400, "bad_request"),
        ("POST", "accounts", {"token": "k"}, None, 400, "bad_request"),
        ("POST", "accounts", {"name": "active", "token": "k"}, None, 400, "bad_request"),
        ("PUT", "accounts/active", {"name": "ghost"}, None, 404, "account_not_found"),
        ("DELETE", "accounts/ghost", None, None, 404, "account_not_found"),
        ("GET", "sessions/does-not-exist", None, None, 404, "not_found"),
    ],
)
async def test_user_mistakes_get_a_clear_4xx(
    qrt_local: Any,
    qrt_api: Api,
    method: str,
    path: str,
    body: Any,
    params: dict[str, str] | None,
    status: int,
    code: str,
) -> None:
    got, answer = await qrt_api(method, path, body=body, params=params)
    assert got == status, answer
    assert answer["code"] == code
    assert answer["message"] and "Traceback" not in answer["message"]
    assert answer["hint"], "every user mistake says what to do next"


async def test_jobs_submitted_elsewhere_are_listed_summarised_tagged_and_deleted(
    qrt_local: Any, qrt_api: Api
) -> None:
    rest = local_rest(qrt_local)
    try:
        job_id = await submit_sampler(rest, shots=2000, pubs=2)
        await wait_final(rest, job_id)
    finally:
        await rest.aclose()
    code, page = await qrt_api("GET", "jobs", params={"backend": "local_5q", "limit": "5"})
    assert code == 200
    row = next(j for j in page["jobs"] if j["id"] == job_id)
    assert row["status"] == "Completed" and row["program"] == "sampler" and row["final"]
    code, completed = await qrt_api("GET", "jobs", params={"status": "completed"})
    assert job_id in {j["id"] for j in completed["jobs"]}
    code, detail = await qrt_api("GET", f"jobs/{job_id}")
    assert code == 200 and detail["timestamps"]["finished"] and isinstance(detail["logs"], str)
    code, result = await qrt_api("GET", f"jobs/{job_id}/result")
    assert code == 200 and len(result["pubs"]) == 2
    meas = result["pubs"][0]["registers"]["meas"]
    assert meas["shots"] == 2000 and meas["num_bits"] == 5
    assert sum(meas["top_counts"].values()) + meas["other"] == 2000
    assert meas["distinct"] >= len(meas["top_counts"])
    code, tagged = await qrt_api("PUT", f"jobs/{job_id}/tags", body={"tags": ["qrt", "server"]})
    assert code == 200 and sorted(tagged["tags"]) == ["qrt", "server"]
    code, by_tag = await qrt_api("GET", "jobs", params={"tags": "server"})
    assert [j["id"] for j in by_tag["jobs"]] == [job_id]
    code, refused = await qrt_api("POST", f"jobs/{job_id}/cancel")
    assert code == 409 and refused["code"] == "invalid_state"
    code, _ = await qrt_api("DELETE", f"jobs/{job_id}")
    assert code == 200
    code, gone = await qrt_api("GET", f"jobs/{job_id}")
    assert code == 404 and gone["code"] == "not_found"


async def test_an_executor_job_result_is_summarised_per_item(qrt_local: Any, qrt_api: Api) -> None:
    rest = local_rest(qrt_local)
    try:
        job_id = await submit_executor(rest, shots=800)
        final = await wait_final(rest, job_id)
    finally:
        await rest.aclose()
    assert final["state"]["status"] == "Completed", final
    code, result = await qrt_api("GET", f"jobs/{job_id}/result")
    assert code == 200 and "raw" not in result, result
    assert result["metadata"]["program"] == "executor"
    (item,) = result["pubs"]
    assert item["kind"] == "sampler" and item["shape"] == [] and item["metadata"]["shots"] == 800
    meas = item["registers"]["meas"]
    assert meas["num_bits"] == 2 and meas["total_shots"] == 800
    assert sum(meas["top_counts"].values()) + meas["other"] == 800
    bell = meas["top_counts"].get("00", 0) + meas["top_counts"].get("11", 0)
    assert (
        bell > 700 and min(meas["top_counts"].get("00", 0), meas["top_counts"].get("11", 0)) > 250
    )
    code, figure = await qrt_api("GET", f"jobs/{job_id}/figure")
    assert code == 200 and figure["kind"] == "sampler" and figure["registers"] == ["meas"], figure


async def test_sessions_are_derived_from_jobs_and_can_be_closed(
    qrt_local: Any, qrt_api: Api
) -> None:
    rest = local_rest(qrt_local)
    try:
        session = await rest.create_session(
            {"mode": "batch", "backend": "local_5q", "instance": qrt_local.instance}
        )
        sid = session["id"]
        job_id = await submit_sampler(rest, shots=500, session=sid)
        await wait_final(rest, job_id)
    finally:
        await rest.aclose()
    code, listing = await qrt_api("GET", "sessions")
    assert code == 200
    row = next(s for s in listing["sessions"] if s["id"] == sid)
    assert row["job_count"] == 1 and row["mode"] == "batch"
    code, detail = await qrt_api("GET", f"sessions/{sid}")
    assert code == 200 and [j["id"] for j in detail["jobs"]] == [job_id]
    assert detail["accepting_jobs"] is True
    code, _ = await qrt_api("POST", f"sessions/{sid}/close")
    assert code == 200
    code, after = await qrt_api("GET", f"sessions/{sid}")
    assert after["accepting_jobs"] is False


async def test_result_of_a_failed_job_is_its_error_text(qrt_local: Any, qrt_api: Api) -> None:
    from qrt_lab.runtime import codec

    rest = local_rest(qrt_local)
    try:
        broken = {"__type__": "QuantumCircuit", "__value__": "bm90LXFweQ=="}
        params = {"pubs": [[broken, None, 10]], "options": {}, "version": 2}
        body = {"program_id": "sampler", "backend": "local_5q", "params": params}
        job_id = (await rest.create_job(codec.dumps(body)))["id"]
        await wait_final(rest, job_id)
    finally:
        await rest.aclose()
    code, detail = await qrt_api("GET", f"jobs/{job_id}")
    assert detail["status"] == "Failed" and detail["explanation"]["hint"]
    code, result = await qrt_api("GET", f"jobs/{job_id}/result")
    assert code == 200 and result["status"] == "Failed" and result["error_text"]
