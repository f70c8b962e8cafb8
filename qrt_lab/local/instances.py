"""The service's one instance, as IBM Global Search, Global Catalog and the runtime describe it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

UTC = timezone.utc

__all__ = [
    "INSTANCE_CRN",
    "INSTANCE_NAME",
    "PLAN_ID",
    "catalog_entry",
    "search_response",
    "usage_period_start",
    "usage_response",
]

INSTANCE_CRN = "crn:v1:qrt-lab:local:quantum-computing:local:a/qrt-lab:local-instance::"
INSTANCE_NAME = "local-simulator"
PLAN_ID = "qrt-lab-local-plan"
PLAN_NAME = "Local"
PRICING_TYPE = "free"


def search_response() -> dict[str, Any]:
    """Body of ``POST /v3/resources/search``: the instance, with no ``search_cursor``."""
    return {
        "items": [
            {
                "crn": INSTANCE_CRN,
                "name": INSTANCE_NAME,
                "service_plan_unique_id": PLAN_ID,
                "tags": [],
                "doc": {"extensions": {"allocated": True, "provider": "qrt-lab"}},
            }
        ],
        "limit": 100,
    }


def catalog_entry(plan_id: str) -> dict[str, Any] | None:
    """Body of ``GET /globalcatalog/api/v1/{plan_id}``, or None for an unknown plan."""
    if plan_id != PLAN_ID:
        return None
    return {
        "id": PLAN_ID,
        "name": PLAN_NAME.lower(),
        "kind": "plan",
        "overview_ui": {"en": {"display_name": PLAN_NAME, "description": "qrt-lab local service"}},
        "metadata": {"pricing": {"type": PRICING_TYPE}},
    }


def usage_period_start(now: datetime) -> datetime:
    """Start of the usage period containing ``now``: the first of the month, UTC."""
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def usage_response(consumed_seconds: float, now: datetime) -> dict[str, Any]:
    """Body of ``GET /instances/usage``: simulated time consumed this period, no limit."""
    start = usage_period_start(now)
    if start.month == 12:
        end = start.replace(year=start.year + 1, month=1)
    else:
        end = start.replace(month=start.month + 1)
    return {
        "instance_id": INSTANCE_CRN,
        "plan_id": PLAN_ID,
        "usage_period": {"start_time": _iso(start), "end_time": _iso(end)},
        "usage_consumed_seconds": round(consumed_seconds, 6),
        "usage_limit_reached": False,
    }


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
