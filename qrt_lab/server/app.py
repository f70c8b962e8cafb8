"""``QrtLabApp``: the qrt-lab jupyter-server extension, with its shared state and a stop hook.

Loading it imports no qiskit, so the server starts fast; the runtime client is imported on first
use (``lazy_runtime``). ``stop_extension`` stops the live monitor, closes the events websockets
and the runtime HTTP clients, and stops the local runtime service if this server started it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from jupyter_server.extension.application import ExtensionApp

from .config import QrtLabConfig
from .routes import NAMESPACE, ROUTES
from .state import SETTINGS_KEY, QrtLabState

__all__ = ["STOP_TIMEOUT", "QrtLabApp"]

#: Seconds ``stop_extension`` waits for the monitor, sockets, clients and service to stop.
STOP_TIMEOUT = 3.0


class QrtLabApp(ExtensionApp):
    """The qrt-lab server extension (REST routes under ``/qrt-lab/`` and the events websocket).

    Settings are read from ``c.QrtLabConfig.*`` (see :class:`QrtLabConfig`).
    """

    name = "qrt_lab"
    description = "Qiskit Runtime in JupyterLab: accounts, backends, jobs and live job events."
    classes = [QrtLabConfig]  # noqa: RUF012 - a traitlets List trait, set as a class default
    load_other_extensions = True

    state: QrtLabState | None = None

    def initialize_settings(self) -> None:
        """Create the shared state; handlers find it in ``settings[SETTINGS_KEY]``."""
        self.state = QrtLabState(QrtLabConfig(parent=self))
        self.settings[SETTINGS_KEY] = self.state

    def initialize_handlers(self) -> None:
        """Register the route table under ``qrt-lab/`` (ExtensionApp adds ``base_url``)."""
        for route in ROUTES:
            pattern = f"{NAMESPACE}/{route[0]}/?"
            self.handlers.append((pattern, *route[1:]))
        self.log.info("qrt-lab server extension loaded (%d routes)", len(ROUTES))

    async def stop_extension(self) -> None:
        """Stop everything the extension started, within :data:`STOP_TIMEOUT` seconds."""
        if self.state is None:
            return
        task = asyncio.ensure_future(self.state.close())
        done, _ = await asyncio.wait([task], timeout=STOP_TIMEOUT)
        if not done:
            task.cancel()
            self.log.warning("qrt-lab: shutdown took longer than %.0f s", STOP_TIMEOUT)
        elif task.exception() is not None:
            self.log.warning("qrt-lab: shutdown failed: %s", task.exception())

    def current_activity(self) -> Any:
        """No activity report: watched jobs do not keep an idle server alive."""
        return None
