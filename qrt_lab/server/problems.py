"""Errors the browser sees: ``{code, message, hint}`` with an HTTP status (no tornado here).

Handlers raise :class:`ApiProblem` for user mistakes; :func:`problem_from_exception` turns the
runtime client's exceptions into one with ``isinstance`` against ``qrt_lab.runtime.exceptions``
(and discovery's ``LocalServiceError``). It looks those modules up in ``sys.modules`` instead of
importing them: an exception of theirs exists only once they are imported, and the extension
imports the client off the event loop (``lazy_runtime``). Every message goes through
:func:`redact` so an API key or bearer token can never reach the browser.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Any

__all__ = [
    "LOCAL_STOPPED_HINT",
    "ApiProblem",
    "is_unreachable",
    "problem_from_exception",
    "redact",
]

_BEARER = re.compile(r"(?i)(bearer|apikey)\s+[A-Za-z0-9._\-~+/=]{8,}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove API keys, bearer tokens and anything JWT-shaped from ``text``.

    Args:
        text: A message that may be shown to the user or logged.
        secrets: Known secret values (API keys) to blank out wherever they appear.

    Returns:
        The text with secrets replaced by ``***``.
    """
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    text = _BEARER.sub(lambda m: f"{m.group(1)} ***", text)
    return _JWT.sub("***", text)


class ApiProblem(Exception):
    """A request the extension cannot serve, explained for the user.

    Args:
        status: HTTP status (4xx for user mistakes, 502/503 when the runtime is unreachable).
        code: A stable machine-readable code (``"not_found"``, ``"bad_request"``...).
        message: What went wrong.
        hint: What to do next.
    """

    def __init__(self, status: int, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint

    def to_json(self, secrets: Iterable[str] = ()) -> dict[str, Any]:
        """The JSON body ``{code, message, hint}`` with secrets redacted."""
        keys = list(secrets)
        return {
            "code": self.code,
            "message": redact(self.message, keys),
            "hint": redact(self.hint, keys),
        }


def _is(exc: BaseException, module: str, *names: str) -> bool:
    """Whether ``exc`` is an instance of one of ``module``'s classes ``names``."""
    loaded = sys.modules.get(module)
    if loaded is None:  # not imported yet: nothing can be an instance of its classes
        return False
    return isinstance(exc, tuple(getattr(loaded, name) for name in names))


def is_unreachable(exc: BaseException) -> bool:
    """Whether no response came back (``RuntimeUnreachableError``): the host was not reached."""
    return _is(exc, _EXCEPTIONS, "RuntimeUnreachableError")


_EXCEPTIONS = "qrt_lab.runtime.exceptions"
_DISCOVERY = "qrt_lab.runtime.api.discovery"


#: What to do when the local service stopped answering (its discovery file may still be there).
LOCAL_STOPPED_HINT = (
    "The local runtime service is not running: start it with `python -m qrt_lab.local serve`; "
    "the panel reconnects by itself."
)


def problem_from_exception(
    exc: BaseException, what: str = "the request", *, local: bool = False
) -> ApiProblem:
    """Map an exception of the runtime client (or discovery) to an :class:`ApiProblem`.

    Args:
        exc: The exception raised while serving the request.
        what: A few words naming the resource, used in messages ("job abc").
        local: Whether the runtime is the local service (an unreachable one says how to start it).

    Returns:
        The problem to send; unknown exceptions become a 502 "runtime_error", never a 500.
    """
    if isinstance(exc, ApiProblem):
        return exc
    api_error = _is(exc, _EXCEPTIONS, "RequestsApiError")
    status = getattr(exc, "status_code", None) if api_error else None
    text = str(exc) or type(exc).__name__
    if _is(exc, _EXCEPTIONS, "IBMNotAuthorizedError") or status in (401, 403):
        return ApiProblem(
            424,
            "account_rejected",
            f"The runtime rejected the active account's credentials: {text}",
            "Check the API key of the active account, or add the account again with a new key.",
        )
    if _is(exc, _DISCOVERY, "LocalServiceError"):
        return ApiProblem(
            503,
            "local_service_unavailable",
            text,
            "Start it with `python -m qrt_lab.local serve`, or add an IBM Quantum account.",
        )
    if status == 404 or _is(exc, _EXCEPTIONS, "RuntimeJobNotFound"):
        return ApiProblem(404, "not_found", f"The runtime has no {what}.", "Check the id.")
    if status == 409 or _is(exc, _EXCEPTIONS, "RuntimeInvalidStateError"):
        return ApiProblem(
            409,
            "invalid_state",
            f"The runtime refused to change {what} in its current state: {text}",
            "Refresh: the job or session may already be final.",
        )
    if is_unreachable(exc):  # no response: the message names the host and the transport error
        return ApiProblem(
            502,
            "runtime_unavailable",
            text,
            LOCAL_STOPPED_HINT
            if local
            else "Check the account URL, your network and proxy settings; the live monitor "
            "keeps retrying in the background.",
        )
    if isinstance(status, int) and status >= 500:
        return ApiProblem(
            502,
            "runtime_unavailable",
            f"The runtime could not be reached or failed: {text}",
            "Try again in a moment; the live monitor keeps retrying in the background.",
        )
    if isinstance(status, int) and 400 <= status < 500:
        return ApiProblem(400, "runtime_rejected", text, "Check the values you sent.")
    if _is(exc, _EXCEPTIONS, "InvalidAccountError", "AccountNotFoundError"):
        return ApiProblem(400, "invalid_account", text, "Check the account's fields.")
    return ApiProblem(
        502,
        "runtime_error",
        f"{type(exc).__name__} while serving {what}: {text}",
        "Try again; if it persists, check the server log.",
    )
