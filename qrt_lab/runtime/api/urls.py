"""Where each service lives: IBM Cloud URL derivation, or one custom base URL for everything.

On IBM Cloud the runtime host is derived from the instance CRN's region (spec §2.3). Any other
``url`` is used as the base of a compatible server as-is, port included (official-client.md P3):
runtime at ``<url>/api/v1``, IAM, Global Search and Global Catalog on the same host and port.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from qrt_lab.runtime.exceptions import IBMInputValueError

__all__ = ["ServiceUrls", "crn_location", "is_crn", "is_ibm_cloud_url", "service_urls"]


def is_crn(instance: str | None) -> bool:
    """Whether ``instance`` is an IBM Cloud resource name (it starts with ``crn:``)."""
    return bool(instance) and str(instance).startswith("crn:")


def is_ibm_cloud_url(url: str) -> bool:
    """Whether ``url`` points at IBM Cloud (``cloud.ibm.com`` or a subdomain of it)."""
    host = (urlparse(url).hostname or "").lower()
    return host == "cloud.ibm.com" or host.endswith(".cloud.ibm.com")


@dataclass(frozen=True)
class ServiceUrls:
    """The four base URLs a client talks to.

    Attributes:
        runtime: Runtime REST base, e.g. ``https://quantum.cloud.ibm.com/api/v1``.
        iam: IAM base; the token endpoint is ``<iam>/identity/token``.
        search: Global Search base; the endpoint is ``<search>/v3/resources/search``.
        catalog: Global Catalog base; entries are ``<catalog>/<plan_id>``.
    """

    runtime: str
    iam: str
    search: str
    catalog: str


# A CRN location becomes part of a host name: only letters, digits and dashes may pass.
_LOCATION = re.compile(r"[A-Za-z0-9-]+")


def crn_location(instance: str) -> str:
    """The location field of a CRN (``us-east``, ``eu-de``, ...).

    Raises:
        IBMInputValueError: if the CRN has too few fields or its location is not a plain name
            (it would otherwise be spliced into the runtime host name).
    """
    fields = instance.split(":")
    location = fields[5] if len(fields) > 5 else ""
    if not _LOCATION.fullmatch(location):
        raise IBMInputValueError(
            f"The instance {instance!r} is not a valid CRN: expected "
            "'crn:v1:bluemix:public:quantum-computing:<location>:a/<account>:<instance>::' with a "
            "location such as 'us-east'. Copy the CRN from your instance's page on IBM Quantum "
            "Platform, or pass the instance name instead."
        )
    return location


def _ibm_runtime_url(url: str, instance: str | None, private_endpoint: bool) -> str:
    parsed = urlparse(url)
    if not is_crn(instance) or "experimental" in url:
        return url.rstrip("/")
    location = crn_location(str(instance))
    host = parsed.hostname
    if private_endpoint:
        return f"{parsed.scheme}://private.{location}.quantum.{host}/api/v1"
    prefix = "" if location == "us-east" else f"{location}."
    return f"{parsed.scheme}://{prefix}quantum.{host}/api/v1"


def _ibm_iam_url(instance: str | None, private_endpoint: bool) -> str:
    if private_endpoint:
        return "https://private.iam.cloud.ibm.com"
    if is_crn(instance) and str(instance).split(":")[2] == "staging":
        return "https://iam.test.cloud.ibm.com"
    return "https://iam.cloud.ibm.com"


def service_urls(
    url: str, instance: str | None = None, private_endpoint: bool = False
) -> ServiceUrls:
    """Compute the service URLs for an account.

    ``IAM_URL``, ``GLOBAL_SEARCH_URL`` and ``GLOBAL_CATALOG_URL`` override the derived values,
    as they do for the official client.

    Args:
        url: The account URL.
        instance: The instance (CRN decides the IBM Cloud region).
        private_endpoint: Use IBM Cloud private endpoints.

    Returns:
        The runtime, IAM, search and catalog base URLs.
    """
    if is_ibm_cloud_url(url):
        parsed = urlparse(url)
        runtime = _ibm_runtime_url(url, instance, private_endpoint)
        iam = _ibm_iam_url(instance, private_endpoint)
        search = f"{parsed.scheme}://api.global-search-tagging.{parsed.hostname}"
        catalog = f"{parsed.scheme}://globalcatalog.{parsed.hostname}/api/v1"
    else:
        base = url.rstrip("/")
        for suffix in ("/experimental/api/v1", "/api/v1"):
            if base.endswith(suffix):
                runtime, base = base, base[: -len(suffix)]
                break
        else:
            runtime = f"{base}/api/v1"
        iam = search = base
        catalog = f"{base}/globalcatalog/api/v1"
    return ServiceUrls(
        runtime=runtime,
        iam=(os.environ.get("IAM_URL") or iam).rstrip("/"),
        search=(os.environ.get("GLOBAL_SEARCH_URL") or search).rstrip("/"),
        catalog=(os.environ.get("GLOBAL_CATALOG_URL") or catalog).rstrip("/"),
    )
