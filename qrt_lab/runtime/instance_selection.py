"""Choosing the instance(s) a service uses (spec §1.8 steps 7-9)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from .api.urls import is_crn
from .exceptions import IBMInputValueError

__all__ = ["PRICING_ORDER", "select_instances"]

logger = logging.getLogger(__name__)

PRICING_ORDER = ("free", "trial", "paygo", "paid", "subscription", "unknown")


def _rank(item: dict[str, Any], plans: Sequence[str] | None) -> int:
    if plans:
        return [p.lower() for p in plans].index(str(item.get("plan", "")).lower())
    pricing = str(item.get("pricing_type") or "unknown").lower()
    return PRICING_ORDER.index(pricing) if pricing in PRICING_ORDER else len(PRICING_ORDER)


def select_instances(
    instances: list[dict[str, Any]],
    instance: str | None,
    region: str | None = None,
    plans_preference: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Return the usable instances, best first.

    Args:
        instances: The instances of the API key (``crn``, ``plan``, ``name``, ``tags``,
            ``pricing_type``).
        instance: A CRN, an instance name, ``"auto"`` or None.
        region: Keep instances whose CRN contains this region.
        plans_preference: Keep only these plans, in this order.
        tags: Keep instances having all these tags.

    Raises:
        IBMInputValueError: The instance is unknown or no instance matches.
    """
    if instance and instance != "auto":
        if is_crn(instance):
            chosen = [i for i in instances if i.get("crn") == instance]
            if not chosen:
                raise IBMInputValueError(
                    "The given API token is associated with an account that does not have access "
                    f"to the instance {instance}. Check the CRN, or list the instances you can use "
                    "with QiskitRuntimeService(...).instances()."
                )
            return chosen
        chosen = [i for i in instances if i.get("name") == instance]
        if not chosen:
            names = sorted({str(i.get("name")) for i in instances})
            raise IBMInputValueError(
                f"No instance named {instance!r} is available to this API key. "
                f"Available instance names: {names}."
            )
        return chosen
    candidates = list(instances)
    if tags:
        wanted = {t.lower() for t in tags}
        candidates = [
            i for i in candidates if wanted <= {str(t).lower() for t in i.get("tags") or []}
        ]
    if region:
        candidates = [i for i in candidates if region in str(i.get("crn", ""))]
    if plans_preference:
        allowed = {p.lower() for p in plans_preference}
        candidates = [i for i in candidates if str(i.get("plan", "")).lower() in allowed]
    if not candidates:
        raise IBMInputValueError(
            "No instance matches the given region, plans_preference and tags "
            f"(region={region!r}, plans_preference={plans_preference!r}, tags={tags!r}). "
            "Relax the filters or pass instance=<CRN>."
        )
    candidates.sort(key=lambda i: _rank(i, plans_preference))
    if instance != "auto" and len(candidates) > 1:
        logger.warning(
            "Default instance not set. Searching all available instances: %s",
            [c.get("crn") for c in candidates],
        )
    return candidates
