"""Runtime REST API (spec §3): one request-building core, a sync and an async client.

:class:`RestCore` knows every endpoint, its query, body, timeout and how to read the answer.
:class:`RuntimeRest` (kernels, scripts) and :class:`AsyncRuntimeRest` (the server extension) only
send the requests, over httpx with :class:`~qrt_lab.runtime.api.auth.IAMAuth` and the retry
transport.
Methods return decoded JSON (dicts/lists), or text for results and logs; errors raise the
exceptions of :mod:`qrt_lab.runtime.exceptions` with the API's message, code and trace id.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

import httpx

from qrt_lab.runtime.exceptions import (
    IBMError,
    IBMNotAuthorizedError,
    RequestsApiError,
)

from .auth import IAM_TIMEOUT, IAMAuth
from .connection import RuntimeConnection, tls_verify
from .reachability import unreachable_error
from .transport import AsyncRetryTransport, RetryTransport

__all__ = ["AsyncRuntimeRest", "RestCall", "RestCore", "RuntimeRest", "api_error"]

T = TypeVar("T")
Expect = Literal["json", "text", "none"]
_NO_CONTENT = (204, 205)


@dataclass(frozen=True)
class RestCall:
    """One request to send and how to read its answer."""

    method: str
    path: str
    params: Sequence[tuple[str, str]] = ()
    body: str | None = None
    expect: Expect = "json"
    timeout: float | None = None
    extra_headers: Mapping[str, str] = field(default_factory=dict)


def _error_details(response: httpx.Response) -> tuple[str, str | None, str | None]:
    text = response.text
    try:
        body = json.loads(text)
    except ValueError:
        return text.strip()[:500], None, None
    if not isinstance(body, dict):
        return text.strip()[:500], None, None
    trace = body.get("trace")
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        return (
            str(first.get("message", "")),
            _opt_str(first.get("code")),
            _opt_str(trace),
        )
    error = body.get("error")
    if isinstance(error, dict):
        return (
            str(error.get("message", "")),
            _opt_str(error.get("code")),
            _opt_str(trace),
        )
    message = body.get("message") or body.get("errorMessage") or text.strip()[:500]
    return str(message), _opt_str(body.get("code")), _opt_str(trace)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def api_error(method: str, url: httpx.URL | str, response: httpx.Response) -> IBMError:
    """Turn a non-2xx ``response`` into the matching exception (spec §9.2).

    The message names the request, the HTTP status, the API message, code and trace id.
    """
    path = httpx.URL(str(url)).copy_with(query=None)
    message, code, trace = _error_details(response)
    status = response.status_code
    text = f"{method} {path} failed with HTTP {status} {response.reason_phrase}"
    if message:
        text += f": {message}"
    extras = [f"code {code}" if code else "", f"trace {trace}" if trace else ""]
    if any(extras):
        text += " (" + ", ".join(e for e in extras if e) + ")"
    if status == 401:
        error: IBMError = IBMNotAuthorizedError(
            text + ". Check your API key (token) and that it can access this instance."
        )
    elif status == 503:
        error = RequestsApiError(
            text + ". The service may be in maintenance mode; try again later.",
            status,
            code,
            trace,
        )
    else:
        error = RequestsApiError(text, status, code, trace)
    error.status_code, error.api_code, error.trace_id = status, code, trace
    return error


def _segment(value: str) -> str:
    """A backend name, job or session id as one URL path segment.

    ``/``, spaces and control characters are percent-escaped, and so are the dots of ``.`` and
    ``..``, so an id can never reach another route.
    """
    text = quote(str(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def _iso_utc(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(timezone.utc).isoformat()


class RestCore(Generic[T]):
    """Endpoint definitions shared by the sync and async clients.

    Subclasses implement :meth:`_call`, which sends a :class:`RestCall` and returns the decoded
    answer (sync) or an awaitable of it (async).
    """

    connection: RuntimeConnection
    client: httpx.Client | httpx.AsyncClient

    def _call(self, call: RestCall) -> T:
        raise NotImplementedError

    def send(self, call: RestCall) -> T:
        """Send a prepared call (what the sans-IO flows of ``job_refresh`` yield)."""
        return self._call(call)

    def _request(self, call: RestCall) -> httpx.Request:
        headers = dict(call.extra_headers)
        if call.expect == "json":
            headers["Accept"] = "application/json"
        if call.body is not None:
            headers["Content-Type"] = "application/json"
        timeout = call.timeout or self.connection.timeout
        return self.client.build_request(
            call.method,
            self.connection.urls.runtime + call.path,
            params=list(call.params),
            content=call.body.encode() if call.body is not None else None,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=self.connection.connect_timeout),
        )

    @staticmethod
    def _read(call: RestCall, request: httpx.Request, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise api_error(call.method, request.url, response)
        if call.expect == "none" or response.status_code in _NO_CONTENT:
            return None if call.expect != "text" else ""
        if call.expect == "text":
            return response.text
        try:
            return json.loads(response.text) if response.text else None
        except ValueError:
            snippet = response.text[:200].replace("\n", " ")
            raise RequestsApiError(
                f"{call.method} {request.url.copy_with(query=None)} returned a body that is not "
                f"JSON (HTTP {response.status_code}): {snippet!r}. Check that the account URL "
                "points at a Qiskit Runtime API.",
                response.status_code,
            ) from None

    @staticmethod
    def _transport_error(call: RestCall, request: httpx.Request, err: httpx.HTTPError) -> IBMError:
        return unreachable_error(request.url, err)

    # --- backends (§3.1-3.4)
    def backends(self) -> T:
        """``GET /backends``: ``{"devices": [...]}``."""
        return self._call(RestCall("GET", "/backends"))

    def backend_configuration(self, name: str, calibration_id: str | None = None) -> T:
        """``GET /backends/{name}/configuration``."""
        params = [("calibration_id", calibration_id)] if calibration_id else []
        return self._call(RestCall("GET", f"/backends/{_segment(name)}/configuration", params))

    def backend_properties(
        self,
        name: str,
        updated_before: datetime | str | None = None,
        calibration_id: str | None = None,
    ) -> T:
        """``GET /backends/{name}/properties``."""
        params = []
        if updated_before is not None:
            params.append(("updated_before", _iso_utc(updated_before)))
        if calibration_id:
            params.append(("calibration_id", calibration_id))
        return self._call(RestCall("GET", f"/backends/{_segment(name)}/properties", params))

    def backend_status(self, name: str) -> T:
        """``GET /backends/{name}/status``."""
        return self._call(RestCall("GET", f"/backends/{_segment(name)}/status"))

    # --- jobs (§3.5-3.13)
    def create_job(self, body: Mapping[str, Any] | str) -> T:
        """``POST /jobs`` with a body already encoded (str) or a plain-JSON mapping."""
        text = body if isinstance(body, str) else json.dumps(body)
        return self._call(RestCall("POST", "/jobs", body=text, timeout=self.connection.job_timeout))

    def jobs(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        backend: str | None = None,
        pending: bool | None = None,
        program: str | None = None,
        tags: Sequence[str] | None = None,
        session_id: str | None = None,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
        descending: bool = True,
    ) -> T:
        """``GET /jobs`` (one page): ``{"jobs": [...], "count": n, "limit", "offset"}``."""
        params: list[tuple[str, str]] = [("exclude_params", "true")]
        if limit:
            params.append(("limit", str(limit)))
        if offset:
            params.append(("offset", str(offset)))
        if backend:
            params.append(("backend", backend))
        if pending is not None:
            params.append(("pending", "true" if pending else "false"))
        if program:
            params.append(("program", program))
        params.extend(("tags", tag) for tag in tags or ())
        if session_id:
            params.append(("session_id", session_id))
        if created_after is not None:
            params.append(("created_after", _iso_utc(created_after)))
        if created_before is not None:
            params.append(("created_before", _iso_utc(created_before)))
        if not descending:
            params.append(("sort", "ASC"))
        return self._call(RestCall("GET", "/jobs", params))

    def job(self, job_id: str, exclude_params: bool = True) -> T:
        """``GET /jobs/{id}`` (``params`` omitted unless ``exclude_params`` is false)."""
        params = [("exclude_params", "true")] if exclude_params else []
        return self._call(RestCall("GET", f"/jobs/{_segment(job_id)}", params))

    def job_text(self, job_id: str) -> T:
        """``GET /jobs/{id}`` with params, as text (decode it with the codec)."""
        return self._call(RestCall("GET", f"/jobs/{_segment(job_id)}", expect="text"))

    def job_results(self, job_id: str) -> T:
        """``GET /jobs/{id}/results`` as text."""
        return self._call(RestCall("GET", f"/jobs/{_segment(job_id)}/results", expect="text"))

    def job_logs(self, job_id: str) -> T:
        """``GET /jobs/{id}/logs`` as text."""
        return self._call(RestCall("GET", f"/jobs/{_segment(job_id)}/logs", expect="text"))

    def job_metrics(self, job_id: str) -> T:
        """``GET /jobs/{id}/metrics``."""
        return self._call(RestCall("GET", f"/jobs/{_segment(job_id)}/metrics"))

    def cancel_job(self, job_id: str) -> T:
        """``POST /jobs/{id}/cancel``."""
        return self._call(RestCall("POST", f"/jobs/{_segment(job_id)}/cancel", expect="none"))

    def delete_job(self, job_id: str) -> T:
        """``DELETE /jobs/{id}``."""
        return self._call(RestCall("DELETE", f"/jobs/{_segment(job_id)}", expect="none"))

    def update_job_tags(self, job_id: str, tags: Sequence[str]) -> T:
        """``PUT /jobs/{id}/tags`` with the de-duplicated ``tags``."""
        body = json.dumps({"tags": list(dict.fromkeys(tags))})
        return self._call(
            RestCall("PUT", f"/jobs/{_segment(job_id)}/tags", body=body, expect="none")
        )

    # --- sessions (§3.14)
    def create_session(self, body: Mapping[str, Any]) -> T:
        """``POST /sessions``."""
        return self._call(RestCall("POST", "/sessions", body=json.dumps(body)))

    def session(self, session_id: str) -> T:
        """``GET /sessions/{id}``."""
        return self._call(RestCall("GET", f"/sessions/{_segment(session_id)}"))

    def recent_sessions(self, limit: int = 20) -> T:
        """``GET /sessions?limit=N``: the newest sessions, where the service lists them.

        The IBM Quantum Platform has no such listing (it answers 4xx); the local service does.
        """
        return self._call(RestCall("GET", "/sessions", params=(("limit", str(limit)),)))

    def close_session(self, session_id: str) -> T:
        """``PATCH /sessions/{id}`` ``{"accepting_jobs": false}``."""
        body = json.dumps({"accepting_jobs": False})
        return self._call(
            RestCall("PATCH", f"/sessions/{_segment(session_id)}", body=body, expect="none")
        )

    def cancel_session(self, session_id: str) -> T:
        """``DELETE /sessions/{id}/close``."""
        return self._call(
            RestCall("DELETE", f"/sessions/{_segment(session_id)}/close", expect="none")
        )

    # --- instance (§3.15)
    def usage(self) -> T:
        """``GET /instances/usage``."""
        return self._call(RestCall("GET", "/instances/usage"))


def _client_kwargs(connection: RuntimeConnection) -> dict[str, Any]:
    return {
        "auth": IAMAuth(
            connection.api_key, connection.urls.iam, timeout=min(IAM_TIMEOUT, connection.timeout)
        ),
        "headers": connection.headers(),
        "timeout": httpx.Timeout(connection.timeout, connect=connection.connect_timeout),
        "follow_redirects": False,
    }


class RuntimeRest(RestCore[Any]):
    """Synchronous runtime REST client.

    Args:
        connection: Where to connect and with which key.
        transport: An httpx transport to send through (tests pass ``httpx.MockTransport``);
            retries are layered on top of it either way.
    """

    client: httpx.Client

    def __init__(
        self,
        connection: RuntimeConnection,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.connection = connection
        inner = transport or httpx.HTTPTransport(
            verify=tls_verify(connection.verify), proxy=connection.proxy
        )
        self.client = httpx.Client(
            transport=RetryTransport(inner, connection.retry),
            **_client_kwargs(connection),
        )

    def __repr__(self) -> str:
        return (
            f"RuntimeRest({self.connection.urls.runtime!r}, instance={self.connection.instance!r})"
        )

    def _call(self, call: RestCall) -> Any:
        request = self._request(call)
        try:
            response = self.client.send(request)
        except httpx.HTTPError as err:
            raise self._transport_error(call, request, err) from None
        return self._read(call, request, response)

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> RuntimeRest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncRuntimeRest(RestCore[Awaitable[Any]]):
    """Asynchronous runtime REST client (same methods as :class:`RuntimeRest`, awaitable)."""

    client: httpx.AsyncClient

    def __init__(
        self,
        connection: RuntimeConnection,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.connection = connection
        inner = transport or httpx.AsyncHTTPTransport(
            verify=tls_verify(connection.verify), proxy=connection.proxy
        )
        self.client = httpx.AsyncClient(
            transport=AsyncRetryTransport(inner, connection.retry),
            **_client_kwargs(connection),
        )

    def __repr__(self) -> str:
        return (
            f"AsyncRuntimeRest({self.connection.urls.runtime!r}, "
            f"instance={self.connection.instance!r})"
        )

    async def _send(self, call: RestCall) -> Any:
        request = self._request(call)
        try:
            response = await self.client.send(request)
        except httpx.HTTPError as err:
            raise self._transport_error(call, request, err) from None
        return self._read(call, request, response)

    def _call(self, call: RestCall) -> Awaitable[Any]:
        return self._send(call)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()

    async def __aenter__(self) -> AsyncRuntimeRest:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
