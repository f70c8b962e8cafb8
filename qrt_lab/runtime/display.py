"""Rich display of client objects through formatters registered from outside the client.

The client draws nothing and knows no Jupyter: ``IBMBackend``, ``RuntimeJobV2``, ``Session``/
``Batch`` and ``QiskitRuntimeService`` define ``_repr_mimebundle_`` to ask this registry for a
formatter of their kind. :mod:`qrt_lab.widgets` registers its HTML summaries and live widgets
when it is imported (or on ``%load_ext qrt_lab``). The package root names that registration as
the default (:func:`set_default_formatters`), so the first rich display loads it without the
client importing widgets; without any formatter, the plain ``repr`` is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

__all__ = [
    "KINDS",
    "Formatter",
    "mimebundle",
    "register_formatter",
    "set_default_formatters",
    "unregister_formatter",
]

#: The kinds of objects that ask for a formatter.
KINDS = ("backend", "job", "session", "service")

#: ``formatter(obj, include, exclude)`` → a MIME bundle, or None to fall back to ``repr``.
Formatter = Callable[[Any, Container[str] | None, Container[str] | None], dict[str, Any] | None]

_FORMATTERS: dict[str, Formatter] = {}
_DEFAULTS: list[Callable[[], None]] = []


def set_default_formatters(provider: Callable[[], None]) -> None:
    """Call ``provider`` once, at the first display that finds no formatter, to register defaults.

    Args:
        provider: Registers formatters with :func:`register_formatter`; a failure is ignored
            (the plain ``repr`` is shown).
    """
    _DEFAULTS[:] = [provider]


def _formatter(kind: str) -> Formatter | None:
    if kind not in _FORMATTERS and _DEFAULTS:
        provider = _DEFAULTS.pop()
        try:
            provider()
        except Exception:  # noqa: BLE001 - a display must never break the cell
            return None
    return _FORMATTERS.get(kind)


def register_formatter(kind: str, formatter: Formatter) -> None:
    """Use ``formatter`` to display objects of ``kind`` (one of :data:`KINDS`).

    Raises:
        ValueError: An unknown kind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown display kind {kind!r}; expected one of {', '.join(KINDS)}")
    _FORMATTERS[kind] = formatter


def unregister_formatter(kind: str) -> None:
    """Go back to the plain ``repr`` for ``kind``."""
    _FORMATTERS.pop(kind, None)


def mimebundle(
    obj: Any,
    kind: str,
    include: Container[str] | None = None,
    exclude: Container[str] | None = None,
) -> dict[str, Any]:
    """The MIME bundle of ``obj``: the registered formatter's, else ``{"text/plain": repr}``.

    A formatter that fails falls back to the plain text, so displaying never raises.
    """
    formatter = _formatter(kind)
    if formatter is not None:
        try:
            bundle = formatter(obj, include, exclude)
        except Exception:  # noqa: BLE001 - a display must never break the cell
            bundle = None
        if bundle:
            return bundle
    return {"text/plain": repr(obj)}
