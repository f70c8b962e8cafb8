"""Base of every qrt-lab REST handler: JSON in, JSON out, errors as ``{code, message, hint}``."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.base.handlers import APIHandler

from qrt_lab.runtime.api import bounded_json

from ..encoded_body import EncodedBody
from ..problems import ApiProblem, redact

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_REPEATED_PARAM",
    "QrtApiHandler",
    "check_query_repeats",
    "parse_json",
    "query_int",
]

#: Limits of hostile input, besides bounded_json's depth and number limits (server-api.md).
MAX_BODY_BYTES = 1024 * 1024
MAX_REPEATED_PARAM = 100


def parse_json(raw: str | bytes, what: str = "The request body") -> Any:
    """Parse JSON from outside within the limits, or raise a 400 ``ApiProblem`` naming the field.

    Args:
        raw: The JSON text.
        what: How messages name the document ("The request body", "The message").
    """
    if len(raw) > MAX_BODY_BYTES:
        raise ApiProblem(
            413,
            "too_large",
            f"{what} is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}.",
            "Send a smaller JSON object.",
        )
    try:
        return bounded_json.loads(raw)
    except bounded_json.JsonLimitError as exc:
        field = f"'{exc.field}'" if exc.field else what
        raise ApiProblem(
            400, "bad_json", f"{field} {exc.problem}.", "Send a plain JSON object."
        ) from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise ApiProblem(
            400, "bad_json", f"{what} is not valid JSON.", "Send a JSON object."
        ) from None


def check_query_repeats(arguments: dict[str, list[bytes]]) -> None:
    """Raise a 400 ``ApiProblem`` if one query parameter is repeated too often."""
    for name, values in arguments.items():
        if len(values) > MAX_REPEATED_PARAM:
            raise ApiProblem(
                400,
                "bad_query",
                f"Query parameter '{name}' is given {len(values)} times; the limit is "
                f"{MAX_REPEATED_PARAM}.",
                "Send fewer values.",
            )


def query_int(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    """A query parameter as a whole number from ``low`` to ``high`` (400 ``ApiProblem`` else)."""
    if raw is None:
        return default
    # isdecimal, not isdigit: int() refuses some "digits" such as '²'; length before int()
    ok = raw.isascii() and raw.isdecimal() and len(raw) <= bounded_json.MAX_NUMBER_CHARS
    if not ok or not low <= int(raw) <= high:
        raise ApiProblem(
            400,
            "bad_query",
            f"'{name}' must be a whole number from {low} to {high}.",
            f"Send for example {name}={default}.",
        )
    return int(raw)


#: What to do next for errors raised by tornado or jupyter_server themselves.
HINTS = {
    400: "Check the request body and parameters.",
    403: "Log in to Jupyter again (the request lacked a valid token or XSRF cookie).",
    404: "Check the URL.",
    405: "This endpoint does not support that method.",
}


class QrtApiHandler(APIHandler):
    """JSON API handler whose errors are ``{"code": ..., "message": ..., "hint": ...}``.

    Subclasses must decorate every HTTP method with ``tornado.web.authenticated``;
    ``tests/server/test_route_auth.py`` fails for any route that answers without it.
    """

    def write_json(self, payload: Any, status: int = 200) -> None:
        """Finish the request with a JSON body.

        Args:
            payload: Any JSON-serialisable value.
            status: The HTTP status code.
        """
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def write_encoded(self, body: EncodedBody) -> None:
        """Finish a GET with JSON encoded before, or ``304`` when ``If-None-Match`` matches it.

        The same ETag tornado would compute from these bytes, without hashing them again.
        """
        self.set_header("Content-Type", "application/json")
        self.set_header("Etag", body.etag)
        if self.check_etag_header():
            self.set_status(304)
            self.finish()
            return
        self.finish(body.data)

    async def prepare(self) -> None:  # type: ignore[override]
        """Authenticate (jupyter_server), then refuse a query parameter repeated too often."""
        await super().prepare()
        if self.current_user is not None:
            check_query_repeats(self.request.query_arguments)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Render errors as ``{code, message, hint}``; a 500 never shows the exception text."""
        exc_info = kwargs.get("exc_info")
        exc = exc_info[1] if exc_info else None
        if isinstance(exc, ApiProblem):
            self.set_status(exc.status)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(exc.to_json(self.known_secrets())))
            return
        message = getattr(exc, "log_message", None) or self._reason or "error"
        if status_code >= 500:
            message = "Internal error in the qrt-lab server extension; see the server log."
        self.set_header("Content-Type", "application/json")
        self.finish(
            json.dumps(
                {
                    "code": status_code,
                    "message": redact(str(message), self.known_secrets()),
                    "hint": HINTS.get(status_code, ""),
                }
            )
        )

    def known_secrets(self) -> list[str]:
        """API keys to blank out of error messages (none known at this level)."""
        return []
