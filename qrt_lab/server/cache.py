"""A tiny time-to-live cache for runtime answers (backends, calibrations, sessions)."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any

__all__ = ["TtlCache"]


class TtlCache:
    """Values that expire ``ttl`` seconds after they were stored.

    Args:
        ttl: Lifetime in seconds.
        max_entries: Oldest entries are dropped beyond this size.
    """

    def __init__(self, ttl: float, max_entries: int = 256) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._items: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable) -> Any | None:
        """The stored value, or None when missing or expired."""
        item = self._items.get(key)
        if item is None:
            return None
        stamp, value = item
        if time.monotonic() - stamp > self.ttl:
            self._items.pop(key, None)
            return None
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Store ``value`` under ``key``."""
        self._items.pop(key, None)
        self._items[key] = (time.monotonic(), value)
        while len(self._items) > self.max_entries:
            self._items.pop(next(iter(self._items)))

    def clear(self) -> None:
        """Forget everything (e.g. when the active account changes)."""
        self._items.clear()
