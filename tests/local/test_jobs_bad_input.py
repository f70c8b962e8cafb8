"""User mistakes on POST /jobs and friends get 4xx IBM error bodies that say what to fix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from local_http import BROKEN_CIRCUIT, runtime_client, sampler_body

from qrt_lab.runtime.api.discovery import LocalServiceInfo


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


@pytest.fixture(scope="module")
def device(api: httpx.Client) -> dict[str, Any]:
    devices = api.get("/backends").json()["devices"]
    return next(d for d in devices if d["qubits"] == 156)


def _error(reply: httpx.Response, status: int) -> str:
    assert reply.status_code == status, reply.text
    body = reply.json()
    (error,) = body["errors"]
    assert set(error) == {"code", "message", "more_info"} and body["trace"]
    assert "Traceback" not in reply.text
    return str(error["message"])


def test_malformed_json(api: httpx.Client) -> None:
    message = _error(api.post("/jobs", content=b'{"program_id": "sampler",'), 400)
    assert "not valid JSON" in message
    assert "empty" in _error(api.post("/jobs", content=b""), 400)
    assert "too deeply" in _error(api.post("/jobs", content=b"[" * 100_000), 400)
    assert "UTF-8" in _error(api.post("/jobs", content=b"{\xc3\x28}"), 400)


DROP = object()
HUGE_SEED = {"simulator": {"seed_simulator": 2**70}}
CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("not an object", [], 400, "JSON object"),
    ("no program", {"program_id": DROP}, 400, "program_id"),
    ("unknown program", {"program_id": "circuit-runner"}, 404, "not found"),
    ("no backend", {"backend": DROP}, 400, "'backend' is required"),
    ("params not object", {"params": [1]}, 400, "'params' must be an object"),
    ("no pubs", {"params": {"pubs": []}}, 400, "non-empty list"),
    ("pub not list", {"params": {"pubs": [{"a": 1}]}}, 400, "PUB 0"),
    ("pub too long", {"params": {"pubs": [[BROKEN_CIRCUIT, None, 1, 2]]}}, 400, "1 to 3"),
    ("circuit not circuit", {"params": {"pubs": [[42]]}}, 400, "QuantumCircuit"),
    ("shots text", {"params": {"pubs": [[BROKEN_CIRCUIT, None, "10"]]}}, 400, "positive integer"),
    ("shots zero", {"params": {"pubs": [[BROKEN_CIRCUIT, None, 0]]}}, 400, "positive integer"),
    ("tags not list", {"tags": "a"}, 400, "list of strings"),
    ("tags not str", {"tags": [1]}, 400, "list of strings"),
    ("cost negative", {"cost": -5}, 400, "'cost'"),
    ("cost text", {"cost": "10"}, 400, "'cost'"),
    ("cost too large", {"cost": 10**400}, 400, "'cost'"),
    ("bad log level", {"log_level": "LOUD"}, 400, "log_level"),
    ("private text", {"private": "yes"}, 400, "'private'"),
    ("session not str", {"session_id": 7}, 400, "'session_id' must be a string"),
    ("session not text", {"session_id": "\ud800"}, 400, "'session_id' must be valid Unicode"),
    ("runtime not text", {"runtime": "\ud800"}, 400, "'runtime' must be valid Unicode"),
    ("unknown session", {"session_id": "s-missing"}, 400, "was not found"),
    ("options not object", {"params": {"pubs": [[BROKEN_CIRCUIT]], "options": 3}}, 400, "options"),
    ("seed too large", {"params": {"pubs": [[BROKEN_CIRCUIT]], "options": HUGE_SEED}}, 400, "seed"),
]


@pytest.mark.parametrize(("name", "change", "status", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_job_bodies(
    api: httpx.Client, device: dict[str, Any], name: str, change: Any, status: int, words: str
) -> None:
    if isinstance(change, dict):
        body: Any = sampler_body(device["name"])
        for key, value in change.items():
            if value is DROP:
                body.pop(key)
            else:
                body[key] = value
    else:
        body = change
    assert words in _error(api.post("/jobs", content=json.dumps(body)), status)


def test_unknown_backend_lists_available_ones(api: httpx.Client, device: dict[str, Any]) -> None:
    message = _error(api.post("/jobs", json=sampler_body("ibm_nowhere")), 400)
    assert "ibm_nowhere" in message and device["name"] in message


def test_too_many_shots_names_the_device_limit(api: httpx.Client, device: dict[str, Any]) -> None:
    conf = api.get(f"/backends/{device['name']}/configuration").json()
    limit = conf.get("max_shots", 100_000)
    message = _error(api.post("/jobs", json=sampler_body(device["name"], shots=limit + 1)), 400)
    assert str(limit) in message and device["name"] in message
    body = sampler_body(device["name"], shots=None)
    body["params"]["options"] = {"default_shots": limit * 10}
    assert "default_shots" in _error(api.post("/jobs", json=body), 400)


def test_estimator_pub_shape_and_precision(api: httpx.Client, device: dict[str, Any]) -> None:
    body = sampler_body(device["name"], program_id="estimator")
    body["params"]["pubs"] = [[BROKEN_CIRCUIT]]
    assert "2 to 4" in _error(api.post("/jobs", json=body), 400)
    body["params"]["pubs"] = [[BROKEN_CIRCUIT, {"ZZ": 1.0}, None, -0.1]]
    assert "precision" in _error(api.post("/jobs", json=body), 400)


def test_unknown_job_routes_are_404(api: httpx.Client) -> None:
    for method, path in (
        ("GET", "/jobs/nope"),
        ("GET", "/jobs/nope/results"),
        ("GET", "/jobs/nope/logs"),
        ("GET", "/jobs/nope/metrics"),
        ("POST", "/jobs/nope/cancel"),
        ("DELETE", "/jobs/nope"),
        ("GET", "/sessions/nope"),
        ("PATCH", "/sessions/nope"),
        ("DELETE", "/sessions/nope/close"),
    ):
        _error(api.request(method, path, json={"accepting_jobs": False}), 404)


def test_bad_list_filters(api: httpx.Client) -> None:
    assert "limit" in _error(api.get("/jobs", params={"limit": "ten"}), 400)
    assert "offset" in _error(api.get("/jobs", params={"offset": -1}), 400)
    assert "offset" in _error(api.get("/jobs", params={"offset": 10**20}), 400)
    assert "limit" in _error(api.get("/jobs", params={"limit": 10**20}), 400)
    assert api.get("/jobs", params={"limit": 10**6}).json()["limit"] == 200
    assert "pending" in _error(api.get("/jobs", params={"pending": "maybe"}), 400)
    assert "ISO-8601" in _error(api.get("/jobs", params={"created_after": "yesterday"}), 400)
    too_early = {"created_before": "0001-01-01T00:00:00+05:00"}  # before year 1 in UTC
    assert "ISO-8601" in _error(api.get("/jobs", params=too_early), 400)
    assert "sort" in _error(api.get("/jobs", params={"sort": "up"}), 400)


def test_bad_session_bodies(api: httpx.Client, device: dict[str, Any]) -> None:
    name = device["name"]
    assert "mode" in _error(api.post("/sessions", json={"mode": "x", "backend": name}), 400)
    assert "backend" in _error(api.post("/sessions", json={"mode": "batch"}), 400)
    assert "max_ttl" in _error(
        api.post("/sessions", json={"mode": "batch", "backend": name, "max_ttl": -1}), 400
    )
    _error(api.post("/sessions", content=b"{nope"), 400)
    _error(api.post("/sessions", json={"mode": "batch", "backend": name, "instance": "crn:x"}), 403)
    session = api.post("/sessions", json={"mode": "batch", "backend": name}).json()
    assert "accepting_jobs" in _error(api.patch(f"/sessions/{session['id']}", json={}), 400)


def test_bad_tags_update(api: httpx.Client, device: dict[str, Any]) -> None:
    job = api.post("/jobs", json=sampler_body(device["name"])).json()
    assert "tags" in _error(api.put(f"/jobs/{job['id']}/tags", json={"tags": "x"}), 400)
    _error(api.put(f"/jobs/{job['id']}/tags", content=b"[1"), 400)


def test_payload_over_the_limit_is_413(spawn_local_service: Any, tmp_path: Path) -> None:
    service = spawn_local_service(tmp_path / "svc", "--max-body-mb", "1", workers=1)
    with service as (info, _), runtime_client(info) as api:
        name = api.get("/backends").json()["devices"][0]["name"]
        body = sampler_body(name)
        body["params"]["padding"] = "x" * (2 * 1024 * 1024)
        message = _error(api.post("/jobs", content=json.dumps(body)), 413)
        assert "limit is 1 MB" in message
        # the service keeps answering after refusing the large body
        assert api.get("/backends").status_code == 200
