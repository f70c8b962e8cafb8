"""Timestamps of the runtime API: ISO-8601 strings (``...Z`` or with an offset) as aware datetimes.

The one place that reads them, for the client, the server extension and the local service.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

__all__ = ["parse_timestamp", "read_timestamp"]


def read_timestamp(text: str) -> datetime:
    """An aware datetime from an ISO-8601 string; a naive one is taken as UTC.

    Raises:
        ValueError: ``text`` is not an ISO-8601 time.
    """
    stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def parse_timestamp(text: Any) -> datetime | None:
    """Like :func:`read_timestamp`, but ``None`` for anything that is not an ISO-8601 string."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return read_timestamp(text)
    except ValueError:
        return None
