"""Everything the handlers share: settings, accounts, the runtime client hub and the monitor."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_core.paths import jupyter_data_dir

from .account_book import AccountBook
from .active_runtime import RuntimeHub
from .cache import TtlCache
from .config import QrtLabConfig
from .encoded_body import EncodedMemo
from .monitor import JobMonitor

if TYPE_CHECKING:
    from tornado.websocket import WebSocketHandler

__all__ = ["SETTINGS_KEY", "QrtLabState"]

#: Key of the shared state in the tornado application settings.
SETTINGS_KEY = "qrt_lab_state"


class QrtLabState:
    """The extension's shared state, created once when the extension loads.

    Args:
        config: The extension's settings (``c.QrtLabConfig.*``).
    """

    def __init__(self, config: QrtLabConfig | None = None) -> None:
        self.config = config if config is not None else QrtLabConfig()
        active_file = Path(
            self.config.active_account_file
            or Path(jupyter_data_dir()) / "qrt-lab" / "active-account.json"
        )
        self.book = AccountBook(self.config.account_file, active_file)
        self.hub = RuntimeHub(self.config, self.book)
        self.monitor = JobMonitor(self.hub, self.config)
        #: Result summaries of completed jobs never change: keep them a while.
        self.results_cache = TtlCache(3600.0, max_entries=64)
        #: Packed registers of a few results, for per-binding and large top-k histograms.
        self.registers_cache = TtlCache(3600.0, max_entries=8)
        #: Answers encoded once and reused while their sources are unchanged (read bursts).
        self.encoded = EncodedMemo()
        #: Open events websockets, closed at shutdown.
        self.sockets: set[WebSocketHandler] = set()

    async def close(self) -> None:
        """Stop the monitor, close the sockets and the runtime client, stop our local service."""
        await self.monitor.stop()
        for socket in list(self.sockets):
            socket.close(1001, "The Jupyter server is stopping.")
        self.sockets.clear()
        await self.hub.close()
        await asyncio.to_thread(self.hub.stop_started_service)
