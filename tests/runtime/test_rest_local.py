"""The REST layer (sync and async, as the server extension uses it) against the local service."""

from __future__ import annotations

import pytest

from qrt_lab.runtime.accounts import Account
from qrt_lab.runtime.api.auth import averify_api_key, verify_api_key
from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.api.instances import alist_instances, list_instances
from qrt_lab.runtime.api.rest import AsyncRuntimeRest, RuntimeRest
from qrt_lab.runtime.exceptions import IBMNotAuthorizedError, RequestsApiError


def connection(info: LocalServiceInfo, key: str | None = None) -> RuntimeConnection:
    account = Account(token=key or info.api_key, url=info.url, instance=info.instance)
    return RuntimeConnection.from_account(account)


def test_sync_rest_reads_backends_and_documents(local_service: LocalServiceInfo) -> None:
    with RuntimeRest(connection(local_service)) as rest:
        devices = rest.backends()["devices"]
        name = devices[0]["name"]
        assert {"name", "status", "queue_length"} <= set(devices[0])
        assert rest.backend_configuration(name)["backend_name"] == name
        assert "qubits" in rest.backend_properties(name)
        assert "length_queue" in rest.backend_status(name)
        assert "usage_consumed_seconds" in rest.usage()
        page = rest.jobs(limit=1)
        assert {"jobs", "count"} <= set(page)
        with pytest.raises(RequestsApiError) as info:
            rest.job("does-not-exist")
        assert info.value.status_code == 404 and "does-not-exist" in str(info.value)


async def test_async_rest_and_instances(local_service: LocalServiceInfo) -> None:
    conn = connection(local_service)
    async with AsyncRuntimeRest(conn) as rest:
        devices = (await rest.backends())["devices"]
        assert devices
        config = await rest.backend_configuration(devices[0]["name"])
        assert config["n_qubits"] > 0
    listed = await alist_instances(conn)
    assert any(i["crn"] == local_service.instance for i in listed)
    assert list_instances(conn) == listed


async def test_verify_api_key(local_service: LocalServiceInfo) -> None:
    claims = verify_api_key(local_service.url, local_service.api_key)
    assert claims["exp"] > claims["iat"]
    assert (await averify_api_key(local_service.url, local_service.api_key))["exp"] > 0
    with pytest.raises(IBMNotAuthorizedError) as info:
        await averify_api_key(local_service.url, "bad-key-123")
    assert "bad-key-123" not in str(info.value)


def test_bad_key_on_runtime_calls(local_service: LocalServiceInfo) -> None:
    with RuntimeRest(connection(local_service, key="bad-key-456")) as rest:
        with pytest.raises(IBMNotAuthorizedError) as info:
            rest.backends()
        assert "bad-key-456" not in str(info.value)
