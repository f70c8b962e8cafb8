"""Safety: XSRF on cookie auth, no secret in any response or log line, no open proxy.

The IBM cloud (IAM, Global Search/Catalog, runtime) is simulated at the httpx transport only;
everything else is the real jupyter-server and the real extension.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import time
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from server_support import on_session_service
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from qrt_lab.server.routes import NAMESPACE
from qrt_lab.server.state import SETTINGS_KEY

KEY = "QRTLAB-CANARY-APIKEY-7f3a9c1e5b"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:canary-inst::"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


NOW = int(time.time())
BEARER = ".".join(
    [_b64({"alg": "RS256", "typ": "JWT"}), _b64({"iat": NOW, "exp": NOW + 3600}), "QRTLABBEARERSIG"]
)
JOB = {
    "id": "cj1",
    "backend": "ibm_canary",
    "state": {"status": "Failed", "reason": "non-ISA circuits", "reason_code": 1517},
    "status": "Failed",
    "program": {"id": "sampler"},
    "created": "2026-01-01T00:00:00Z",
    "session_id": "s1",
    "cost": 60,
}
CONF = {
    "backend_name": "ibm_canary",
    "backend_version": "1.0.0",
    "n_qubits": 3,
    "basis_gates": ["cz", "rz", "sx", "x"],
    "coupling_map": [[0, 1], [1, 2]],
    "simulator": False,
}
PROPS = {
    "backend_name": "ibm_canary",
    "last_update_date": "2026-01-01T00:00:00Z",
    "qubits": [[{"name": "T1", "value": 100.0, "unit": "us", "date": "x"}]] * 3,
    "gates": [
        {"gate": "cz", "qubits": [0, 1], "parameters": [{"name": "gate_error", "value": 0.01}]}
    ],
}


def _runtime(request: httpx.Request) -> httpx.Response:
    auth = request.headers.get("Authorization", "")
    if auth != f"Bearer {BEARER}":
        return httpx.Response(401, json={"errors": [{"message": "unauthorized"}]})
    path = request.url.path.removeprefix("/api/v1")
    if path == "/jobs/cj-echo":
        # a misbehaving server that echoes the credentials it received
        return httpx.Response(400, json={"errors": [{"message": f"bad header {auth}"}]})
    answers: dict[str, Any] = {
        "/backends": {
            "devices": [
                {"name": "ibm_canary", "status": {"name": "online"}, "qubits": 3, "queue_length": 2}
            ]
        },
        "/backends/ibm_canary/configuration": CONF,
        "/backends/ibm_canary/properties": PROPS,
        "/jobs": {"jobs": [JOB], "count": 1, "limit": 50, "offset": 0},
        "/jobs/cj1": JOB,
        "/jobs/cj1/metrics": {"timestamps": {"created": "2026-01-01T00:00:00Z"}},
        "/instances/usage": {
            "instance_id": CRN,
            "plan_id": "open",
            "usage_consumed_seconds": 5,
            "usage_limit_seconds": 600,
        },
        "/sessions/s1": {
            "id": "s1",
            "backend_name": "ibm_canary",
            "mode": "batch",
            "state": "closed",
            "accepting_jobs": False,
        },
    }
    if path == "/jobs/cj1/logs":
        return httpx.Response(200, text="log line")
    if path == "/jobs/cj1/results":
        return httpx.Response(200, text="Traceback: the job failed")
    if path in answers:
        return httpx.Response(200, json=answers[path])
    return httpx.Response(404, json={"errors": [{"message": f"no route {path}"}]})


class IbmCloud:
    """IAM, Global Search, Global Catalog and the runtime of IBM Quantum Platform, simulated."""

    def __init__(self) -> None:
        self.seen_bearer = 0
        self.hosts: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.hosts.append(host)
        if host == "iam.cloud.ibm.com":
            form = parse_qs(request.content.decode())
            if form.get("apikey") != [KEY]:
                return httpx.Response(
                    400, json={"errorCode": "BXNIM0415E", "errorMessage": "API key not found"}
                )
            return httpx.Response(
                200,
                json={
                    "access_token": BEARER,
                    "refresh_token": "r",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                },
            )
        if request.headers.get("Authorization") == f"Bearer {BEARER}":
            self.seen_bearer += 1
        if host == "api.global-search-tagging.cloud.ibm.com":
            return httpx.Response(
                200,
                json={
                    "items": [
                        {
                            "crn": CRN,
                            "name": "canary",
                            "service_plan_unique_id": "plan-open",
                            "tags": [],
                            "doc": {"extensions": {"allocated": True}},
                        }
                    ]
                },
            )
        if host == "globalcatalog.cloud.ibm.com":
            return httpx.Response(
                200,
                json={
                    "overview_ui": {"en": {"display_name": "Open"}},
                    "metadata": {"pricing": {"type": "free"}},
                },
            )
        if host == "quantum.cloud.ibm.com":
            return _runtime(request)
        return httpx.Response(599, text=f"unexpected host {host}")


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    return on_session_service(jp_server_config, local_service)


GET_PATHS = [
    "version",
    "accounts",
    "instances",
    "usage",
    "backends",
    "backends/ibm_canary",
    "backends/ibm_canary/calibration.csv",
    "jobs",
    "jobs/cj1",
    "jobs/cj1/result",
    "jobs/cj-echo",
    "jobs/missing",
    "sessions",
    "sessions/s1",
]


async def test_no_api_key_or_bearer_token_in_any_response_or_log(
    qrt_local: Any,
    qrt_api: Any,
    jp_serverapp: Any,
    jp_ws_fetch: Any,
    jp_home_dir: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    cloud = IbmCloud()
    state = jp_serverapp.web_app.settings[SETTINGS_KEY]
    state.hub.transport_factory = lambda ref: httpx.MockTransport(cloud)
    bodies: list[str] = []

    def record(code: int, body: Any) -> Any:
        bodies.append(body if isinstance(body, str) else json.dumps(body))
        return code, body

    account = {"name": "canary", "channel": "ibm_quantum_platform", "token": KEY, "instance": CRN}
    code, bad = record(
        *await qrt_api(
            "POST", "accounts", body={**account, "name": "badkey", "token": "WRONG-" + KEY[::-1]}
        )
    )
    assert code == 400 and bad["code"] == "invalid_api_key"
    code, saved = record(*await qrt_api("POST", "accounts", body=account))
    assert code == 201, saved
    assert [a["name"] for a in saved["accounts"] if a["source"] == "saved"] == ["canary"]
    # the CRN location becomes part of the runtime host: a crafted one must not steer the token
    evil_crn = CRN.replace(":us-east:", ":evil.example/x?:")
    for method, path, body in [
        ("PUT", "accounts/active", {"name": "canary", "instance": evil_crn}),
        ("POST", "accounts", {**account, "name": "evil", "instance": evil_crn}),
    ]:
        code, refused = record(*await qrt_api(method, path, body=body))
        assert code == 400 and refused["code"] == "bad_request" and refused["hint"], refused
    record(*await qrt_api("PUT", "accounts/active", body={"name": "canary", "instance": CRN}))
    answers = {}
    for path in GET_PATHS:
        answers[path] = record(*await qrt_api("GET", path))
    assert answers["backends"][1]["backends"][0]["name"] == "ibm_canary"
    assert answers["jobs/cj1"][1]["explanation"]["code"] == 1517
    assert answers["jobs/cj-echo"][0] == 400 and "***" in answers["jobs/cj-echo"][1]["message"]
    assert answers["instances"][1]["instances"][0]["active"] is True
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    bodies.append(await asyncio.wait_for(ws.read_message(), 30))
    ws.close()
    assert cloud.seen_bearer > 5, "the runtime calls must have carried the bearer token"
    saved_file = (jp_home_dir / ".qiskit" / "qiskit-ibm.json").read_text()
    assert KEY in saved_file and "badkey" not in saved_file and "evil" not in saved_file
    assert not [host for host in cloud.hosts if "evil" in host], cloud.hosts
    logs = caplog.text
    for secret in (KEY, BEARER, "QRTLABBEARERSIG", KEY[::-1]):
        leaks = [b[:200] for b in bodies if secret in b]
        assert not leaks, f"{secret[:12]}... leaked in responses: {leaks}"
        assert secret not in logs, f"{secret[:12]}... leaked in the server log"
    code, _ = await qrt_api("DELETE", "accounts/canary")
    assert code == 200


async def _login(port: int, base: str, token: str) -> tuple[str, str]:
    """Log in through the form like a browser; return (cookie header, xsrf token)."""
    client = AsyncHTTPClient()
    page = await client.fetch(f"http://127.0.0.1:{port}{base}login", raise_error=False)
    jar = {
        c.split("=", 1)[0]: c.split(";", 1)[0].split("=", 1)[1]
        for c in page.headers.get_list("Set-Cookie")
    }
    xsrf = jar["_xsrf"]
    reply = await client.fetch(
        f"http://127.0.0.1:{port}{base}login",
        method="POST",
        follow_redirects=False,
        body=urlencode({"password": token, "_xsrf": xsrf}),
        headers={"Cookie": f"_xsrf={xsrf}"},
        raise_error=False,
    )
    for cookie in reply.headers.get_list("Set-Cookie"):
        name, value = cookie.split(";", 1)[0].split("=", 1)
        jar[name] = value
    assert len(jar) >= 2, f"login did not set a session cookie: {reply.code}"
    return "; ".join(f"{k}={v}" for k, v in jar.items()), xsrf


MUTATING = [
    ("POST", "accounts"),
    ("DELETE", "accounts/x"),
    ("PUT", "accounts/active"),
    ("DELETE", "jobs/x"),
    ("POST", "jobs/x/cancel"),
    ("PUT", "jobs/x/tags"),
    ("POST", "sessions/x/close"),
    ("POST", "sessions/x/cancel"),
]


async def test_cookie_auth_without_xsrf_is_refused(
    qrt_local: Any, jp_fetch: Any, jp_serverapp: Any, jp_http_port: int, jp_base_url: str
) -> None:
    token = jp_serverapp.identity_provider.token  # jp_fetch: it starts the HTTP listener
    cookie, xsrf = await _login(jp_http_port, jp_base_url, token)
    client = AsyncHTTPClient()
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}{NAMESPACE}/api/"
    ok = await client.fetch(base + "version", headers={"Cookie": cookie}, raise_error=False)
    assert ok.code == 200, "the login cookie must authenticate GETs"
    for method, path in MUTATING:
        request = HTTPRequest(
            base + path,
            method=method,
            headers={"Cookie": cookie},
            body="{}" if method != "DELETE" else None,
            allow_nonstandard_methods=True,
        )
        reply = await client.fetch(request, raise_error=False)
        assert reply.code == 403, f"{method} {path} accepted a cookie without XSRF"
        assert json.loads(reply.body)["code"] == 403
    with_xsrf = HTTPRequest(
        base + "accounts/active",
        method="PUT",
        body='{"name": "local"}',
        headers={"Cookie": cookie, "X-XSRFToken": xsrf},
    )
    assert (await client.fetch(with_xsrf, raise_error=False)).code == 200


class _Sentinel(RequestHandler):
    hits: ClassVar[list[str]] = []

    def prepare(self) -> None:
        _Sentinel.hits.append(self.request.uri or "")
        self.finish("{}")


async def test_requests_cannot_point_the_extension_at_another_url(
    qrt_local: Any, qrt_api: Any
) -> None:
    server = HTTPServer(Application([(r".*", _Sentinel)]))
    sockets = __import__("tornado.netutil", fromlist=["bind_sockets"]).bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    evil = f"http://127.0.0.1:{port}"
    _Sentinel.hits.clear()
    try:
        attempts = [
            ("GET", "jobs", None, {"url": evil, "base_url": evil, "runtime_url": evil}),
            ("GET", "backends", None, {"url": evil}),
            ("GET", "instances", None, {"iam_url": evil, "url": evil}),
            ("GET", f"backends/{evil.replace('/', '%2F')}", None, None),
            ("GET", "jobs/..%2F..%2F..%2Fevil", None, None),
            ("PUT", "accounts/active", {"name": "local", "url": evil}, None),
            ("GET", "usage", None, {"url": evil}),
        ]
        for method, path, body, params in attempts:
            code, answer = await qrt_api(method, path, body=body, params=params)
            assert code < 500, (path, answer)
        code, accounts = await qrt_api("GET", "accounts")
        assert accounts["active"]["local"] is True
    finally:
        server.stop()
    assert _Sentinel.hits == [], f"the extension contacted a URL from the request: {_Sentinel.hits}"
    assert not re.search(str(port), json.dumps(accounts))


async def test_events_socket_refuses_another_origin_with_the_login_cookie(
    qrt_local: Any, jp_fetch: Any, jp_serverapp: Any, jp_http_port: int, jp_base_url: str
) -> None:
    """A page on another site cannot open the events socket with the user's login cookie."""
    from tornado.httpclient import HTTPClientError
    from tornado.websocket import websocket_connect

    token = jp_serverapp.identity_provider.token  # jp_fetch: it starts the HTTP listener
    cookie, _ = await _login(jp_http_port, jp_base_url, token)
    host = f"127.0.0.1:{jp_http_port}"
    url = f"ws://{host}{jp_base_url}{NAMESPACE}/api/events"

    def request(origin: str) -> HTTPRequest:
        return HTTPRequest(url, headers={"Cookie": cookie, "Origin": origin}, connect_timeout=30)

    with pytest.raises(HTTPClientError) as refused:
        await websocket_connect(request("http://evil.example"))
    assert refused.value.code == 403
    ws = await websocket_connect(request(f"http://{host}"))  # the lab's own page: accepted
    first = json.loads(await asyncio.wait_for(ws.read_message(), 30))
    ws.close()
    assert first["type"] in {"snapshot", "monitor"}


async def test_an_iam_outage_is_not_reported_as_a_bad_key(
    qrt_local: Any, qrt_api: Any, jp_serverapp: Any, jp_home_dir: Any
) -> None:
    state = jp_serverapp.web_app.settings[SETTINGS_KEY]
    state.hub.transport_factory = lambda ref: httpx.MockTransport(
        lambda request: httpx.Response(503, text="IAM maintenance")
    )
    account = {"name": "later", "token": KEY, "instance": CRN}
    code, body = await qrt_api("POST", "accounts", body=account)
    assert code == 502 and body["code"] == "iam_unreachable", body
    assert "rejected" not in body["message"] and body["hint"]
    saved = jp_home_dir / ".qiskit" / "qiskit-ibm.json"
    assert not saved.exists() or "later" not in saved.read_text()
