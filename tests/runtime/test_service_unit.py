"""QiskitRuntimeService construction against a transport-level fake of IBM Cloud."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from runtime_fakes import API_KEY, FakeCloud

from qrt_lab.runtime import IBMInputValueError, InvalidAccountError, QiskitRuntimeService
from qrt_lab.runtime.api.auth import SHARED_TOKENS
from qrt_lab.runtime.api.transport import RetryPolicy

CRN_A = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst-a::"
CRN_B = "crn:v1:bluemix:public:quantum-computing:eu-de:a/acct:inst-b::"
ITEMS = [
    {"crn": CRN_A, "name": "open-one", "service_plan_unique_id": "p-open", "tags": ["Team"],
     "doc": {"extensions": {"x": 1}}},
    {"crn": CRN_B, "name": "premium-one", "service_plan_unique_id": "p-prem", "tags": [],
     "doc": {"extensions": {"x": 1}}},
    {"crn": "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:none::", "name": "empty",
     "service_plan_unique_id": "p-open", "doc": {}},
]  # fmt: skip
PLANS = {
    "p-open": {
        "overview_ui": {"en": {"display_name": "Open"}},
        "metadata": {"pricing": {"type": "free"}},
    },
    "p-prem": {
        "overview_ui": {"en": {"display_name": "Premium"}},
        "metadata": {"pricing": {"type": "paid"}},
    },
}


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_CHANNEL", "IAM_URL", "GLOBAL_SEARCH_URL",
                "GLOBAL_CATALOG_URL", "QISKIT_FUNCTIONS_EXPERIMENTAL"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    SHARED_TOKENS.clear()
    yield


def ibm_cloud(pages: int = 1) -> FakeCloud:
    def handler(request: httpx.Request) -> httpx.Response:
        host, path = request.url.host, request.url.path
        if host == "api.global-search-tagging.cloud.ibm.com" and path == "/v3/resources/search":
            index = int(json.loads(request.content).get("search_cursor") or 0)
            if pages == 1:
                body: dict[str, object] = {"items": ITEMS}
            else:  # one item per page, with a cursor to the next one
                body = {"items": [ITEMS[index]]}
                if index + 1 < len(ITEMS):
                    body["search_cursor"] = str(index + 1)
            return httpx.Response(200, json=body)
        if host == "globalcatalog.cloud.ibm.com":
            return httpx.Response(200, json=PLANS[path.rsplit("/", 1)[-1]])
        if (
            host in ("quantum.cloud.ibm.com", "eu-de.quantum.cloud.ibm.com")
            and path == "/api/v1/backends"
        ):
            return httpx.Response(
                200, json={"devices": [{"name": "ibm_x", "status": {"name": "online"}}]}
            )
        return httpx.Response(404, json={"errors": [{"message": f"no route {host}{path}"}]})

    return FakeCloud(handler)


def make(cloud: FakeCloud, **kwargs: object) -> QiskitRuntimeService:
    return QiskitRuntimeService(token=API_KEY, transport=httpx.MockTransport(cloud), **kwargs)  # type: ignore[arg-type]


def test_construction_with_crn_lists_instances_but_no_runtime_calls() -> None:
    cloud = ibm_cloud()
    service = make(cloud, instance=CRN_B)
    assert service.active_instance() == CRN_B
    hosts = [r.url.host for r in cloud.requests]
    assert hosts == ["iam.cloud.ibm.com", "api.global-search-tagging.cloud.ibm.com",
                     "globalcatalog.cloud.ibm.com", "globalcatalog.cloud.ibm.com"]  # fmt: skip
    assert {i["crn"] for i in service.instances()} == {CRN_A, CRN_B}
    assert (
        service.instances()[0]["plan"] == "open"
        and service.instances()[1]["pricing_type"] == "paid"
    )
    assert API_KEY not in repr(service)
    _ = (service.channel, service.active_instance(), service.active_account(), repr(service))
    assert len(cloud.requests) == 4, "attribute access must not send requests"
    assert (
        service._client(CRN_B).connection.urls.runtime
        == "https://eu-de.quantum.cloud.ibm.com/api/v1"
    )


def test_instance_by_name_and_unknown_name() -> None:
    assert make(ibm_cloud(), instance="premium-one").active_instance() == CRN_B
    with pytest.raises(IBMInputValueError, match="open-one"):
        make(ibm_cloud(), instance="nope")
    with pytest.raises(IBMInputValueError, match="does not have access"):
        make(ibm_cloud(), instance=CRN_A.replace("inst-a", "other"))


def test_auto_selection_orders_and_filters() -> None:
    assert make(ibm_cloud()).active_instance() == CRN_A  # free before paid
    assert make(ibm_cloud(), plans_preference=["premium", "open"]).active_instance() == CRN_B
    assert make(ibm_cloud(), region="eu-de").active_instance() == CRN_B
    assert make(ibm_cloud(), tags=["team"]).active_instance() == CRN_A
    with pytest.raises(IBMInputValueError, match="No instance matches"):
        make(ibm_cloud(), tags=["missing"])


def test_search_pages_follow_the_cursor() -> None:
    cloud = ibm_cloud(pages=3)
    service = make(cloud, instance="auto")
    searches = [r for r in cloud.requests if r.url.path == "/v3/resources/search"]
    assert len(searches) == 3
    assert len(service.instances()) == 2


def test_search_failure_is_an_account_error() -> None:
    cloud = FakeCloud(lambda r: httpx.Response(500, text="down"))
    with pytest.raises(InvalidAccountError, match="Unable to retrieve instances"):
        QiskitRuntimeService(
            token=API_KEY, transport=httpx.MockTransport(cloud), retry=RetryPolicy(max_retries=0)
        )


def test_url_resolver_and_functions_experimental(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
    cloud = ibm_cloud()
    service = make(
        cloud,
        instance=CRN_A,
        url_resolver=lambda url, instance, private, channel: "http://x.test:1/api/v1",
    )
    assert cloud.requests == []
    assert service._client().connection.urls.runtime == "http://x.test:1/api/v1"
    with pytest.raises(IBMInputValueError, match="instance=<CRN>"):
        make(ibm_cloud())
