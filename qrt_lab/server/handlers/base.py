"""Base of every qrt-lab REST handler: JSON in, JSON out, errors as ``{code, message}``."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.base.handlers import APIHandler


class QrtApiHandler(APIHandler):
    """JSON API handler whose errors are ``{"code": ..., "message": ...}``.

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
        """Render errors as ``{code, message}`` so the frontend can show them."""
        reason = self._reason or "error"
        message = reason
        exc_info = kwargs.get("exc_info")
        if exc_info is not None:
            exc = exc_info[1]
            message = getattr(exc, "log_message", None) or str(exc) or reason
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"code": status_code, "message": message}))
