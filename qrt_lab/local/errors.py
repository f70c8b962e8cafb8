"""API errors of the local service, rendered as IBM error bodies.

Every user mistake becomes an :class:`ApiError` with an HTTP status, a short machine code and a
message that says what is wrong and how to fix it. The handler base class renders it as
``{"errors": [{"code", "message", "more_info"}], "trace": <request id>}``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MORE_INFO", "ApiError", "error_body"]

MORE_INFO = "https://docs.quantum.ibm.com/errors"


class ApiError(Exception):
    """A request the service refuses, with the HTTP status and IBM error code to answer with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    @classmethod
    def bad_request(cls, message: str, code: str = "invalid_request") -> ApiError:
        """400: the request is malformed or has a wrong value."""
        return cls(400, code, message)

    @classmethod
    def not_found(cls, message: str, code: str = "not_found") -> ApiError:
        """404: the named resource does not exist."""
        return cls(404, code, message)

    @classmethod
    def conflict(cls, message: str, code: str = "conflict") -> ApiError:
        """409: the resource is in a state that forbids the request."""
        return cls(409, code, message)


def error_body(status: int, code: str, message: str, trace: str) -> dict[str, Any]:
    """Return IBM's error body for one error."""
    return {
        "errors": [{"code": code, "message": message, "more_info": MORE_INFO}],
        "trace": trace,
        "status_code": status,
    }
