"""A transport that follows the local runtime service across its restarts.

A service started on demand exits by itself when unused (its state stays on disk). A client
made before that keeps the old URL; this transport catches the refused connection, starts the
service again (:func:`~qrt_lab.runtime.api.discovery.ensure_running`) and resends the request
to wherever it now listens. Only the sync client needs it: the server extension re-resolves
the local service itself.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from .discovery import ensure_running

__all__ = ["LocalRestartTransport"]


class LocalRestartTransport(httpx.BaseTransport):
    """Send to the local service; on a refused connection, restart it and resend once.

    Args:
        url: The service URL the client was built with.
        state_dir: The service's state directory.
        inner: The transport to send through (default: a plain HTTP transport).
    """

    def __init__(self, url: str, state_dir: Path, inner: httpx.BaseTransport | None = None) -> None:
        self._built_for = httpx.URL(url)
        self._current = self._built_for
        self._state_dir = state_dir
        self._inner = inner or httpx.HTTPTransport()

    def _rebase(self, request: httpx.Request) -> None:
        if (request.url.host, request.url.port) != (self._built_for.host, self._built_for.port):
            return
        request.url = request.url.copy_with(host=self._current.host, port=self._current.port)
        request.headers["Host"] = request.url.netloc.decode("ascii")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, restarting the service first if it has exited."""
        self._rebase(request)
        try:
            return self._inner.handle_request(request)
        except httpx.ConnectError:
            info = ensure_running(self._state_dir)
            self._current = httpx.URL(info.url)
            self._rebase_to_current(request)
            return self._inner.handle_request(request)

    def _rebase_to_current(self, request: httpx.Request) -> None:
        request.url = request.url.copy_with(host=self._current.host, port=self._current.port)
        request.headers["Host"] = request.url.netloc.decode("ascii")

    def close(self) -> None:
        """Close the inner transport."""
        self._inner.close()
