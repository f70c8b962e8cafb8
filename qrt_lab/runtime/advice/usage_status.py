"""The account's remaining usage, asked once and remembered briefly.

``GET /instances/usage`` is asked at most once per :data:`USAGE_TTL_SECONDS` per service, so a
warning check before every submission costs no extra request in a burst of jobs; an unlimited
account (no limit reported) is remembered as such for the same time.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from typing import Any

__all__ = ["USAGE_TTL_SECONDS", "forget_usage", "remaining_seconds"]

#: Seconds a usage answer is reused.
USAGE_TTL_SECONDS = 60.0

_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary[Any, tuple[float, float | None]] = weakref.WeakKeyDictionary()


def remaining_seconds(service: Any, *, max_age: float = USAGE_TTL_SECONDS) -> float | None:
    """Seconds of usage the service's active instance has left (None: unlimited or unknown).

    Never raises: a failed request counts as unknown (and is asked again next time).
    """
    now = time.monotonic()
    with _lock:
        hit = _cache.get(service)
    if hit is not None and now - hit[0] < max_age:
        return hit[1]
    try:
        usage = service.usage()
    except Exception:  # noqa: BLE001 - usage is advisory: never stop a ranking or a job
        return None
    value = usage.get("usage_remaining_seconds") if isinstance(usage, dict) else None
    remaining = float(value) if isinstance(value, (int, float)) else None
    with _lock, contextlib.suppress(TypeError):  # not weak-referenceable: ask every time
        _cache[service] = (now, remaining)
    return remaining


def forget_usage(service: Any | None = None) -> None:
    """Forget the remembered usage of ``service`` (all services if None)."""
    with _lock:
        if service is None:
            _cache.clear()
        else:
            _cache.pop(service, None)
