"""Instance discovery through IBM Cloud Global Search and Global Catalog (spec §2.4).

Both the sync and the async lister share :class:`InstanceListing`, which builds the requests and
reads the answers; only the sending differs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from typing import Any

import httpx

from qrt_lab.runtime.exceptions import IBMNotAuthorizedError, InvalidAccountError

from .auth import IAM_TIMEOUT, IAMAuth
from .connection import RuntimeConnection, tls_verify
from .reachability import unreachable_error
from .transport import AsyncRetryTransport, RetryTransport

__all__ = ["InstanceListing", "alist_instances", "list_instances"]

logger = logging.getLogger(__name__)

_SEARCH_FIELDS = ["crn", "service_plan_unique_id", "name", "doc", "tags"]
_TIMEOUT = 60.0


class InstanceListing:
    """The request/answer steps of an instance listing, as a generator of requests.

    The generator yields ``httpx.Request`` objects and receives ``httpx.Response`` objects (or
    None when sending failed); its return value is the list of instances, each a dict with
    ``crn``, ``plan``, ``name``, ``tags`` and ``pricing_type``.
    """

    def __init__(self, connection: RuntimeConnection) -> None:
        self.search_url = f"{connection.urls.search}/v3/resources/search"
        self.catalog_url = connection.urls.catalog

    def flow(self) -> Generator[httpx.Request, httpx.Response | None, list[dict[str, Any]]]:
        """Run the listing (see the class docstring)."""
        instances: list[dict[str, Any]] = []
        plans: dict[str, tuple[str, str]] = {}
        cursor: str | None = None
        while True:
            body: dict[str, Any] = {
                "query": "service_name:quantum-computing",
                "fields": _SEARCH_FIELDS,
            }
            if cursor:
                body["search_cursor"] = cursor
            response = yield httpx.Request(
                "POST",
                self.search_url,
                params={"limit": "100"},
                content=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Accept": "application/json"},
            )
            page = self._search_page(response)
            for item in page.get("items") or []:
                if not isinstance(item, dict) or not (item.get("doc") or {}).get("extensions"):
                    continue
                plan_id = str(item.get("service_plan_unique_id") or "")
                if plan_id not in plans:
                    reply = yield httpx.Request(
                        "GET",
                        f"{self.catalog_url}/{plan_id}",
                        headers={"Accept": "application/json"},
                    )
                    plans[plan_id] = self._plan(reply, item.get("crn"))
                plan, pricing = plans[plan_id]
                instances.append(
                    {
                        "crn": item.get("crn"),
                        "plan": plan,
                        "name": item.get("name"),
                        "tags": list(item.get("tags") or []),
                        "pricing_type": pricing,
                    }
                )
            cursor = page.get("search_cursor")
            if not cursor:
                return instances

    def required(self, request: httpx.Request) -> bool:
        """True for the Global Search requests (a catalog lookup may fail: plan "unknown")."""
        return str(request.url).startswith(self.search_url)

    def _search_page(self, response: httpx.Response | None) -> dict[str, Any]:
        if response is not None and response.status_code in (401, 403):
            raise IBMNotAuthorizedError(
                f"Global Search at {self.search_url} rejected the token (HTTP "
                f"{response.status_code}). Check your API key."
            )
        try:
            if response is None or response.status_code >= 400:
                raise ValueError(f"HTTP {response.status_code if response else 'error'}")
            page = response.json()
            if not isinstance(page, dict):
                raise ValueError("not a JSON object")
            return page
        except ValueError as err:
            raise InvalidAccountError(
                f"Unable to retrieve instances from {self.search_url} ({err}). Check that the "
                "account URL points at IBM Cloud Global Search, or try again later."
            ) from None

    @staticmethod
    def _plan(response: httpx.Response | None, crn: Any) -> tuple[str, str]:
        try:
            if response is None or response.status_code >= 400:
                raise ValueError("catalog error")
            entry = response.json()
            plan = entry.get("overview_ui", {}).get("en", {}).get("display_name", "")
            pricing = entry.get("metadata", {}).get("pricing", {}).get("type", "")
            return str(plan).lower(), str(pricing).lower()
        except (ValueError, AttributeError):
            logger.warning("The plan and pricing type for instance %s could not be retrieved.", crn)
            return "unknown", "unknown"


def _client_args(connection: RuntimeConnection) -> dict[str, Any]:
    return {
        "auth": IAMAuth(
            connection.api_key, connection.urls.iam, timeout=min(IAM_TIMEOUT, connection.timeout)
        ),
        "timeout": httpx.Timeout(_TIMEOUT, connect=connection.connect_timeout),
    }


def list_instances(
    connection: RuntimeConnection, transport: httpx.BaseTransport | None = None
) -> list[dict[str, Any]]:
    """List the instances the API key can use (sync).

    Raises:
        InvalidAccountError: Global Search failed.
        IBMNotAuthorizedError: The API key was rejected.
    """
    inner = transport or httpx.HTTPTransport(
        verify=tls_verify(connection.verify), proxy=connection.proxy
    )
    listing_steps = InstanceListing(connection)
    listing = listing_steps.flow()
    with httpx.Client(
        transport=RetryTransport(inner, connection.retry), **_client_args(connection)
    ) as client:
        request = next(listing)
        while True:
            try:
                response: httpx.Response | None = client.send(request)
            except httpx.HTTPError as err:
                if listing_steps.required(request):
                    raise unreachable_error(request.url, err) from None
                response = None
            try:
                request = listing.send(response)
            except StopIteration as done:
                result: list[dict[str, Any]] = done.value
                return result


async def alist_instances(
    connection: RuntimeConnection, transport: httpx.AsyncBaseTransport | None = None
) -> list[dict[str, Any]]:
    """List the instances the API key can use (async; same result and errors)."""
    inner = transport or httpx.AsyncHTTPTransport(
        verify=tls_verify(connection.verify), proxy=connection.proxy
    )
    listing_steps = InstanceListing(connection)
    listing = listing_steps.flow()
    async with httpx.AsyncClient(
        transport=AsyncRetryTransport(inner, connection.retry), **_client_args(connection)
    ) as client:
        request = next(listing)
        while True:
            try:
                response: httpx.Response | None = await client.send(request)
            except httpx.HTTPError as err:
                if listing_steps.required(request):
                    raise unreachable_error(request.url, err) from None
                response = None
            try:
                request = listing.send(response)
            except StopIteration as done:
                result: list[dict[str, Any]] = done.value
                return result
