"""The one route table of the qrt-lab server extension.

Patterns are relative to ``{base_url}qrt-lab/``. Append new endpoints to ``ROUTES``; every
handler must be authenticated (``tests/server/test_route_auth.py`` walks them all).
"""

from __future__ import annotations

from typing import Any

from tornado.web import RequestHandler

from .handlers.accounts import AccountHandler, AccountsHandler, ActiveAccountHandler
from .handlers.backends import BackendHandler, BackendsHandler, CalibrationCsvHandler
from .handlers.events import EventsHandler
from .handlers.figures import BackendFigureHandler, JobFigureHandler
from .handlers.instances import InstancesHandler, UsageHandler
from .handlers.jobs import (
    JobCancelHandler,
    JobHandler,
    JobResultHandler,
    JobsHandler,
    JobTagsHandler,
)
from .handlers.sessions import (
    SessionCancelHandler,
    SessionCloseHandler,
    SessionHandler,
    SessionsHandler,
)
from .handlers.version import VersionHandler

#: The URL namespace every qrt-lab route lives under.
NAMESPACE = "qrt-lab"

#: ``(pattern, handler)`` or ``(pattern, handler, init_kwargs)``; patterns may hold named groups.
Route = tuple[str, type[RequestHandler]] | tuple[str, type[RequestHandler], dict[str, Any]]

_ID = r"(?P<{}>[^/]+)"

ROUTES: list[Route] = [
    (r"api/version", VersionHandler),
    (r"api/accounts", AccountsHandler),
    # before accounts/{name}: tornado takes the first matching pattern
    (r"api/accounts/active", ActiveAccountHandler),
    (r"api/accounts/" + _ID.format("name"), AccountHandler),
    (r"api/instances", InstancesHandler),
    (r"api/usage", UsageHandler),
    (r"api/backends", BackendsHandler),
    (r"api/backends/" + _ID.format("name") + r"/calibration\.csv", CalibrationCsvHandler),
    (r"api/backends/" + _ID.format("name"), BackendHandler),
    (r"api/jobs", JobsHandler),
    (r"api/jobs/" + _ID.format("job_id") + "/result", JobResultHandler),
    (r"api/jobs/" + _ID.format("job_id") + "/cancel", JobCancelHandler),
    (r"api/jobs/" + _ID.format("job_id") + "/tags", JobTagsHandler),
    (r"api/jobs/" + _ID.format("job_id"), JobHandler),
    (r"api/sessions", SessionsHandler),
    (r"api/sessions/" + _ID.format("session_id") + "/close", SessionCloseHandler),
    (r"api/sessions/" + _ID.format("session_id") + "/cancel", SessionCancelHandler),
    (r"api/sessions/" + _ID.format("session_id"), SessionHandler),
    (r"api/events", EventsHandler),
    (r"api/backends/" + _ID.format("name") + "/figure", BackendFigureHandler),
    (r"api/jobs/" + _ID.format("job_id") + "/figure", JobFigureHandler),
]
