"""Base request handlers: JSON bodies, IBM error bodies, request ids, bearer-token checks."""

from __future__ import annotations

import json
import logging
import uuid
from typing import TYPE_CHECKING, Any

import tornado.web

from qrt_lab.local.errors import ApiError, error_body
from qrt_lab.local.storage import is_storage_full, storage_full_error

from .limits import check_query_repeats, parse_json_body

if TYPE_CHECKING:
    from qrt_lab.local.service import LocalService

__all__ = ["ApiHandler", "HealthHandler", "NotFoundHandler", "RuntimeHandler"]

log = logging.getLogger("qrt_lab.local.http")

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
}


class ApiHandler(tornado.web.RequestHandler):
    """JSON handler whose errors are IBM error bodies with the request id as ``trace``."""

    service: LocalService
    trace: str

    def initialize(self, service: LocalService) -> None:
        """Receive the service this handler serves."""
        self.service = service

    def prepare(self) -> None:
        """Give the request an id, echoed in ``trace`` of error bodies; check query repeats."""
        self.trace = uuid.uuid4().hex
        self.set_header("X-Request-Id", self.trace)
        check_query_repeats(self.request.query_arguments)

    def write_json(self, payload: Any, status: int = 200) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def write_json_text(self, text: str) -> None:
        """Finish with JSON that is already serialised."""
        self.set_header("Content-Type", "application/json")
        self.finish(text)

    def no_content(self) -> None:
        """Finish with 204."""
        self.set_status(204)
        self.finish()

    def json_body(self) -> Any:
        """The request body parsed as JSON within the limits of :mod:`.limits` (400/413)."""
        return parse_json_body(self.request.body)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Render every error as an IBM error body; never a traceback."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if exc is not None and is_storage_full(exc):
            exc = storage_full_error(self.service.config.state_dir)
        if isinstance(exc, ApiError):
            status, code, message = exc.status, exc.code, exc.message
        elif isinstance(exc, tornado.web.HTTPError) and status_code < 500:
            status, code = status_code, _STATUS_CODES.get(status_code, "error")
            message = exc.log_message or self._reason
        elif status_code < 500:
            status, code, message = (
                status_code,
                _STATUS_CODES.get(status_code, "error"),
                self._reason,
            )
        else:
            status, code = 500, "internal_error"
            message = f"The local service hit an internal error; its log has trace {self.trace}."
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(error_body(status, code, message, getattr(self, "trace", ""))))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """User mistakes are logged in one line; only real bugs get a traceback."""
        if is_storage_full(value):
            log.warning("%s %s -> 507 storage_full", self.request.method, self.request.path)
        elif isinstance(value, ApiError):
            log.info(
                "%s %s -> %d %s", self.request.method, self.request.path, value.status, value.code
            )
        else:
            super().log_exception(typ, value, tb)


class RuntimeHandler(ApiHandler):
    """A runtime route: checks the bearer token and the ``Service-CRN`` before anything else."""

    instance: str

    def prepare(self) -> None:
        """Authenticate the request."""
        super().prepare()
        self.instance = self.service.authenticate(
            self.request.headers.get("Authorization"), self.request.headers.get("Service-CRN")
        )


class HealthHandler(ApiHandler):
    """``GET /health``: liveness for discovery (no secrets, no auth)."""

    def get(self) -> None:
        """Answer with the service pid."""
        self.write_json(self.service.health())


class NotFoundHandler(ApiHandler):
    """Any unknown path: 404 with an IBM error body."""

    def prepare(self) -> None:
        """Reject the request."""
        super().prepare()
        raise ApiError.not_found(
            f"No route {self.request.method} {self.request.path}. Runtime routes are under "
            "/api/v1 (or /experimental/api/v1)."
        )
