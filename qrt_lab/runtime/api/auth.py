"""IAM authentication: API key → bearer token, as an ``httpx.Auth`` flow (spec §2.1).

The token is cached per (API key, IAM URL) across clients in the process, refreshed before it
expires (at ``exp - 0.2·(exp - iat)``, read from the JWT without verifying its signature) and
fetched again once when a request comes back 401.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import httpx

from qrt_lab.runtime.exceptions import (
    IBMNotAuthorizedError,
    RequestsApiError,
)

from .connection import tls_verify
from .reachability import unreachable_error

__all__ = [
    "IAMAuth",
    "TokenCache",
    "averify_api_key",
    "token_request",
    "verify_api_key",
]

_GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
IAM_TIMEOUT = 60.0


@dataclass(frozen=True)
class _Token:
    access_token: str
    refresh_at: float
    expires_at: float

    def __repr__(self) -> str:
        return f"_Token(access_token='***', expires_at={self.expires_at})"


def _jwt_claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, RecursionError):  # a hostile IAM's claims nest too deeply
        return {}
    return claims if isinstance(claims, dict) else {}


def _token_from_body(body: dict[str, Any], now: float) -> _Token:
    access = body["access_token"]
    claims = _jwt_claims(access)
    exp, iat = claims.get("exp"), claims.get("iat")
    if isinstance(exp, (int, float)) and isinstance(iat, (int, float)) and exp > iat:
        return _Token(access, refresh_at=exp - 0.2 * (exp - iat), expires_at=exp - 10)
    lifetime = float(body.get("expires_in") or 300)
    return _Token(access, refresh_at=now + 0.8 * lifetime, expires_at=now + lifetime - 10)


class TokenCache:
    """Bearer tokens shared by every client of one process, keyed by API key and IAM URL."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str], _Token] = {}

    @staticmethod
    def _key(api_key: str, iam_url: str) -> tuple[str, str]:
        return hashlib.sha256(api_key.encode()).hexdigest(), iam_url

    def get(self, api_key: str, iam_url: str) -> str | None:
        """Return a token that needs no refresh yet, else None."""
        with self._lock:
            token = self._tokens.get(self._key(api_key, iam_url))
        if token is None or time.time() >= token.refresh_at:
            return None
        return token.access_token

    def put(self, api_key: str, iam_url: str, token: _Token) -> None:
        """Store ``token``."""
        with self._lock:
            self._tokens[self._key(api_key, iam_url)] = token

    def invalidate(self, api_key: str, iam_url: str, access_token: str | None = None) -> None:
        """Forget the token (only if it is still ``access_token`` when that is given)."""
        with self._lock:
            key = self._key(api_key, iam_url)
            current = self._tokens.get(key)
            if current and (access_token is None or current.access_token == access_token):
                del self._tokens[key]

    def clear(self) -> None:
        """Forget every token."""
        with self._lock:
            self._tokens.clear()


SHARED_TOKENS = TokenCache()


def token_request(iam_url: str, api_key: str, timeout: float = IAM_TIMEOUT) -> httpx.Request:
    """Build the IAM token request for ``api_key`` (``timeout`` in seconds)."""
    return httpx.Request(
        "POST",
        f"{iam_url}/identity/token",
        data={
            "grant_type": _GRANT_TYPE,
            "apikey": api_key,
            "response_type": "cloud_iam",
        },
        headers={"Accept": "application/json"},
        extensions={"timeout": httpx.Timeout(timeout).as_dict()},
    )


def _parse_token_response(response: httpx.Response, iam_url: str) -> _Token:
    url = f"{iam_url}/identity/token"
    if response.status_code in (400, 401, 403):
        detail = ""
        try:
            body = response.json()
            detail = str(body.get("errorMessage") or body.get("message") or "")
        except (ValueError, AttributeError):
            pass
        raise IBMNotAuthorizedError(
            f"IAM at {url} rejected the API key (HTTP {response.status_code}"
            f"{': ' + detail if detail else ''}). Check the token you passed or saved "
            "(QiskitRuntimeService.saved_accounts()) and create a new API key if needed."
        )
    if response.status_code >= 400:
        raise RequestsApiError(
            f"IAM at {url} answered HTTP {response.status_code} while exchanging the API key "
            "for a bearer token. Try again later.",
            response.status_code,
        )
    try:
        body = response.json()
        return _token_from_body(body, time.time())
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RequestsApiError(
            f"IAM at {url} answered without an 'access_token' (not the IAM token format). "
            "Check that the account URL / IAM_URL points at an IAM-compatible server.",
            response.status_code,
        ) from None


class IAMAuth(httpx.Auth):
    """Add ``Authorization: Bearer <token>`` to every request, fetching tokens from IAM.

    Args:
        api_key: The IBM Cloud API key.
        iam_url: IAM base URL (the token endpoint is ``<iam_url>/identity/token``).
        cache: Token cache; defaults to the process-wide one.
        timeout: Timeout of a token request in seconds.
    """

    requires_response_body = True

    def __init__(
        self,
        api_key: str,
        iam_url: str,
        cache: TokenCache | None = None,
        timeout: float = IAM_TIMEOUT,
    ) -> None:
        self._api_key = api_key
        self.iam_url = iam_url.rstrip("/")
        self._cache = cache or SHARED_TOKENS
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"IAMAuth(iam_url={self.iam_url!r}, api_key='***')"

    def _fresh_token(self) -> Generator[httpx.Request, httpx.Response, str]:
        response = yield token_request(self.iam_url, self._api_key, self._timeout)
        token = _parse_token_response(response, self.iam_url)
        self._cache.put(self._api_key, self.iam_url, token)
        return token.access_token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Authenticate ``request``; refresh and resend once on 401."""
        token = self._cache.get(self._api_key, self.iam_url)
        if token is None:
            token = yield from self._fresh_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self._cache.invalidate(self._api_key, self.iam_url, token)
            token = yield from self._fresh_token()
            request.headers["Authorization"] = f"Bearer {token}"
            yield request


def verify_api_key(
    iam_url: str,
    api_key: str,
    *,
    verify: bool = True,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """Exchange ``api_key`` at IAM and return the token's claims (empty for non-JWT tokens).

    The token is stored in the shared cache, so the next client with this key reuses it.

    Raises:
        IBMNotAuthorizedError: IAM rejected the key.
        RequestsApiError: IAM could not be reached or answered badly.
    """
    iam_url = iam_url.rstrip("/")
    try:
        with httpx.Client(
            verify=tls_verify(verify), transport=transport, timeout=IAM_TIMEOUT
        ) as client:
            response = client.send(token_request(iam_url, api_key))
    except httpx.HTTPError as err:
        raise unreachable_error(f"{iam_url}/identity/token", err, "IAM") from None
    token = _parse_token_response(response, iam_url)
    SHARED_TOKENS.put(api_key, iam_url, token)
    return _jwt_claims(token.access_token)


async def averify_api_key(
    iam_url: str,
    api_key: str,
    *,
    verify: bool = True,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, Any]:
    """Async :func:`verify_api_key` (same behaviour and errors)."""
    iam_url = iam_url.rstrip("/")
    try:
        async with httpx.AsyncClient(
            verify=tls_verify(verify), transport=transport, timeout=IAM_TIMEOUT
        ) as client:
            response = await client.send(token_request(iam_url, api_key))
    except httpx.HTTPError as err:
        raise unreachable_error(f"{iam_url}/identity/token", err, "IAM") from None
    token = _parse_token_response(response, iam_url)
    SHARED_TOKENS.put(api_key, iam_url, token)
    return _jwt_claims(token.access_token)
