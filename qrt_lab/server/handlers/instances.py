"""``GET /qrt-lab/api/instances`` and ``GET /qrt-lab/api/usage`` for the active account."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tornado import web

from .runtime_base import RuntimeApiHandler

if TYPE_CHECKING:
    from ...runtime.api.rest import AsyncRuntimeRest


__all__ = ["InstancesHandler", "UsageHandler"]


class InstancesHandler(RuntimeApiHandler):
    """The instances the active account's key can use (Global Search + Catalog)."""

    @web.authenticated
    async def get(self) -> None:
        """Return ``{"instances": [{crn, name, plan, tags, pricing_type, active}]}``."""
        instances = importlib.import_module("qrt_lab.runtime.api.instances")
        factory = self.qrt.hub.transport_factory
        runtime = await self.runtime()

        async def listing(rest: AsyncRuntimeRest) -> list[dict[str, Any]]:
            transport = factory(runtime.ref) if factory else None
            found: list[dict[str, Any]] = await instances.alist_instances(
                rest.connection, transport
            )
            return found

        _, found = await self.call("instances", listing, "instances")
        rows = [
            {
                "crn": item.get("crn"),
                "name": item.get("name"),
                "plan": item.get("plan"),
                "tags": item.get("tags") or [],
                "pricing_type": item.get("pricing_type"),
                "active": item.get("crn") == runtime.rest.connection.instance,
            }
            for item in found
        ]
        self.write_json({"account": runtime.ref.to_json(), "instances": rows})


def usage_view(usage: dict[str, Any]) -> dict[str, Any]:
    """Consumed, limit and remaining seconds (remaining as the official client computes it)."""
    consumed = usage.get("usage_consumed_seconds")
    limit = usage.get("usage_limit_seconds") or usage.get("usage_allocation_seconds")
    remaining = None
    if isinstance(limit, int | float) and isinstance(consumed, int | float):
        remaining = max(float(limit) - float(consumed), 0.0)
    return {
        "instance": usage.get("instance_id"),
        "plan": usage.get("plan_id"),
        "period": usage.get("usage_period"),
        "consumed_seconds": consumed,
        "limit_seconds": limit,
        "remaining_seconds": remaining,
        "limit_reached": bool(usage.get("usage_limit_reached", False)),
    }


class UsageHandler(RuntimeApiHandler):
    """Usage of the active instance: consumed, limit and remaining seconds."""

    @web.authenticated
    async def get(self) -> None:
        """Return the usage summary of the active instance."""
        runtime, usage = await self.call("usage", lambda rest: rest.usage(), "usage")
        self.write_encoded(
            self.qrt.encoded.body(
                ("usage", runtime.ref.key),
                (usage, runtime.ref),
                lambda: {"account": runtime.ref.to_json(), **usage_view(usage or {})},
            )
        )
