"""``GET /qrt-lab/api/version``: the installed server package version."""

from __future__ import annotations

import platform

from tornado import web

from ... import __version__
from .base import QrtApiHandler


class VersionHandler(QrtApiHandler):
    """Report the server-side qrt-lab version so the frontend can detect a mismatch."""

    @web.authenticated
    def get(self) -> None:
        """Return ``{"version": ..., "python": ...}``."""
        self.write_json({"version": __version__, "python": platform.python_version()})
