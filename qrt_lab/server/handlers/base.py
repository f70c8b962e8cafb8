"""Base of every qrt-lab REST handler: JSON in, JSON out, errors as ``{code, message, hint}``."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.base.handlers import APIHandler

from ..problems import redact

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

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Render errors as ``{code, message, hint}``; a 500 never shows the exception text."""
        exc_info = kwargs.get("exc_info")
        exc = exc_info[1] if exc_info else None
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
