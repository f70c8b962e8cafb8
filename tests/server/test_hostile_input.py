"""Hostile input at the server extension: ``{code, message, hint}`` 4xx, never a 5xx.

Deep JSON, long numbers and repeated query parameters on the REST routes and on the events
websocket (which answers with an ``error`` event and stays open), an unreachable account host
named in the error, and a seeded hypothesis barrage on every route.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qrt_lab.runtime.api.bounded_json import MAX_JSON_DEPTH, MAX_NUMBER_CHARS
from qrt_lab.server.handlers.base import MAX_REPEATED_PARAM

DEEP = "[" * 1000 + "]" * 1000
HUGE = "9" * 5000
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:hostile-inst::"


def _problem(code: int, body: Any, status: int | None = None) -> str:
    assert code < 500, body
    if status is not None:
        assert code == status, body
    assert isinstance(body, dict) and set(body) == {"code", "message", "hint"}, body
    assert body["message"] and "Traceback" not in body["message"]
    return str(body["message"])


async def test_deep_json_and_long_numbers_in_bodies_name_the_limit(
    qrt_local: Any, qrt_api: Any
) -> None:
    for method, path in [("PUT", "accounts/active"), ("POST", "accounts"), ("PUT", "jobs/x/tags")]:
        code, body = await qrt_api(method, path, body=DEEP)
        assert f"limit is {MAX_JSON_DEPTH} levels" in _problem(code, body, 400)
        code, body = await qrt_api(method, path, body='{"max_ttl": ' + HUGE + "}")
        message = _problem(code, body, 400)
        assert "'max_ttl' is an integer with 5000 digits" in message
        assert str(MAX_NUMBER_CHARS) in message
    code, body = await qrt_api("POST", "accounts", body='{"name": NaN}')
    assert "'name' is NaN" in _problem(code, body, 400)


async def test_long_numbers_and_repeats_in_query_parameters(qrt_local: Any, qrt_api: Any) -> None:
    for name in ("limit", "offset"):
        code, body = await qrt_api("GET", "jobs", params={name: HUGE})
        assert f"'{name}' must be a whole number" in _problem(code, body, 400)
    query = [("tags", f"t{i}") for i in range(500)]
    code, body = await qrt_api("GET", "jobs", params=query)
    message = _problem(code, body, 400)
    assert f"'tags' is given 500 times; the limit is {MAX_REPEATED_PARAM}" in message


async def test_hostile_websocket_messages_get_an_error_event_and_keep_the_socket(
    qrt_local: Any, jp_ws_fetch: Any
) -> None:
    ws = await jp_ws_fetch("qrt-lab", "api", "events")
    try:
        for message in [DEEP, '{"type": ' + HUGE + "}", "[" * 100_000, "not json"]:
            await ws.write_message(message)
            while True:
                event = json.loads(await asyncio.wait_for(ws.read_message(), 30))
                if event["type"] == "error":
                    break
            assert event["code"] == "bad_json" and event["message"] and event["hint"]
        for message in _drawn(BODIES, 80):  # a seeded barrage; then the socket still answers
            await ws.write_message(message)
        await ws.write_message(json.dumps({"type": "refresh"}))
        await ws.write_message('{"the_end": ' + "9" * 200 + "}")
        while True:
            reply = await asyncio.wait_for(ws.read_message(), 60)
            assert reply is not None, "the events socket closed"
            event = json.loads(reply)
            if event["type"] == "error" and "'the_end'" in event["message"]:
                break
        assert event["hint"] and ws.close_code is None
    finally:
        ws.close()


async def test_an_unreachable_iam_host_is_named_and_the_key_not_blamed(
    qrt_local: Any, qrt_api: Any
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    account = {
        "name": "nowhere",
        "token": "HOSTILE-CANARY-KEY",
        "instance": CRN,
        "url": f"http://127.0.0.1:{port}",
    }
    code, body = await qrt_api("POST", "accounts", body=account)
    message = _problem(code, body) if code < 500 else body["message"]
    assert code == 502 and body["code"] == "iam_unreachable", body
    assert f"127.0.0.1:{port}" in message and "connection refused" in message
    assert "HOSTILE-CANARY-KEY" not in message and "API key" not in message


NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=6000).map(lambda n: "9" * n or "0"),
    st.sampled_from(["1e999", "NaN", "-Infinity", "0." + "0" * 300]),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
DEEP_TEXT = st.integers(min_value=MAX_JSON_DEPTH - 2, max_value=3000).map(
    lambda n: "[" * n + "]" * n
)
FIELDS = st.sampled_from(["name", "token", "max_ttl", "tags", "mode", "backend", "instance"])
BODIES = st.one_of(
    JSON_VALUES.map(json.dumps),
    DEEP_TEXT,
    NUMBERS,
    st.tuples(FIELDS, st.one_of(NUMBERS, DEEP_TEXT)).map(lambda p: f'{{"{p[0]}": {p[1]}}}'),
    st.text(max_size=50),
)
PATHS = st.sampled_from(
    [
        "version",
        "accounts",
        "accounts/active",
        "accounts/x",
        "instances",
        "usage",
        "backends",
        "backends/x",
        "backends/x/calibration.csv",
        "jobs",
        "jobs/x",
        "jobs/x/result",
        "jobs/x/cancel",
        "jobs/x/tags",
        "sessions",
        "sessions/x",
        "sessions/x/close",
        "sessions/x/cancel",
    ]
)
QUERY = st.lists(
    st.tuples(
        st.sampled_from(["limit", "offset", "tags", "status", "created_after", "backend"]),
        st.one_of(NUMBERS.map(lambda n: n[:2000]), st.text(max_size=20)),
    ),
    max_size=4,
).map(dict)
EXAMPLES = st.tuples(
    st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]), PATHS, BODIES, QUERY
)


def _drawn(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` seeded examples, drawn up front (the requests themselves are async)."""
    drawn: list[Any] = []

    @settings(
        derandomize=True,
        max_examples=count,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def draw(example: Any) -> None:
        drawn.append(example)

    draw()
    return drawn


@pytest.mark.parametrize("count", [150])
async def test_hostile_requests_on_every_route_never_reach_a_5xx(
    qrt_local: Any, qrt_api: Any, jp_ws_fetch: Any, count: int
) -> None:
    code, before = await qrt_api("GET", "backends")
    assert code == 200
    for method, path, body, query in _drawn(EXAMPLES, count):
        if method == "DELETE" and path.startswith("accounts"):
            continue  # deleting the active account is a legitimate 2xx, not hostile
        if path == "accounts" and method == "POST":
            body = body.replace('"url"', '"u"')  # never point a saved account anywhere real
        code, reply = await qrt_api(
            method, path, body=body if method in {"POST", "PUT", "PATCH"} else None, params=query
        )
        assert code < 500 or (code in (502, 503) and reply.get("code")), (method, path, reply)
        if 400 <= code < 500:
            _problem(code, reply)
    code, after = await qrt_api("GET", "backends")
    assert code == 200 and after == before
