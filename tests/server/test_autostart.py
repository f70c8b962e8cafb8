"""With no account and no running service, the extension starts the local runtime service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qrt_lab.runtime.api.discovery import find_running, stop_service


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
