"""Fixtures for server-extension tests (run with ``pytest -p pytest_jupyter.jupyter_server``)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    """Enable the qrt-lab server extension in the pytest-jupyter server."""
    return {"ServerApp": {"jpserver_extensions": {"qrt_lab": True}}}


# --- qrt-lab runtime fixtures (plots + server room) -------------------------------------------


@pytest.fixture
def qrt_local(local_service: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Point the extension at the session's local service (no extra service) and no IBM env."""
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(local_service.state_dir))
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_URL", "QISKIT_IBM_INSTANCE", "QISKIT_IBM_CHANNEL"):
        monkeypatch.delenv(var, raising=False)
    return local_service


@pytest.fixture
def qrt_api(jp_fetch: Any) -> Any:
    """``await qrt_api("GET", "jobs", params=..., body=...)`` → ``(status, parsed JSON or text)``.

    Unlike ``jp_fetch`` it never raises for 4xx/5xx, so tests can check error bodies.
    """
    import json

    from tornado.httpclient import HTTPClientError

    async def call(
        method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {"method": method, "params": params or {}}
        if body is not None:
            kwargs["body"] = body if isinstance(body, str) else json.dumps(body)
        elif method in {"POST", "PUT"}:
            kwargs["body"] = "{}"
        try:
            response = await jp_fetch("qrt-lab", "api", *path.split("/"), **kwargs)
        except HTTPClientError as exc:
            response = exc.response
            assert response is not None, f"no response for {method} {path}: {exc}"
        text = response.body.decode()
        try:
            return response.code, json.loads(text)
        except ValueError:
            return response.code, text

    return call
