"""JSON parsing within limits: nesting depth, number length, float range, no NaN/Infinity.

One parser for every boundary that reads JSON from outside (the local service's request bodies
and token claims, the server extension's request bodies and websocket messages), so hostile
input becomes one error that names the field and the limit instead of a RecursionError or a
``ValueError`` from ``int()`` deep inside a handler.
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["MAX_JSON_DEPTH", "MAX_NUMBER_CHARS", "JsonLimitError", "loads"]

MAX_JSON_DEPTH = 64
MAX_NUMBER_CHARS = 100


class JsonLimitError(ValueError):
    """JSON that breaks a limit.

    Attributes:
        field: Where, as a path such as ``params.pubs[0][2]`` (empty for the whole document).
        problem: What is wrong, naming the limit.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field or 'the document'} {problem}")
        self.field = field
        self.problem = problem


class _BadNumber:
    """Stands in for a refused JSON number until its field is known."""

    __slots__ = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem


def _parse_int(text: str) -> int | _BadNumber:
    digits = len(text.lstrip("-"))
    if digits > MAX_NUMBER_CHARS:
        return _BadNumber(
            f"is an integer with {digits} digits; numbers may have at most {MAX_NUMBER_CHARS} "
            "digits"
        )
    return int(text)


def _parse_float(text: str) -> float | _BadNumber:
    if len(text) > MAX_NUMBER_CHARS:
        return _BadNumber(
            f"is a number written with {len(text)} characters; numbers may have at most "
            f"{MAX_NUMBER_CHARS}"
        )
    value = float(text)
    if math.isinf(value):
        return _BadNumber(f"is {text}, beyond the float range (about ±1.8e308)")
    return value


def _parse_constant(text: str) -> _BadNumber:
    return _BadNumber(f"is {text}, which is not JSON; send a finite number")


def _has_problem(document: Any) -> bool:
    """Whether any node breaks a limit (iterative, no paths: the fast pass for good input)."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, _BadNumber):
            return True
        if isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def _first_problem(document: Any) -> tuple[list[str | int], str]:
    stack: list[tuple[Any, int, list[str | int]]] = [(document, 0, [])]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, _BadNumber):
            return path, value.problem
        if isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                return path, f"nests JSON deeper than {MAX_JSON_DEPTH} levels"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((child, depth + 1, [*path, key]) for key, child in items)
    return [], "breaks a parsing limit"


def _field(path: list[str | int]) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def loads(text: str | bytes) -> Any:
    """Parse JSON within ``MAX_JSON_DEPTH`` levels and ``MAX_NUMBER_CHARS``-long finite numbers.

    Raises:
        JsonLimitError: A limit is broken (the error names the field and the limit).
        json.JSONDecodeError: The text is not JSON.
        UnicodeDecodeError: The bytes are not UTF-8 (or UTF-16/32) text.
    """
    try:
        document = json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except RecursionError:
        raise JsonLimitError(
            "", f"nests JSON too deeply; the limit is {MAX_JSON_DEPTH} levels"
        ) from None
    if _has_problem(document):
        path, problem = _first_problem(document)
        raise JsonLimitError(_field(path), problem)
    return document
