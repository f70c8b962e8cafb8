"""Timestamps of the runtime API: ISO-8601 strings, read leniently into aware datetimes."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

__all__ = ["parse_timestamp"]


def parse_timestamp(text: Any) -> datetime | None:
    """An aware datetime from an ISO-8601 string (naive ones are taken as UTC), else ``None``."""
    if not isinstance(text, str) or not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
