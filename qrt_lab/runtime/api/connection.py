"""Everything a REST client needs to reach one runtime instance, built from an :class:`Account`."""

from __future__ import annotations

import functools
import importlib.metadata
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qrt_lab.runtime.accounts import Account
from qrt_lab.runtime.exceptions import InvalidAccountError

from .transport import RetryPolicy
from .urls import ServiceUrls, service_urls

__all__ = ["API_VERSION", "RuntimeConnection", "client_application", "tls_verify"]

API_VERSION = "2026-04-15"


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def _default_tls_context() -> ssl.SSLContext:
    import httpx

    return httpx.create_ssl_context()


def tls_verify(verify: bool) -> ssl.SSLContext | bool:
    """The ``verify`` argument for httpx: one shared TLS context (building one costs ~35 ms)."""
    return _default_tls_context() if verify else False


def client_application() -> str:
    """The ``X-Qx-Client-Application`` header value (spec §2.2)."""
    if os.environ.get("USAGE_DATA_OPT_OUT") == "True":
        value = "qiskit-version-2/qrt_lab"
    else:
        parts = [f"qrt_lab-{_version('qrt-lab') or '0.0.0'}"]
        for dist in ("qiskit", "qiskit-aer"):
            version = _version(dist)
            if version:
                parts.append(f"{dist.replace('-', '_')}-{version}")
        value = "qiskit-version-2/" + ",".join(parts) + "/qiskit"
    custom = os.environ.get("QISKIT_IBM_RUNTIME_CUSTOM_CLIENT_APP_HEADER") or os.environ.get(
        "QE_CUSTOM_CLIENT_APP_HEADER"
    )
    return f"{value}/{custom}" if custom else value


@dataclass(frozen=True)
class RuntimeConnection:
    """Where and how to reach one runtime instance.

    Attributes:
        urls: Runtime, IAM, search and catalog base URLs.
        api_key: The API key (never shown by ``repr``).
        instance: Instance CRN sent as ``Service-CRN`` (None: header omitted).
        verify: Verify TLS certificates.
        proxy: Proxy URL for every request, or None.
        timeout: Read timeout in seconds for ordinary requests.
        connect_timeout: Connect timeout in seconds.
        job_timeout: Read timeout for ``POST /jobs`` (spec: 900 s).
        retry: Retry policy.
    """

    urls: ServiceUrls
    api_key: str = field(repr=False)
    instance: str | None = None
    verify: bool = True
    proxy: str | None = None
    timeout: float = 120.0
    connect_timeout: float = 5.0
    job_timeout: float = 900.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @classmethod
    def from_account(
        cls, account: Account, instance: str | None = None, **kwargs: Any
    ) -> RuntimeConnection:
        """Build the connection for ``account`` and an instance CRN.

        Args:
            account: The resolved account.
            instance: Instance CRN; defaults to the account's instance.
            **kwargs: Overrides for the other fields (``timeout``, ``retry``...).

        Raises:
            InvalidAccountError: The proxy configuration needs NTLM, which is not supported.
        """
        crn = instance if instance is not None else account.instance
        return cls(
            urls=service_urls(account.url, crn, account.private_endpoint),
            api_key=account.token,
            instance=crn,
            verify=account.verify_tls,
            proxy=_proxy_url(account.proxies),
            **kwargs,
        )

    def headers(self) -> dict[str, str]:
        """Headers sent on every runtime request (Authorization is added by the auth flow)."""
        headers = {
            "IBM-API-Version": API_VERSION,
            "X-Qx-Client-Application": client_application(),
        }
        if self.instance:
            headers["Service-CRN"] = self.instance
        return headers


def _proxy_url(proxies: Mapping[str, Any] | None) -> str | None:
    if not proxies:
        return None
    if proxies.get("username_ntlm"):
        raise InvalidAccountError(
            "NTLM proxy authentication is not supported by qrt_lab; put the credentials in the "
            "proxy URL (http://user:password@proxy:8080) instead."
        )
    urls = proxies.get("urls") or {}
    value = urls.get("https") or urls.get("http") or next(iter(urls.values()), None)
    return str(value) if value else None
