"""Why a host could not be reached: one message for DNS, refused, TLS and timeout failures.

A transport failure is never the API key's fault, so these messages name the host and the
underlying error and say what to check (URL, network, proxy, TLS), never the token.
"""

from __future__ import annotations

import socket
import ssl

import httpx

from qrt_lab.runtime.exceptions import RuntimeUnreachableError

__all__ = ["host_of", "naming_saved_account", "unreachable_error", "unreachable_message"]


def _causes(err: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _kind(err: httpx.HTTPError) -> str:
    causes = _causes(err)
    text = " ".join(str(cause) for cause in causes)
    if isinstance(err, httpx.TimeoutException):
        return "timed out"
    if any(isinstance(cause, ssl.SSLError) for cause in causes) or "SSL" in text:
        return "TLS handshake failed"
    if any(isinstance(cause, socket.gaierror) for cause in causes) or (
        "Name or service not known" in text or "nodename nor servname" in text
    ):
        return "DNS lookup failed"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "refused" in text:
        return "connection refused"
    return "connection failed"


def _detail(err: httpx.HTTPError) -> str:
    causes = _causes(err)
    innermost = str(causes[-1]) or type(causes[-1]).__name__
    return f"{type(err).__name__}: {innermost}"


def host_of(url: httpx.URL | str) -> str:
    """``host`` or ``host:port`` of ``url`` (the port only when it is explicit)."""
    parsed = httpx.URL(str(url))
    return f"{parsed.host}:{parsed.port}" if parsed.port else parsed.host


def unreachable_message(url: httpx.URL | str, err: httpx.HTTPError, what: str = "") -> str:
    """Say that the host of ``url`` could not be reached, why, and what to check.

    Args:
        url: The URL that was being requested (the failing request's, when known).
        err: The transport error.
        what: What the host is for ("IAM", "Global Search", ...), for the message.
    """
    try:
        target = err.request.url  # the request that failed, e.g. IAM's inside an auth flow
    except RuntimeError:  # an error raised without a request
        target = httpx.URL(str(url))
    where = target.copy_with(query=None)
    kind = _kind(err)
    if not what and target.path.endswith("/identity/token"):
        what = "IAM"
    label = f"{what} host" if what else "host"
    advice = {
        "timed out": "The host is slow or a firewall drops the traffic; try again or raise the "
        "timeout.",
        "TLS handshake failed": "Check that the URL's scheme (https/http) matches the server "
        "and that its certificate is trusted.",
        "DNS lookup failed": "Check the host name in the URL and your DNS or proxy settings.",
        "connection refused": "Check the URL's port and that the server is running.",
    }.get(kind, "Check the URL, your network and your proxy settings.")
    return (
        f"Could not reach the {label} {host_of(target)} ({kind}: {_detail(err)}) while "
        f"requesting {where}. {advice}"
    )


def unreachable_error(
    url: httpx.URL | str, err: httpx.HTTPError, what: str = ""
) -> RuntimeUnreachableError:
    """A :class:`RuntimeUnreachableError` (no response) with :func:`unreachable_message`."""
    try:
        target = err.request.url
    except RuntimeError:  # an error raised without a request
        target = httpx.URL(str(url))
    return RuntimeUnreachableError(
        unreachable_message(url, err, what),
        host=host_of(target),
        cause=err,
        timed_out=isinstance(err, httpx.TimeoutException),
    )


_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def naming_saved_account(
    err: RuntimeUnreachableError, name: str, url: str
) -> RuntimeUnreachableError:
    """``err`` again, its message naming the saved account ``name`` and how to fix or drop it.

    A saved account whose ``url`` is on this machine most often points at a local service that
    has since restarted on another port: the message then offers the local service instead.
    Still a host that cannot be reached, never a bad token.
    """
    advice = (
        f"The saved account {name!r} points at {url}. Delete it with "
        f'QiskitRuntimeService.delete_account(name="{name}")'
    )
    if httpx.URL(url).host in _LOOPBACK:
        advice += (
            ', or use the local service of this machine with QiskitRuntimeService(channel="local")'
            " (%qruntime account local)."
        )
    else:
        advice += f', or save it again with save_account(name="{name}", url=..., overwrite=True).'
    return RuntimeUnreachableError(
        f"{err.message} {advice}",
        host=err.host,
        cause=err.cause,
        timed_out=err.timed_out,
    )
