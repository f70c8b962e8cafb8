"""Loads the qrt-lab routes into the running jupyter-server; no qiskit import keeps startup fast."""

from __future__ import annotations

from typing import Any

from jupyter_server.serverapp import ServerApp
from jupyter_server.utils import url_path_join

from .routes import NAMESPACE, ROUTES
from .state import SETTINGS_KEY, QrtLabState


def build_handlers(base_url: str) -> list[tuple[Any, ...]]:
    """Turn the route table into tornado handler rules under ``{base_url}qrt-lab/``.

    Args:
        base_url: The server's base URL (``ServerApp.base_url``).

    Returns:
        Tornado rules ``(pattern, handler[, kwargs])`` with absolute, anchored patterns.
    """
    rules: list[tuple[Any, ...]] = []
    for route in ROUTES:
        pattern = url_path_join(base_url, NAMESPACE, route[0]) + "/?"
        rules.append((pattern, *route[1:]))
    return rules


def _load_jupyter_server_extension(server_app: ServerApp) -> None:
    """Register every qrt-lab route with the server's tornado application."""
    web_app = server_app.web_app
    web_app.settings[SETTINGS_KEY] = QrtLabState(config=server_app.config)
    web_app.add_handlers(".*$", build_handlers(web_app.settings["base_url"]))
    server_app.log.info("qrt-lab server extension loaded (%d routes)", len(ROUTES))
