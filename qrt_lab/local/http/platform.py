"""IBM Cloud platform routes: IAM token exchange, Global Search and Global Catalog (spec §2)."""

from __future__ import annotations

import urllib.parse

from qrt_lab.local.errors import ApiError
from qrt_lab.local.iam import GRANT_TYPE
from qrt_lab.local.instances import catalog_entry, resource_instance, search_response

from .base import ApiHandler
from .limits import MAX_REPEATED_PARAM, check_body_size

__all__ = ["CatalogHandler", "IamTokenHandler", "ResourceInstanceHandler", "SearchHandler"]


class IamTokenHandler(ApiHandler):
    """``POST /identity/token``: API key → bearer JWT (form body, any content type)."""

    def post(self) -> None:
        """Exchange the API key."""
        check_body_size(self.request.body)
        try:
            form = urllib.parse.parse_qs(
                self.request.body.decode("utf-8"),
                keep_blank_values=True,
                max_num_fields=MAX_REPEATED_PARAM,
            )
        except UnicodeDecodeError:
            raise ApiError.bad_request(
                "The token request body must be a URL-encoded form."
            ) from None
        except ValueError:  # more fields than max_num_fields
            raise ApiError.bad_request(
                f"The token request form has more than {MAX_REPEATED_PARAM} fields."
            ) from None
        grant = (form.get("grant_type") or [""])[0]
        api_key = (form.get("apikey") or [""])[0]
        if grant != GRANT_TYPE:
            raise ApiError.bad_request(
                f"Unsupported grant_type {grant!r}; send grant_type={GRANT_TYPE}.",
                code="BXNIM0109E",
            )
        if not api_key or not self.service.issuer.api_key_matches(api_key):
            raise ApiError.bad_request(
                "Provided API key could not be found. Use the key in the local service's "
                "state directory (file 'api_key'), or `qrt-lab local status` to locate it.",
                code="BXNIM0415E",
            )
        self.write_json(self.service.issuer.issue())


class _PlatformHandler(ApiHandler):
    def prepare(self) -> None:
        super().prepare()
        header = self.request.headers.get("Authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not self.service.issuer.verify(token.strip()):
            raise ApiError(
                401,
                "unauthorized",
                "Missing or invalid bearer token. Get one at POST /identity/token.",
            )


class SearchHandler(_PlatformHandler):
    """``POST /v3/resources/search``: the instances this key can use."""

    def post(self) -> None:
        """List the instance (one page, no cursor)."""
        self.write_json(search_response())


class CatalogHandler(_PlatformHandler):
    """``GET /globalcatalog/api/v1/{plan_id}``: plan name and pricing type."""

    def get(self, plan_id: str) -> None:
        """Describe a plan."""
        entry = catalog_entry(plan_id)
        if entry is None:
            raise ApiError.not_found(f"Catalog entry {plan_id!r} was not found.")
        self.write_json(entry)


class ResourceInstanceHandler(_PlatformHandler):
    """Resource Controller ``GET /v2/resource_instances/{crn}``: the instance by CRN."""

    def get(self, crn: str) -> None:
        """Describe the instance (404 for any other id)."""
        entry = resource_instance(crn)
        if entry is None:
            shown = crn if len(crn) <= 200 else crn[:200] + "..."
            raise ApiError.not_found(
                f"Resource instance {shown!r} was not found. This service has one instance, "
                "listed by POST /v3/resources/search."
            )
        self.write_json(entry)
