"""The live monitor without a server: what a subscriber sees while the runtime is down."""

from __future__ import annotations

from typing import Any

from qrt_lab.server.config import QrtLabConfig
from qrt_lab.server.monitor import JobMonitor


class _DownHub:
    """A hub whose runtime can never be reached."""

    async def active(self) -> Any:
        raise OSError("connection refused (injected outage)")


async def test_a_subscriber_joining_during_an_outage_is_told_at_once() -> None:
    monitor = JobMonitor(_DownHub(), QrtLabConfig(poll_backoff_max=60.0))  # type: ignore[arg-type]
    assert not await monitor.poll_once()
    seen: list[dict[str, Any]] = []
    monitor.subscribe(seen.append)
    try:
        assert seen, "a newcomer must not wait in silence for a snapshot that cannot come"
        assert seen[0]["type"] == "monitor" and seen[0]["state"] == "unavailable"
        assert "refused" in seen[0]["message"]
    finally:
        await monitor.stop()
