"""``GET /qrt-lab/api/version`` against a real jupyter-server (pytest-jupyter)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

import qrt_lab


async def test_version_returns_the_package_version(jp_fetch: Callable[..., Any]) -> None:
    response = await jp_fetch("qrt-lab", "api", "version")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.body)
    assert body["version"] == qrt_lab.__version__
    assert body["python"].count(".") == 2


async def test_version_refuses_a_request_without_a_token(jp_fetch: Callable[..., Any]) -> None:
    with pytest.raises(HTTPClientError) as excinfo:
        await jp_fetch("qrt-lab", "api", "version", headers={"Authorization": ""})
    assert excinfo.value.code == 403
    assert excinfo.value.response is not None
    body = json.loads(excinfo.value.response.body)
    assert body["code"] == 403 and body["message"] and "log in" in body["hint"].lower()


async def test_unknown_qrt_lab_path_is_404(jp_fetch: Callable[..., Any]) -> None:
    with pytest.raises(HTTPClientError) as excinfo:
        await jp_fetch("qrt-lab", "api", "no-such-endpoint")
    assert excinfo.value.code == 404
