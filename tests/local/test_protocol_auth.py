"""IAM, Global Search/Catalog, authentication and backend routes of the local service over HTTP."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from execution_support import DEVICE_DIR

from qrt_lab.runtime.api.discovery import LocalServiceInfo

GRANT = "urn:ibm:params:oauth:grant-type:apikey"


def token_for(info: LocalServiceInfo, key: str | None = None) -> str:
    reply = httpx.post(
        f"{info.url}/identity/token",
        data={"grant_type": GRANT, "apikey": key or info.api_key, "response_type": "cloud_iam"},
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["access_token"])


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> httpx.Client:
    headers = {
        "Authorization": f"Bearer {token_for(local_service)}",
        "Service-CRN": local_service.instance,
    }
    with httpx.Client(base_url=local_service.runtime_url, headers=headers, timeout=30) as client:
        yield client


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_iam_issues_jwt_with_iat_and_exp(local_service: LocalServiceInfo) -> None:
    # the official SDK sends the misspelled content type in old releases: parse regardless
    reply = httpx.post(
        f"{local_service.url}/identity/token",
        content=f"grant_type={GRANT}&apikey={local_service.api_key}".encode(),
        headers={"Content-Type": "applicaton/x-www-form-urlencoded"},
    )
    assert reply.status_code == 200
    body = reply.json()
    claims = _claims(body["access_token"])
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert claims["exp"] > claims["iat"]
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0


def test_iam_rejects_wrong_key_with_400_and_no_key_echo(local_service: LocalServiceInfo) -> None:
    reply = httpx.post(
        f"{local_service.url}/identity/token", data={"grant_type": GRANT, "apikey": "wrong-key"}
    )
    assert reply.status_code == 400
    body = reply.json()
    assert body["errors"][0]["code"] == "BXNIM0415E"
    assert body["trace"]
    assert "wrong-key" not in reply.text and local_service.api_key not in reply.text


def test_search_and_catalog_describe_the_instance(local_service: LocalServiceInfo) -> None:
    auth = {"Authorization": f"Bearer {token_for(local_service)}"}
    search = httpx.post(
        f"{local_service.url}/v3/resources/search?limit=100",
        json={"query": "service_name:quantum-computing"},
        headers=auth,
    ).json()
    assert "search_cursor" not in search
    (item,) = search["items"]
    assert item["crn"] == local_service.instance and item["doc"]["extensions"]
    plan = httpx.get(
        f"{local_service.url}/globalcatalog/api/v1/{item['service_plan_unique_id']}", headers=auth
    ).json()
    assert plan["overview_ui"]["en"]["display_name"] == "Local"
    assert plan["metadata"]["pricing"]["type"] == "free"
    assert httpx.post(f"{local_service.url}/v3/resources/search", json={}).status_code == 401


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer not-a-jwt"}, 401),
        ({"Authorization": "Bearer a.b.c"}, 401),
        ({"Authorization": "Basic eDp5"}, 401),
    ],
)
def test_runtime_routes_reject_bad_tokens(
    local_service: LocalServiceInfo, headers: dict[str, str], status: int
) -> None:
    headers = {**headers, "Service-CRN": local_service.instance}
    for path in ("/backends", "/jobs", "/instances/usage", "/sessions/x", "/jobs/x/results"):
        reply = httpx.get(local_service.runtime_url + path, headers=headers)
        assert reply.status_code == status, path
        assert reply.json()["errors"][0]["code"] == "unauthorized"


def test_runtime_routes_check_service_crn(local_service: LocalServiceInfo) -> None:
    auth = {"Authorization": f"Bearer {token_for(local_service)}"}
    missing = httpx.get(local_service.runtime_url + "/backends", headers=auth)
    assert missing.status_code == 403 and "Service-CRN" in missing.json()["errors"][0]["message"]
    other = httpx.get(
        local_service.runtime_url + "/backends",
        headers={**auth, "Service-CRN": "crn:v1:bluemix:public:quantum-computing:us-east:a/x:y::"},
    )
    assert other.status_code == 403


def test_apikey_authorization_is_accepted(local_service: LocalServiceInfo) -> None:
    reply = httpx.get(
        local_service.url + "/experimental/api/v1/backends",
        headers={
            "Authorization": f"apikey {local_service.api_key}",
            "Service-CRN": local_service.instance,
        },
    )
    assert reply.status_code == 200 and reply.json()["devices"]


def test_backends_shape_follows_api_version(api: httpx.Client) -> None:
    new = api.get("/backends", headers={"IBM-API-Version": "2026-04-15"}).json()["devices"]
    for device in new:
        assert device["status"] == {"name": "online", "reason": "available"}
        assert isinstance(device["qubits"], int) and device["queue_length"] >= 0
    old = api.get("/backends", headers={"IBM-API-Version": "2024-01-01"}).json()["devices"]
    assert old == [d["name"] for d in new]
    assert any(d["qubits"] == 156 for d in new)


def test_real_device_documents_are_served_when_present(api: httpx.Client) -> None:
    if not DEVICE_DIR.is_dir():
        pytest.skip("shared device documents are not available")
    names = {d["name"]: d for d in api.get("/backends").json()["devices"]}
    assert "ibm_fez" in names, "the service was given the device documents but does not list fez"
    fez = names["ibm_fez"]
    assert fez["qubits"] == 156 and fez["processor_type"]["family"] == "Heron"
    metrics = fez["performance_metrics"]
    assert 0 < metrics["two_q_error_median"]["value"] < 0.1
    assert metrics["two_q_error_best"]["value"] <= metrics["two_q_error_median"]["value"]
    conf = api.get("/backends/ibm_fez/configuration").json()
    assert conf["backend_name"] == "ibm_fez" and conf["n_qubits"] == 156
    props = api.get("/backends/ibm_fez/properties").json()
    assert len(props["qubits"]) == 156


def test_backend_documents_and_status(api: httpx.Client) -> None:
    name = api.get("/backends").json()["devices"][0]["name"]
    conf = api.get(f"/backends/{name}/configuration").json()
    for key in (
        "backend_name",
        "backend_version",
        "n_qubits",
        "basis_gates",
        "gates",
        "local",
        "simulator",
        "conditional",
        "open_pulse",
        "memory",
        "coupling_map",
        "online_date",
    ):
        assert key in conf, key
    status = api.get(f"/backends/{name}/status").json()
    assert status["state"] is True and status["status"] == "active"
    assert isinstance(status["length_queue"], int)


def test_unknown_backend_and_route_are_404_with_ibm_body(api: httpx.Client) -> None:
    for path in ("/backends/nope/configuration", "/no/such/route"):
        reply = api.get(path)
        assert reply.status_code == 404
        body = reply.json()
        assert set(body["errors"][0]) == {"code", "message", "more_info"} and body["trace"]


def test_wrong_method_is_405_not_500(api: httpx.Client) -> None:
    reply = api.delete("/backends")
    assert reply.status_code == 405 and reply.json()["errors"]
