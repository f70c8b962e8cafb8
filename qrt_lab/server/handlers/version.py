"""``GET /qrt-lab/api/version``: the installed server package version."""

from __future__ import annotations

import platform

from tornado import web

from .base import QrtApiHandler

try:  # the generated version module, not the package root (which names every room)
    from ..._version import __version__
except ImportError:  # a source tree that was never built or installed
    __version__ = "0.0.0+unknown"


class VersionHandler(QrtApiHandler):
    """Report the server-side qrt-lab version so the frontend can detect a mismatch."""

    @web.authenticated
    def get(self) -> None:
        """Return ``{"version": ..., "python": ...}``."""
        self.write_json({"version": __version__, "python": platform.python_version()})
