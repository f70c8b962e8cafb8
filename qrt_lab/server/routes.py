"""The one route table of the qrt-lab server extension.

Patterns are relative to ``{base_url}qrt-lab/``. Append new endpoints to ``ROUTES``; every
handler must be authenticated (``tests/server/test_route_auth.py`` walks them all).
"""

from __future__ import annotations

from typing import Any

from tornado.web import RequestHandler

from .handlers.version import VersionHandler

#: The URL namespace every qrt-lab route lives under.
NAMESPACE = "qrt-lab"

#: ``(pattern, handler)`` or ``(pattern, handler, init_kwargs)``; patterns may hold named groups.
Route = tuple[str, type[RequestHandler]] | tuple[str, type[RequestHandler], dict[str, Any]]

ROUTES: list[Route] = [
    (r"api/version", VersionHandler),
]
