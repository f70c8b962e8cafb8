"""Fixtures for server-extension tests (run with ``pytest -p pytest_jupyter.jupyter_server``)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    """Enable the qrt-lab server extension in the pytest-jupyter server."""
    return {"ServerApp": {"jpserver_extensions": {"qrt_lab": True}}}
