"""Everything the handlers share: settings, accounts, the runtime client hub and the monitor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir

from .accounts_state import AccountBook
from .cache import TtlCache
from .config import QrtLabConfig
from .monitor import JobMonitor
from .runtimes import RuntimeHub

__all__ = ["SETTINGS_KEY", "QrtLabState"]

#: Key of the shared state in the tornado application settings.
SETTINGS_KEY = "qrt_lab"


class QrtLabState:
    """The extension's shared state, created once when the extension loads.

    Args:
        config: The traitlets config of the server (``c.QrtLabConfig.*`` is read from it).
    """

    def __init__(self, config: Any = None) -> None:
        self.config = QrtLabConfig(config=config)
        active_file = Path(
            self.config.active_account_file
            or Path(jupyter_data_dir()) / "qrt-lab" / "active-account.json"
        )
        self.book = AccountBook(self.config.account_file, active_file)
        self.hub = RuntimeHub(self.config, self.book)
        self.monitor = JobMonitor(self.hub, self.config)
        #: Result summaries of completed jobs never change: keep them a while.
        self.results_cache = TtlCache(3600.0, max_entries=64)

    async def close(self) -> None:
        """Stop the monitor and close the runtime client."""
        await self.monitor.stop()
        await self.hub.close()
