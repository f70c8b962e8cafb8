"""Every handler under ``/qrt-lab/`` refuses unauthenticated requests; mutating ones need XSRF.

The test walks the live tornado application's routing rules, so routes added later to
``qrt_lab.server.routes.ROUTES`` are covered without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.routing import PathMatches, Rule
from tornado.websocket import WebSocketHandler, websocket_connect

from qrt_lab.server.routes import NAMESPACE, ROUTES

HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
MUTATING = ("POST", "PUT", "PATCH", "DELETE")
REFUSED = {401, 403}
_ESCAPE = re.compile(r"\\([^A-Za-z0-9])")
_GROUP = re.compile(r"\(\?P<\w+>[^()]*\)|\([^()?]*\)")


def _rules(router: Any) -> Iterator[Rule]:
    for rule in getattr(router, "rules", []):
        if hasattr(rule.target, "rules"):
            yield from _rules(rule.target)
        else:
            yield rule


def qrt_lab_rules(
    app: web.Application, base_url: str
) -> list[tuple[str, type[web.RequestHandler]]]:
    """Return ``(pattern, handler)`` for every live rule under ``{base_url}qrt-lab/``."""
    prefix = f"{base_url.rstrip('/')}/{NAMESPACE}/"
    found = []
    for rule in _rules(app.default_router):
        matcher = rule.matcher
        if isinstance(matcher, PathMatches) and matcher.regex.pattern.startswith(prefix):
            found.append((matcher.regex.pattern, rule.target))
    return found


def sample_path(pattern: str) -> str:
    """Turn a route regex into a concrete path (each group becomes ``x``) that it matches."""
    path = _GROUP.sub("x", pattern).removesuffix("$").removesuffix("/?")
    path = _ESCAPE.sub(r"\1", path)
    if not re.fullmatch(pattern.removesuffix("$"), path):
        raise AssertionError(f"cannot build a sample path for {pattern!r}; simplify its groups")
    return path


def implemented_methods(handler: type[web.RequestHandler]) -> list[str]:
    """HTTP methods the handler defines itself (CORS preflight OPTIONS is exempt)."""
    return [
        m
        for m in HTTP_METHODS
        if getattr(handler, m.lower()) is not getattr(web.RequestHandler, m.lower())
    ]


async def refused_without_auth(
    client: AsyncHTTPClient, port: int, path: str, handler: type[web.RequestHandler]
) -> list[str]:
    """Return a description of every unauthenticated request the handler did NOT refuse.

    ``client`` is pytest-jupyter's ``http_server_client``: it takes a path and adds the host.
    """
    leaks = []
    if issubclass(handler, WebSocketHandler):
        try:
            conn = await websocket_connect(f"ws://127.0.0.1:{port}{path}", connect_timeout=10)
        except HTTPClientError as exc:
            if exc.code not in REFUSED:
                leaks.append(f"WS {path} -> {exc.code}")
        else:
            conn.close()
            leaks.append(f"WS {path} -> connected without a token")
        return leaks
    for method in implemented_methods(handler):
        body = b"{}" if method in {"POST", "PUT", "PATCH"} else None
        response = await client.fetch(
            path,
            method=method,
            body=body,
            follow_redirects=False,
            request_timeout=10,
            allow_nonstandard_methods=True,
            raise_error=False,
        )
        if response.code not in REFUSED:
            leaks.append(f"{method} {path} -> {response.code}")
    return leaks


async def test_every_qrt_lab_route_requires_authentication(
    jp_serverapp: Any, http_server_client: AsyncHTTPClient, jp_http_port: int, jp_base_url: str
) -> None:
    rules = qrt_lab_rules(jp_serverapp.web_app, jp_base_url)
    assert len(rules) >= len(ROUTES), "some ROUTES are not registered: is the extension loading?"
    leaks: list[str] = []
    for pattern, handler in rules:
        leaks += await refused_without_auth(
            http_server_client, jp_http_port, sample_path(pattern), handler
        )
    assert not leaks, f"routes answering without authentication: {leaks}"


async def login_cookie(client: AsyncHTTPClient, jp_serverapp: Any, base_url: str) -> str:
    """Log in the way a browser does (token in the URL) and return the login cookie."""
    token = jp_serverapp.identity_provider.token
    response = await client.fetch(f"{base_url}api/status?token={token}")
    cookies = [c.split(";")[0] for c in response.headers.get_list("Set-Cookie")]
    login = [c for c in cookies if c.startswith("username-")]
    assert login, f"no login cookie in {cookies}"
    return login[0]


async def xsrf_leaks(
    client: AsyncHTTPClient, path: str, handler: type[web.RequestHandler], cookie: str
) -> list[str]:
    """Mutating requests with a valid login cookie but no XSRF token that were NOT refused."""
    leaks = []
    for method in implemented_methods(handler):
        if method not in MUTATING:
            continue
        response = await client.fetch(
            path,
            method=method,
            body=b"{}" if method != "DELETE" else None,
            headers={"Cookie": cookie},
            follow_redirects=False,
            request_timeout=10,
            allow_nonstandard_methods=True,
            raise_error=False,
        )
        if response.code != 403:
            leaks.append(f"{method} {path} -> {response.code}")
    return leaks


async def test_every_mutating_qrt_lab_route_requires_xsrf(
    jp_serverapp: Any, http_server_client: AsyncHTTPClient, jp_base_url: str
) -> None:
    cookie = await login_cookie(http_server_client, jp_serverapp, jp_base_url)
    # The cookie alone must authenticate a GET, or the XSRF check below would pass vacuously.
    version = await http_server_client.fetch(
        f"{jp_base_url}qrt-lab/api/version", headers={"Cookie": cookie}, raise_error=False
    )
    assert version.code == 200
    leaks: list[str] = []
    for pattern, handler in qrt_lab_rules(jp_serverapp.web_app, jp_base_url):
        if not issubclass(handler, WebSocketHandler):
            leaks += await xsrf_leaks(http_server_client, sample_path(pattern), handler, cookie)
    assert not leaks, f"mutating routes accepting a cookie without an XSRF token: {leaks}"


class _NoXsrfHandler(web.RequestHandler):
    def check_xsrf_cookie(self) -> None:
        """Skip the XSRF check: the walker must flag this."""

    @web.authenticated
    def post(self) -> None:
        self.finish("changed")

    def get_current_user(self) -> str:
        return "anyone-with-a-cookie"


async def test_the_xsrf_walker_catches_a_route_without_xsrf(
    jp_serverapp: Any, http_server_client: AsyncHTTPClient, jp_base_url: str
) -> None:
    pattern = f"{jp_base_url.rstrip('/')}/{NAMESPACE}/api/no-xsrf"
    jp_serverapp.web_app.add_handlers(".*$", [(pattern, _NoXsrfHandler)])
    cookie = await login_cookie(http_server_client, jp_serverapp, jp_base_url)
    leaks = await xsrf_leaks(http_server_client, sample_path(pattern + "$"), _NoXsrfHandler, cookie)
    assert leaks, "the walker must report a mutating route that skips the XSRF check"


class _OpenHandler(web.RequestHandler):
    def get(self) -> None:
        self.finish("open")


class _OpenSocket(WebSocketHandler):
    def open(self, *args: str, **kwargs: str) -> None:
        """Accept anyone: the walker must flag this."""


def test_sample_paths_match_their_patterns() -> None:
    assert (
        sample_path(r"/b/qrt-lab/api/jobs/(?P<job_id>[^/]+)/result/?$")
        == "/b/qrt-lab/api/jobs/x/result"
    )
    assert sample_path(r"/b/qrt-lab/api/x/(?P<n>[^/]+)/calibration\.csv$") == (
        "/b/qrt-lab/api/x/x/calibration.csv"
    )


@pytest.mark.parametrize("handler", [_OpenHandler, _OpenSocket])
async def test_the_walker_catches_an_unauthenticated_route(
    jp_serverapp: Any,
    http_server_client: AsyncHTTPClient,
    jp_http_port: int,
    jp_base_url: str,
    handler: type[web.RequestHandler],
) -> None:
    pattern = f"{jp_base_url.rstrip('/')}/{NAMESPACE}/api/leak/(?P<item>[^/]+)"
    jp_serverapp.web_app.add_handlers(".*$", [(pattern, handler)])
    rules = dict(qrt_lab_rules(jp_serverapp.web_app, jp_base_url))
    assert rules[pattern + "$"] is handler
    leaks = await refused_without_auth(
        http_server_client, jp_http_port, sample_path(pattern + "$"), handler
    )
    assert leaks, "the walker must report a route that answers without a token"
