"""Transport faults, auth and request building of runtime.api.rest over httpx.MockTransport."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from runtime_fakes import API_KEY, BASE, CRN, FakeCloud, connection

from qrt_lab.runtime.api.auth import SHARED_TOKENS, verify_api_key
from qrt_lab.runtime.api.rest import AsyncRuntimeRest, RuntimeRest
from qrt_lab.runtime.api.urls import service_urls
from qrt_lab.runtime.exceptions import (
    IBMInputValueError,
    IBMNotAuthorizedError,
    RequestsApiError,
)


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    SHARED_TOKENS.clear()
    yield
    SHARED_TOKENS.clear()


def ok_backends(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"devices": [{"name": "fake_a"}]})


def sequence(*responses: httpx.Response | Exception) -> FakeCloud:
    items = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = items.pop(0) if len(items) > 1 else items[0]
        if isinstance(item, Exception):
            raise item
        return item

    return FakeCloud(handler)


def test_headers_and_bearer_token() -> None:
    cloud = FakeCloud(ok_backends)
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    assert rest.backends() == {"devices": [{"name": "fake_a"}]}
    rest.backends()
    (first, _second) = cloud.runtime_requests()
    assert str(first.url) == f"{BASE}/api/v1/backends"
    assert first.headers["Service-CRN"] == CRN
    assert first.headers["IBM-API-Version"] == "2026-04-15"
    assert first.headers["X-Qx-Client-Application"].startswith("qiskit-version-2/qrt_lab-")
    assert first.headers["Authorization"] in {f"Bearer {t}" for t in cloud.valid_tokens}
    assert cloud.tokens_issued == 1, "token must be cached between requests"
    assert API_KEY not in repr(rest) and API_KEY not in repr(rest.connection)


def test_custom_url_keeps_port_ibm_url_derives_hosts() -> None:
    urls = service_urls("http://127.0.0.1:8123", CRN)
    assert urls.runtime == "http://127.0.0.1:8123/api/v1"
    assert urls.iam == urls.search == "http://127.0.0.1:8123"
    assert urls.catalog == "http://127.0.0.1:8123/globalcatalog/api/v1"
    eu = CRN.replace("us-east", "eu-de")
    assert (
        service_urls("https://cloud.ibm.com", eu).runtime
        == "https://eu-de.quantum.cloud.ibm.com/api/v1"
    )
    assert service_urls("https://cloud.ibm.com", CRN).iam == "https://iam.cloud.ibm.com"
    private = service_urls("https://cloud.ibm.com", CRN, private_endpoint=True)
    assert private.runtime == "https://private.us-east.quantum.cloud.ibm.com/api/v1"


@pytest.mark.parametrize(
    "instance",
    [
        "crn:v1:bluemix:public:quantum-computing:evil.example/x?:a/acct:inst::",
        "crn:v1:bluemix:public:quantum-computing:us-east@evil.example:a/acct:inst::",
        "crn:abc",
    ],
)
def test_a_crn_cannot_choose_the_runtime_host(instance: str) -> None:
    with pytest.raises(IBMInputValueError, match="not a valid CRN"):
        service_urls("https://cloud.ibm.com", instance)


def test_429_honours_retry_after_on_post_jobs() -> None:
    cloud = sequence(
        httpx.Response(429, headers={"Retry-After": "0.15"}),
        httpx.Response(200, json={"id": "j1", "backend": "fake_a"}),
    )
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    start = time.monotonic()
    assert rest.create_job('{"program_id": "sampler"}')["id"] == "j1"
    assert time.monotonic() - start >= 0.15
    assert len(cloud.runtime_requests()) == 2


def test_retry_after_formats() -> None:
    import email.utils

    from qrt_lab.runtime.api.transport import RetryPolicy

    policy = RetryPolicy(retry_after_cap=30)
    request = httpx.Request("POST", "http://x/jobs")

    def delay(value: str) -> float | None:
        return policy.status_delay(request, httpx.Response(429, headers={"Retry-After": value}), 1)

    assert delay("2") == 2
    assert delay("999") == 30
    soon = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3 <= (delay(soon) or 0) <= 5
    # an unreadable header falls back to the backoff: at once on the first retry, then ~2^n
    assert delay("garbage") == 0.0
    third = policy.status_delay(request, httpx.Response(429, headers={"Retry-After": "x"}), 3)
    assert third is not None and 0.5 <= third <= 1.0
    assert policy.status_delay(request, httpx.Response(429), 6) is None, "retries are bounded"


def test_429_retry_after_is_capped_and_missing_header_backs_off() -> None:
    cloud = sequence(
        httpx.Response(429, headers={"Retry-After": "3600"}),
        httpx.Response(429),
        httpx.Response(200, json={"devices": []}),
    )
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    start = time.monotonic()
    rest.backends()
    # capped: ~0.7 s; uncapped: 3600 s
    assert time.monotonic() - start < 30.0, "Retry-After must be capped (cap is 0.2 s here)"
    assert len(cloud.runtime_requests()) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504, 520, 524])
def test_5xx_on_post_is_retried(status: int) -> None:
    cloud = sequence(httpx.Response(status), httpx.Response(200, json={"id": "j", "backend": "b"}))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    assert rest.create_job("{}")["id"] == "j"
    assert [r.method for r in cloud.runtime_requests()] == ["POST", "POST"]


def test_patch_and_4xx_are_not_retried() -> None:
    cloud = sequence(httpx.Response(503))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    with pytest.raises(RequestsApiError, match="maintenance"):
        rest.close_session("s1")
    assert len(cloud.runtime_requests()) == 1
    cloud = sequence(
        httpx.Response(
            404, json={"errors": [{"message": "Job not found", "code": 1291}], "trace": "tr-9"}
        )
    )
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    with pytest.raises(RequestsApiError) as info:
        rest.job("nope")
    assert len(cloud.runtime_requests()) == 1
    assert info.value.status_code == 404 and info.value.api_code == "1291"
    assert info.value.trace_id == "tr-9"
    assert "Job not found" in str(info.value) and "trace tr-9" in str(info.value)


def test_persistent_5xx_gives_up_with_the_status() -> None:
    cloud = sequence(httpx.Response(502, text="bad gateway"))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    with pytest.raises(RequestsApiError, match="HTTP 502") as info:
        rest.backends()
    assert info.value.status_code == 502
    assert len(cloud.runtime_requests()) == 6  # first try + 5 retries


def test_connection_reset_is_retried() -> None:
    cloud = sequence(
        httpx.ReadError("connection reset by peer"), httpx.Response(200, json={"devices": []})
    )
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    assert rest.backends() == {"devices": []}
    assert len(cloud.runtime_requests()) == 2


def test_connection_refused_reports_url_without_secrets() -> None:
    cloud = sequence(httpx.ConnectError("refused"))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    with pytest.raises(RequestsApiError, match="ConnectError") as info:
        rest.backends()
    assert info.value.status_code == -1
    assert "/api/v1/backends" in str(info.value) and API_KEY not in str(info.value)


def test_401_refreshes_the_token_once() -> None:
    state = {"first": True}
    auths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        auths.append(request.headers["Authorization"])
        if state["first"]:
            state["first"] = False
            return httpx.Response(401, json={"errors": [{"message": "token expired"}]})
        return httpx.Response(200, json={"devices": []})

    cloud = FakeCloud(handler)
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    assert rest.backends() == {"devices": []}
    assert cloud.tokens_issued == 2
    assert len(auths) == 2 and auths[0] != auths[1]


def test_persistent_401_raises_not_authorized() -> None:
    cloud = FakeCloud(lambda r: httpx.Response(401, json={"errors": [{"message": "bad token"}]}))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    with pytest.raises(IBMNotAuthorizedError, match="bad token"):
        rest.backends()
    assert cloud.tokens_issued == 2
    assert len(cloud.runtime_requests()) == 2


def test_token_refreshed_before_expiry() -> None:
    cloud = FakeCloud(ok_backends, lifetime=50)  # refresh at 80% of 50 s = 40 s
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    rest.backends()
    rest.backends()
    assert cloud.tokens_issued == 1
    SHARED_TOKENS._tokens = {
        k: type(v)(v.access_token, time.time() - 1, v.expires_at)
        for k, v in SHARED_TOKENS._tokens.items()
    }
    rest.backends()
    assert cloud.tokens_issued == 2


def test_bad_api_key_is_a_clear_error_without_the_key() -> None:
    conn = connection()
    cloud = FakeCloud(ok_backends)
    bad = type(conn)(**{**conn.__dict__, "api_key": "wrong-key-xyz"})
    rest = RuntimeRest(bad, transport=httpx.MockTransport(cloud))
    with pytest.raises(IBMNotAuthorizedError, match="rejected the API key") as info:
        rest.backends()
    assert "wrong-key-xyz" not in str(info.value)
    with pytest.raises(IBMNotAuthorizedError):
        verify_api_key(BASE, "wrong-key-xyz", transport=httpx.MockTransport(cloud))
    assert verify_api_key(BASE, API_KEY, transport=httpx.MockTransport(cloud))["exp"] > time.time()


def test_malformed_json_body_is_a_clear_error() -> None:
    cloud = sequence(httpx.Response(200, text="<html>proxy login</html>"))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    with pytest.raises(RequestsApiError, match="not JSON"):
        rest.backends()


def test_jobs_query_building() -> None:
    cloud = FakeCloud(lambda r: httpx.Response(200, json={"jobs": [], "count": 0}))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    rest.jobs(
        limit=5,
        offset=10,
        backend="b",
        pending=False,
        program="sampler",
        tags=["a", "b"],
        session_id="s",
        created_after="2026-01-01T00:00:00+00:00",
        descending=False,
    )
    query = cloud.runtime_requests()[0].url.params
    assert query.get_list("tags") == ["a", "b"]
    assert dict(query) | {"tags": None} == {
        "exclude_params": "true",
        "limit": "5",
        "offset": "10",
        "backend": "b",
        "pending": "false",
        "program": "sampler",
        "tags": None,
        "session_id": "s",
        "created_after": "2026-01-01T00:00:00+00:00",
        "sort": "ASC",
    }


def test_put_tags_dedups_and_204_returns_none() -> None:
    cloud = FakeCloud(lambda r: httpx.Response(204))
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    assert rest.update_job_tags("j", ["x", "y", "x"]) is None
    assert json.loads(cloud.runtime_requests()[0].content) == {"tags": ["x", "y"]}


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # IAM on the same slow server answers at once
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        from runtime_fakes import make_jwt

        body = json.dumps({"access_token": make_jwt()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        time.sleep(1.0)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_slow_response_times_out_with_a_clear_error() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        from qrt_lab.runtime.accounts import Account
        from qrt_lab.runtime.api.connection import RuntimeConnection

        account = Account(token=API_KEY, url=f"http://127.0.0.1:{server.server_port}", instance=CRN)
        rest = RuntimeRest(RuntimeConnection.from_account(account, timeout=0.2))
        start = time.monotonic()
        with pytest.raises(RequestsApiError, match="timed out"):
            rest.backends()
        # one 0.2 s attempt; retried as errors are, it would take >= 4.95 s (5 more 0.2 s
        # attempts after backoffs of >= 0, 0.25, 0.5, 1, 2 s): 3 s leaves room for a busy machine
        assert time.monotonic() - start < 3.0, "a read timeout must not be retried"
        rest.close()
    finally:
        server.shutdown()
        server.server_close()


async def test_async_client_shares_the_core() -> None:
    cloud = sequence(httpx.Response(503), httpx.Response(200, json={"id": "s1"}))
    rest = AsyncRuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    assert await rest.create_session({"mode": "batch", "backend": "b"}) == {"id": "s1"}
    assert json.loads(await rest.job_logs("j")) == {"id": "s1"}
    await rest.aclose()
    assert cloud.runtime_requests()[0].headers["Content-Type"] == "application/json"
