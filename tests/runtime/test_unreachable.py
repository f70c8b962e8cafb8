"""No response at all is a ``RuntimeUnreachableError`` that names the host and keeps the cause."""

from __future__ import annotations

import httpx
import pytest

from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.rest import RestCall, RuntimeRest
from qrt_lab.runtime.api.transport import RetryPolicy
from qrt_lab.runtime.api.urls import service_urls
from qrt_lab.runtime.exceptions import RequestsApiError, RuntimeUnreachableError


def rest_failing_with(error: type[httpx.TransportError]) -> RuntimeRest:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error("no answer", request=request)

    connection = RuntimeConnection(
        urls=service_urls("http://127.0.0.1:9"),
        api_key="k",
        instance="crn:x",
        retry=RetryPolicy(max_retries=0),
    )
    return RuntimeRest(connection, transport=httpx.MockTransport(fail))


@pytest.mark.parametrize(
    ("error", "timed_out"), [(httpx.ConnectError, False), (httpx.ReadTimeout, True)]
)
def test_no_response_names_the_host_and_keeps_the_cause(
    error: type[httpx.TransportError], timed_out: bool
) -> None:
    with rest_failing_with(error) as rest, pytest.raises(RuntimeUnreachableError) as info:
        rest.send(RestCall("GET", "/backends"))
    err = info.value
    assert isinstance(err, RequestsApiError) and err.status_code == -1
    assert err.host == "127.0.0.1:9" and isinstance(err.cause, error)
    assert err.timed_out is timed_out and "127.0.0.1:9" in str(err)
