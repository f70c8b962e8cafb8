"""The service's one instance, as IBM Global Search, Global Catalog and the runtime describe it."""

from __future__ import annotations

import math
import os
from datetime import datetime, timezone
from typing import Any

UTC = timezone.utc

__all__ = [
    "INSTANCE_CRN",
    "INSTANCE_NAME",
    "PLAN_ID",
    "USAGE_ALLOCATION_ENV",
    "USAGE_ALLOCATION_SECONDS",
    "catalog_entry",
    "resource_instance",
    "search_response",
    "usage_allocation_seconds",
    "usage_period_start",
    "usage_response",
]

INSTANCE_CRN = "crn:v1:qrt-lab:local:quantum-computing:local:a/qrt-lab:local-instance::"
INSTANCE_NAME = "local-simulator"
PLAN_ID = "qrt-lab-local-plan"
PLAN_NAME = "Local"
PRICING_TYPE = "free"
#: Simulated QPU seconds the local plan allots per month (reported, not enforced: jobs still run).
#: A round 1000 h, so the sidebar reads "of 1000 h" (1,000,000 s read "of 277 h 46 min 40 s").
USAGE_ALLOCATION_SECONDS = 1000 * 3600
#: Environment variable overriding the allotment (whole seconds >= 0; e.g. to try usage warnings).
USAGE_ALLOCATION_ENV = "QRT_LAB_LOCAL_USAGE_SECONDS"


def usage_allocation_seconds() -> int:
    """The allotment: ``$QRT_LAB_LOCAL_USAGE_SECONDS`` if a whole number >= 0, else the default."""
    raw = os.environ.get(USAGE_ALLOCATION_ENV, "").strip()
    return int(raw) if raw.isdigit() else USAGE_ALLOCATION_SECONDS


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


def resource_instance(crn: str) -> dict[str, Any] | None:
    """Body of Resource Controller ``GET /v2/resource_instances/{crn}``, or None if unknown."""
    if crn != INSTANCE_CRN:
        return None
    return {
        "id": INSTANCE_CRN,
        "guid": "local-instance",
        "crn": INSTANCE_CRN,
        "url": f"/v2/resource_instances/{INSTANCE_CRN}",
        "name": INSTANCE_NAME,
        "region_id": "local",
        "account_id": "qrt-lab",
        "resource_plan_id": PLAN_ID,
        "resource_id": "quantum-computing",
        "state": "active",
        "type": "service_instance",
        "allow_cleanup": False,
        "locked": False,
        "created_at": "2026-01-01T00:00:00.000Z",
    }


def usage_period_start(now: datetime) -> datetime:
    """Start of the usage period containing ``now``: the first of the month, UTC."""
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def usage_response(consumed_seconds: float, now: datetime) -> dict[str, Any]:
    """Body of ``GET /instances/usage``: simulated time consumed this period and the allotment.

    Seconds are whole numbers, consumed ones rounded up, as the platform reports them (the
    official client subtracts them to compute ``usage_remaining_seconds``).
    """
    consumed = math.ceil(round(consumed_seconds, 6))
    allocation = usage_allocation_seconds()
    start = usage_period_start(now)
    if start.month == 12:
        end = start.replace(year=start.year + 1, month=1)
    else:
        end = start.replace(month=start.month + 1)
    return {
        "instance_id": INSTANCE_CRN,
        "plan_id": PLAN_ID,
        "usage_period": {"start_time": _iso(start), "end_time": _iso(end)},
        "usage_consumed_seconds": consumed,
        "usage_limit_seconds": allocation,
        "usage_allocation_seconds": allocation,
        "usage_remaining_seconds": max(allocation - consumed, 0),
        "usage_limit_reached": consumed >= allocation,
    }


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
