"""With no account and no running service, the extension starts the local runtime service."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qrt_lab.runtime.api.discovery import ensure_running, find_running, stop_service
from qrt_lab.server.state import SETTINGS_KEY


@pytest.fixture
def empty_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state directory where no service runs yet; whatever starts there is stopped after."""
    state = tmp_path / "local"
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(state))
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_URL", "QISKIT_IBM_INSTANCE", "QISKIT_IBM_CHANNEL"):
        monkeypatch.delenv(var, raising=False)
    yield state
    stop_service(state)


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], empty_state_dir: Path) -> dict[str, Any]:
    """Autostart is the default; only the state directory is private to the test."""
    return {**jp_server_config, "QrtLabConfig": {"local_state_dir": str(empty_state_dir)}}


async def test_no_account_starts_the_local_service_once(
    empty_state_dir: Path, qrt_api: Any
) -> None:
    assert find_running(empty_state_dir) is None
    code, body = await qrt_api("GET", "backends")
    assert code == 200, body
    assert "local_heron156" in {row["name"] for row in body["backends"]}
    info = find_running(empty_state_dir)
    assert info is not None and info.url.startswith("http://127.0.0.1:")
    code, accounts = await qrt_api("GET", "accounts")
    assert code == 200 and accounts["active"]["label"] == "Local simulator"
    assert info.api_key not in str(accounts)
    again = find_running(empty_state_dir)
    assert again is not None and again.pid == info.pid


async def test_stopping_the_server_stops_the_monitor_sockets_clients_and_our_service(
    empty_state_dir: Path, qrt_api: Any, jp_ws_fetch: Any, jp_serverapp: Any
) -> None:
    code, _ = await qrt_api("GET", "backends")
    assert code == 200
    info = find_running(empty_state_dir)
    assert info is not None, "the extension should have started the local service"
    state = jp_serverapp.web_app.settings[SETTINGS_KEY]
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    first = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert first["type"] in {"snapshot", "monitor"}
    monitor_task = state.monitor._task
    rest = state.hub._active.rest
    assert monitor_task is not None and not monitor_task.done()

    await asyncio.wait_for(jp_serverapp.extension_manager.stop_all_extensions(), 10)

    assert monitor_task.done(), "the monitor task is still pending"
    assert await asyncio.wait_for(ws.read_message(), 5) is None, "the events socket stayed open"
    assert rest.client.is_closed and state.hub._active is None
    assert not state.sockets and not state.monitor.subscribers
    left = [t for t in asyncio.all_tasks() if "qrt_lab" in repr(t.get_coro()) and not t.done()]
    assert left == [], f"tasks left pending: {left}"
    assert find_running(empty_state_dir) is None, "the service this server started still runs"


async def test_a_service_the_server_did_not_start_is_left_running(
    empty_state_dir: Path, qrt_api: Any, jp_serverapp: Any
) -> None:
    started = ensure_running(empty_state_dir)
    assert started.spawned
    code, _ = await qrt_api("GET", "backends")
    assert code == 200
    await asyncio.wait_for(jp_serverapp.extension_manager.stop_all_extensions(), 10)
    still = find_running(empty_state_dir)
    assert still is not None and still.pid == started.pid
