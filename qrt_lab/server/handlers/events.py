"""Websocket ``/qrt-lab/api/events``: the live monitor's job and session events, as JSON text."""

from __future__ import annotations

import json
from asyncio import Future
from typing import Any

from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from tornado import websocket

from ..problems import ApiProblem
from ..state import SETTINGS_KEY, QrtLabState
from .base import parse_json

__all__ = ["EventsHandler"]


#: The last event encoded and its UTF-8 text: the monitor hands one event to every socket in
#: turn, so 50 open sidebars cost one ``json.dumps`` and one UTF-8 encoding per event (a snapshot
#: of 1,000 jobs is 0.5 MB); tornado sends bytes as they are (a text frame unless ``binary``).
_last_encoded: tuple[dict[str, Any] | None, bytes] = (None, b"")


def _encoded(event: dict[str, Any]) -> bytes:
    global _last_encoded
    if _last_encoded[0] is not event:
        _last_encoded = (event, json.dumps(event).encode())
    return _last_encoded[1]


class EventsHandler(JupyterHandler, websocket.WebSocketHandler):
    """Pushes every monitor event to the browser; authenticated like every other route.

    Messages are JSON objects with a ``type``: ``snapshot`` (all known jobs, sent first),
    ``job`` (``created``/``status``/``result_ready``/``updated``/``deleted``), ``session``,
    ``monitor`` (``available``/``unavailable``) and ``account``.
    """

    @property
    def qrt(self) -> QrtLabState:
        """The extension's shared state."""
        state: QrtLabState = self.settings[SETTINGS_KEY]
        return state

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        """Authenticate, then upgrade to a websocket."""
        await super().get(*args, **kwargs)

    def open(self, *args: str, **kwargs: str) -> None:
        """Subscribe this socket to the account's monitor."""
        self.qrt.sockets.add(self)
        self.qrt.monitor.subscribe(self.send_event)

    def send_event(self, event: dict[str, Any]) -> None:
        """Write one event; a closed socket unsubscribes itself."""
        try:
            sent = self.write_message(_encoded(event))
        except websocket.WebSocketClosedError:
            self.qrt.monitor.unsubscribe(self.send_event)
            return
        sent.add_done_callback(self._sent)

    def _sent(self, sent: Future[None]) -> None:
        # retrieve the write's outcome: a socket closing mid-write must not log "never retrieved"
        if not sent.cancelled() and sent.exception() is not None:
            self.qrt.monitor.unsubscribe(self.send_event)

    def on_message(self, message: str | bytes) -> None:
        """``{"type": "refresh"}`` asks for an immediate poll; anything else is ignored.

        A message that breaks the parsing limits is answered with an ``error`` event
        (``{type, code, message, hint}``) and the socket stays open.
        """
        try:
            request = parse_json(message, "The message")
        except ApiProblem as problem:
            self.send_event({"type": "error", **problem.to_json()})
            return
        if isinstance(request, dict) and request.get("type") == "refresh":
            self.qrt.monitor.nudge()

    def on_close(self) -> None:
        """Unsubscribe; the monitor stops polling when nobody listens."""
        self.qrt.sockets.discard(self)
        self.qrt.monitor.unsubscribe(self.send_event)
