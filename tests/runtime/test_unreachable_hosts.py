"""Errors that blame the right thing: an unreachable host is named, the API key is not blamed.

Every failure here is real: a closed loopback port (connection refused), a name under the
reserved ``.invalid`` domain (DNS failure), HTTPS spoken to a plain-HTTP loopback server (TLS
failure) and a loopback socket that accepts connections and never answers (timeout).
"""

from __future__ import annotations

import asyncio
import http.server
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.auth import averify_api_key, verify_api_key
from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.api.instances import alist_instances
from qrt_lab.runtime.api.rest import RestCall, RuntimeRest
from qrt_lab.runtime.api.transport import RetryPolicy
from qrt_lab.runtime.api.urls import service_urls
from qrt_lab.runtime.exceptions import (
    IBMNotAuthorizedError,
    RequestsApiError,
    RuntimeUnreachableError,
)

KEY = "secret-api-key-do-not-echo"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/abc:def::"
FAST = {"timeout": 2.0, "connect_timeout": 2.0, "retry": RetryPolicy(max_retries=1)}


@pytest.fixture
def refused_url() -> str:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A loopback socket whose backlog accepts connections that are never answered."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def plain_http_as_https() -> Iterator[str]:
    """An ``https://`` URL whose server speaks plain HTTP (the TLS handshake fails)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _service_error(url: str) -> str:
    with pytest.raises(RequestsApiError) as info:
        QiskitRuntimeService(
            channel="ibm_quantum_platform", token=KEY, url=url, instance=CRN, **FAST
        )
    message = str(info.value)
    assert info.value.status_code == -1
    assert "Could not reach the" in message and "host" in message
    assert KEY not in message and "API token" not in message and "API key" not in message
    return message


def test_connection_refused_names_the_host(refused_url: str) -> None:
    message = _service_error(refused_url)
    assert refused_url.removeprefix("http://") in message
    assert "connection refused" in message and "Errno 111" in message


def test_dns_failure_names_the_host() -> None:
    message = _service_error("https://qrt-lab-nowhere.invalid")
    assert "qrt-lab-nowhere.invalid" in message and "DNS lookup failed" in message


def test_tls_failure_names_the_host(plain_http_as_https: str) -> None:
    message = _service_error(plain_http_as_https)
    assert plain_http_as_https.removeprefix("https://") in message
    assert "TLS handshake failed" in message and "SSL" in message


def test_timeout_names_the_host(silent_url: str) -> None:
    message = _service_error(silent_url)
    assert silent_url.removeprefix("http://") in message and "timed out" in message


def test_verify_api_key_and_async_listing_name_the_host(refused_url: str) -> None:
    with pytest.raises(RequestsApiError, match="Could not reach the IAM host") as info:
        verify_api_key(refused_url, KEY)
    assert KEY not in str(info.value)
    with pytest.raises(RequestsApiError, match="Could not reach the IAM host"):
        asyncio.run(averify_api_key(refused_url, KEY))
    connection = RuntimeConnection(urls=service_urls(refused_url, CRN), api_key=KEY, **FAST)
    with pytest.raises(RequestsApiError, match="connection refused") as listed:
        asyncio.run(alist_instances(connection))
    assert "API token" not in str(listed.value)


def test_runtime_calls_name_the_host(refused_url: str) -> None:
    connection = RuntimeConnection(urls=service_urls(refused_url, CRN), api_key=KEY, **FAST)
    with RuntimeRest(connection) as rest, pytest.raises(RequestsApiError) as info:
        rest.backends()
    assert "Could not reach the IAM host 127.0.0.1" in str(info.value)
    assert "connection refused" in str(info.value) and KEY not in str(info.value)


@pytest.mark.parametrize("timed_out", [False, True])
def test_no_response_is_typed_with_host_and_cause(
    timed_out: bool, refused_url: str, silent_url: str
) -> None:
    url = silent_url if timed_out else refused_url
    connection = RuntimeConnection(
        urls=service_urls(url), api_key=KEY, instance=CRN, **{**FAST, "timeout": 0.5}
    )
    with RuntimeRest(connection) as rest, pytest.raises(RuntimeUnreachableError) as info:
        rest.send(RestCall("GET", "/backends"))
    err = info.value
    assert isinstance(err, RequestsApiError) and err.status_code == -1
    assert err.host == url.removeprefix("http://") and err.host in str(err)
    assert isinstance(err.cause, httpx.TimeoutException if timed_out else httpx.ConnectError)
    assert err.timed_out is timed_out


def test_only_a_rejection_by_iam_talks_about_the_key(local_service: LocalServiceInfo) -> None:
    with pytest.raises(IBMNotAuthorizedError) as info:
        QiskitRuntimeService(
            channel="ibm_quantum_platform",
            token="not-the-key",
            url=local_service.url,
            instance=local_service.instance,
        )
    message = str(info.value)
    assert "rejected the API key" in message and "Could not reach" not in message
    assert "not-the-key" not in message


def _saved_service_error(tmp_path, url: str, name: str | None) -> RuntimeUnreachableError:
    filename = str(tmp_path / "qiskit-ibm.json")
    QiskitRuntimeService.save_account(
        token=KEY, url=url, instance=CRN, filename=filename, name="lab-local", set_as_default=True
    )
    with pytest.raises(RuntimeUnreachableError) as info:
        QiskitRuntimeService(filename=filename, name=name, **FAST)
    assert KEY not in str(info.value) and "API key" not in str(info.value)
    return info.value


@pytest.mark.parametrize("name", ["lab-local", None])
def test_a_saved_account_on_a_gone_local_service_is_named_with_what_to_do(
    tmp_path, refused_url: str, name: str | None
) -> None:
    """By name or as the default, the saved account behind the refused IAM host is named."""
    err = _saved_service_error(tmp_path, refused_url, name)
    message = err.message
    assert "Could not reach the IAM host 127.0.0.1:" in message
    assert "saved account 'lab-local'" in message
    assert 'QiskitRuntimeService.delete_account(name="lab-local")' in message
    assert 'QiskitRuntimeService(channel="local")' in message
    assert "%qruntime account local" in message
    assert err.host == refused_url.removeprefix("http://") and err.status_code == -1


def test_an_account_given_in_code_is_not_called_saved(refused_url: str) -> None:
    """No saved account was used: the message names none."""
    assert "saved account" not in _service_error(refused_url)
