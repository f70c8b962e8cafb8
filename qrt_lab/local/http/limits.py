"""Parsing limits of the local service, applied once at the HTTP boundary by every handler.

Hostile or unlucky input (JSON nested a thousand levels deep, numbers with thousands of digits,
a thousand repeats of one query parameter, oversized bodies) is refused here with a 400 or 413
that names the field and the limit, before it can reach the store or a worker. The limits are
documented in docs/local-service.md ("Input limits").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from tornado import httputil

from qrt_lab.local.errors import ApiError
from qrt_lab.runtime.api import bounded_json
from qrt_lab.runtime.api.bounded_json import MAX_JSON_DEPTH, MAX_NUMBER_CHARS

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_NUMBER_CHARS",
    "MAX_REPEATED_PARAM",
    "MAX_SMALL_BODY_BYTES",
    "check_body_size",
    "check_query_repeats",
    "configure_http_layer",
    "is_finite_number",
    "is_int",
    "parse_json_body",
    "parse_json_text",
    "query_int",
]

MAX_REPEATED_PARAM = 100
MAX_SMALL_BODY_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
# tornado refuses more query fields than this with a bare 400; above any 64 KiB request line
_TORNADO_MAX_ARGUMENTS = MAX_HEADER_BYTES // 2


def is_int(value: Any) -> bool:
    """Whether a decoded JSON value is an integer (``true``/``false`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_finite_number(value: Any) -> bool:
    """Whether a decoded JSON value is a finite number that fits a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def configure_http_layer() -> None:
    """Let every query string within ``MAX_HEADER_BYTES`` reach the handlers (process-wide).

    Tornado (>= 6.5.5) answers more than 1000 query fields with a 400 that has no body; raising
    its limit lets :func:`check_query_repeats` answer with an IBM error body instead. Only the
    local service's own process calls this.
    """
    config_class = getattr(httputil, "ParseBodyConfig", None)
    if config_class is None:
        return
    config = config_class()
    if hasattr(config, "urlencoded"):  # tornado >= 6.5.8
        config.urlencoded.max_arguments = _TORNADO_MAX_ARGUMENTS
        httputil.set_parse_body_config(config)


def parse_json_text(text: str | bytes, what: str = "The request body") -> Any:
    """Parse JSON within the limits, or raise a 400 naming the field and the limit.

    Args:
        text: The JSON document.
        what: How to name the document in messages ("The request body", ...).

    Raises:
        ApiError: 400 for malformed JSON, nesting deeper than ``MAX_JSON_DEPTH``, numbers longer
            than ``MAX_NUMBER_CHARS``, numbers beyond the float range and NaN/Infinity.
    """
    try:
        return bounded_json.loads(text)
    except bounded_json.JsonLimitError as exc:
        field = f"'{exc.field}'" if exc.field else what
        raise ApiError.bad_request(f"{field} {exc.problem}.") from None
    except UnicodeDecodeError:
        raise ApiError.bad_request(f"{what} is not UTF-8 text; send JSON.") from None
    except json.JSONDecodeError as exc:
        raise ApiError.bad_request(
            f"{what} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
            "Send a JSON object."
        ) from None


def check_body_size(raw: bytes, limit: int = MAX_SMALL_BODY_BYTES) -> None:
    """Raise a 413 if ``raw`` is longer than ``limit`` bytes."""
    if len(raw) > limit:
        raise ApiError(
            413,
            "payload_too_large",
            f"The request body is {len(raw)} bytes; this route accepts at most {limit} bytes.",
        )


def parse_json_body(raw: bytes, limit: int | None = MAX_SMALL_BODY_BYTES) -> Any:
    """Parse a request body as JSON within the size and parsing limits (400/413 otherwise).

    Args:
        raw: The body.
        limit: Largest accepted size in bytes; ``None`` when the caller has already checked it.
    """
    if limit is not None:
        check_body_size(raw, limit)
    if not raw:
        raise ApiError.bad_request("The request body is empty; send a JSON object.")
    return parse_json_text(raw)


def check_query_repeats(arguments: Mapping[str, list[bytes]]) -> None:
    """Raise a 400 if a query parameter is repeated more than ``MAX_REPEATED_PARAM`` times."""
    for name, values in arguments.items():
        if len(values) > MAX_REPEATED_PARAM:
            raise ApiError.bad_request(
                f"Query parameter {name!r} is given {len(values)} times; the limit is "
                f"{MAX_REPEATED_PARAM}."
            )


def query_int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    """A query parameter as an integer from ``low`` to ``high`` (400 naming it otherwise)."""
    if value is None or value == "":
        return default
    text = value.strip()
    digits = text.lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise ApiError.bad_request(f"'{name}' must be an integer, not {shown!r}.")
    if len(digits) > MAX_NUMBER_CHARS:
        raise ApiError.bad_request(
            f"'{name}' has {len(digits)} digits; it must be an integer from {low} to {high}."
        )
    number = int(text)
    if not low <= number <= high:
        raise ApiError.bad_request(f"'{name}' must be an integer from {low} to {high}.")
    return number
