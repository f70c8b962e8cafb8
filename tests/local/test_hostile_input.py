"""Hostile and unlucky input at the local service's HTTP boundary: 4xx IBM error bodies, never 5xx.

The explicit cases pin each class of input (deep JSON, long numbers, repeated query parameters,
forged tokens with hostile claims, oversized bodies) to its message; the hypothesis tests throw a
seeded barrage at every route and then check that the service is alive and that a finished job's
documents are byte-identical to before.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_http import bell_circuit, encoded_params, post_job, runtime_client, wait_final

from qrt_lab.local.http.limits import (
    MAX_JSON_DEPTH,
    MAX_NUMBER_CHARS,
    MAX_REPEATED_PARAM,
    MAX_SMALL_BODY_BYTES,
)
from qrt_lab.runtime.api.discovery import LocalServiceInfo

IDEAL = "local_ideal"
DEEP = 1000
HUGE = "9" * 5000


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


@pytest.fixture(scope="module")
def baseline(api: httpx.Client) -> dict[str, bytes]:
    """Documents of a finished job and a device, read before any hostile request."""
    job_id = post_job(api, IDEAL, encoded_params([bell_circuit()], 64), tags=["baseline"])
    assert wait_final(api, job_id)["state"]["status"] == "Completed"
    return _documents(api, job_id)


def _documents(api: httpx.Client, job_id: str) -> dict[str, bytes]:
    paths = [
        f"/jobs/{job_id}",
        f"/jobs/{job_id}/results",
        f"/jobs/{job_id}/metrics",
        f"/backends/{IDEAL}/configuration",
    ]
    return {path: api.get(path).content for path in paths} | {"id": job_id.encode()}


def _assert_alive_and_unchanged(api: httpx.Client, local_service: Any, before: dict) -> None:
    assert httpx.get(f"{local_service.url}/health").status_code == 200
    assert _documents(api, before["id"].decode()) == before


def _error(reply: httpx.Response, status: int | None = None) -> str:
    """The message of a documented IBM error body (asserting its shape)."""
    assert reply.status_code < 500, reply.text
    if status is not None:
        assert reply.status_code == status, reply.text
    body = reply.json()
    (error,) = body["errors"]
    assert set(error) == {"code", "message", "more_info"}, body
    assert body["trace"] and body["status_code"] == reply.status_code
    assert "Traceback" not in reply.text
    return str(error["message"])


def _forged(claims: str, header: str = '{"alg":"HS256","typ":"JWT"}') -> str:
    def b64(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()

    return f"{b64(header)}.{b64(claims)}.{b64('not-a-signature')}"


def _job_text(backend: str, field: str, raw: str) -> str:
    """A POST /jobs body (sampler, one PUB) with ``raw`` JSON text spliced in at ``field``."""
    pub = ["CIRCUIT", None, "SHOTS"]
    body: dict[str, Any] = {
        "program_id": "sampler",
        "backend": backend,
        "params": {"pubs": [pub], "options": {"default_shots": "DEFAULT_SHOTS"}},
        "cost": "COST",
        "tags": "TAGS",
    }
    values = {
        "CIRCUIT": '{"__type__": "QuantumCircuit", "__value__": "bm90LXFweQ=="}',
        "SHOTS": "8",
        "DEFAULT_SHOTS": "8",
        "COST": "30",
        "TAGS": '["t"]',
    }
    values[field] = raw
    text = json.dumps(body)
    for name, value in values.items():
        text = text.replace(f'"{name}"', value)
    return text


# explicit cases, one per class of input


def test_deep_json_bodies_name_the_limit(api: httpx.Client) -> None:
    for path, method in [("/jobs", "POST"), ("/sessions", "POST"), ("/jobs/x/tags", "PUT")]:
        for text in ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP]:
            reply = api.request(method, path, content=text)
            if reply.status_code == 404:  # PUT on an unknown job: the job is looked up first
                continue
            assert f"limit is {MAX_JSON_DEPTH} levels" in _error(reply, 400)
    shallow = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    message = _error(api.post("/sessions", content=shallow), 400)
    assert f"deeper than {MAX_JSON_DEPTH} levels" in message


@pytest.mark.parametrize(
    ("field", "raw", "words"),
    [
        ("SHOTS", HUGE, "'params.pubs[0][2]' is an integer with 5000 digits"),
        ("DEFAULT_SHOTS", "-" + HUGE, "'params.options.default_shots' is an integer with 5000"),
        ("COST", HUGE, "'cost' is an integer with 5000 digits"),
        ("COST", "1e999", "'cost' is 1e999, beyond the float range"),
        ("COST", "0." + "1" * 200, "'cost' is a number written with 202 characters"),
        ("COST", "NaN", "'cost' is NaN, which is not JSON"),
        ("TAGS", "[-Infinity]", "'tags[0]' is -Infinity"),
    ],
)
def test_long_or_non_finite_numbers_in_a_job_name_the_field(
    api: httpx.Client, field: str, raw: str, words: str
) -> None:
    message = _error(api.post("/jobs", content=_job_text(IDEAL, field, raw)), 400)
    assert words in message
    assert str(MAX_NUMBER_CHARS) in message or "float range" in message or "JSON" in message


def test_long_numbers_in_sessions_and_query_parameters(api: httpx.Client) -> None:
    body = f'{{"backend": "{IDEAL}", "max_ttl": {HUGE}}}'
    assert "'max_ttl' is an integer with 5000 digits" in _error(api.post("/sessions", content=body))
    for name in ("limit", "offset"):
        message = _error(api.get("/jobs", params={name: HUGE}), 400)
        assert f"'{name}' has 5000 digits" in message and HUGE not in message
        assert "integer from" in _error(api.get("/jobs", params={name: "-5"}), 400)
    assert "must be an integer, not '1.5'" in _error(api.get("/jobs", params={"limit": "1.5"}))
    assert api.get("/jobs", params={"limit": "999999"}).json()["limit"] == 200


def test_repeated_query_parameters_are_limited(api: httpx.Client) -> None:
    many = [("tags", f"t{i}") for i in range(1000)]
    message = _error(api.get("/jobs", params=many), 400)
    assert f"'tags' is given 1000 times; the limit is {MAX_REPEATED_PARAM}" in message
    allowed = [("tags", f"t{i}") for i in range(MAX_REPEATED_PARAM)]
    assert api.get("/jobs", params=allowed).json()["count"] == 0
    assert _error(api.get("/versions", params=[("x", "1")] * 1000), 400)


def test_forged_tokens_with_hostile_claims_are_401(local_service: LocalServiceInfo) -> None:
    claims = ["[" * DEEP + "]" * DEEP, '{"exp": ' + HUGE + "}", '{"exp": NaN}', "\udc80"]
    for text in claims:
        token = _forged(text.encode("utf-8", "surrogateescape").decode("latin-1"))
        headers = {"Authorization": f"Bearer {token}", "Service-CRN": local_service.instance}
        runtime = httpx.get(f"{local_service.url}/api/v1/jobs", headers=headers)
        assert "invalid or expired" in _error(runtime, 401)
        platform = httpx.post(f"{local_service.url}/v3/resources/search", headers=headers)
        assert "invalid bearer token" in _error(platform, 401)


def test_oversized_small_bodies_are_413(api: httpx.Client, local_service: LocalServiceInfo) -> None:
    big = b" " * (MAX_SMALL_BODY_BYTES + 1)
    assert str(MAX_SMALL_BODY_BYTES) in _error(api.post("/sessions", content=big), 413)
    reply = httpx.post(f"{local_service.url}/identity/token", content=big)
    assert str(MAX_SMALL_BODY_BYTES) in _error(reply, 413)
    form = "&".join(["grant_type=x"] * 1000)
    reply = httpx.post(f"{local_service.url}/identity/token", content=form)
    assert f"more than {MAX_REPEATED_PARAM} fields" in _error(reply, 400)


# property-based barrage on every route

IDS = st.sampled_from(["x", "j-missing", "%2e%2e", "a" * 300, "%00", "%F0%9F%92%A5"])
ROUTES = st.one_of(
    st.sampled_from(
        [
            "/health",
            "/identity/token",
            "/v3/resources/search",
            "/globalcatalog/api/v1/{id}",
            "/api/v1/backends",
            "/api/v1/backends/{id}/configuration",
            "/api/v1/backends/local_ideal/properties",
            "/api/v1/backends/{id}/status",
            "/api/v1/jobs",
            "/api/v1/jobs/{id}",
            "/api/v1/jobs/{id}/results",
            "/api/v1/jobs/{id}/cancel",
            "/api/v1/jobs/{id}/logs",
            "/api/v1/jobs/{id}/metrics",
            "/api/v1/jobs/{id}/tags",
            "/experimental/api/v1/sessions",
            "/api/v1/sessions",
            "/api/v1/sessions/{id}",
            "/api/v1/sessions/{id}/close",
            "/api/v1/instances/usage",
            "/api/v1/instance",
            "/api/v1/versions",
            "/nowhere/{id}",
        ]
    ),
    st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=40).map(
        lambda tail: "/api/v1/" + tail.replace("?", "").replace("#", "")
    ),
)
METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"])
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=6000).map(lambda n: "9" * n or "0"),
    st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "-0", "1e-400", "0." + "0" * 500]),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
DEEP_TEXT = st.integers(min_value=MAX_JSON_DEPTH - 2, max_value=3000).flatmap(
    lambda n: st.sampled_from(["[" * n + "]" * n, '{"a":' * n + "0" + "}" * n, "[" * n])
)
JOB_FIELDS = st.sampled_from(["CIRCUIT", "SHOTS", "DEFAULT_SHOTS", "COST", "TAGS"])
BODIES = st.one_of(
    st.none(),
    st.binary(max_size=300),
    JSON_VALUES.map(json.dumps),
    DEEP_TEXT,
    NUMBERS,
    st.tuples(JOB_FIELDS, st.one_of(NUMBERS, DEEP_TEXT, JSON_VALUES.map(json.dumps))).map(
        lambda pair: _job_text(IDEAL, *pair)
    ),
    st.sampled_from(
        ['{"backend": "local_ideal", "max_ttl": %s}', '{"accepting_jobs": %s}']
    ).flatmap(lambda template: NUMBERS.map(lambda n: template % n)),
)
QUERY_NAMES = st.sampled_from(
    ["limit", "offset", "tags", "sort", "pending", "exclude_params", "created_after", "backend"]
)
QUERY_VALUES = st.one_of(NUMBERS.map(lambda n: n[:3000]), st.text(max_size=30))
QUERIES = st.one_of(
    st.lists(st.tuples(QUERY_NAMES, QUERY_VALUES), max_size=6),
    st.tuples(QUERY_NAMES, st.integers(min_value=0, max_value=1500)).map(
        lambda pair: [(pair[0], str(i)) for i in range(pair[1])]
    ),
)
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(
    str.strip
)
CLAIMS = st.one_of(
    DEEP_TEXT, NUMBERS.map(lambda n: '{"exp": ' + n + "}"), JSON_VALUES.map(json.dumps)
)


def _headers(good: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    authorization = st.one_of(
        st.just(good["Authorization"]),
        CLAIMS.map(lambda claims: f"Bearer {_forged(claims)}"),
        HEADER_TEXT.map(lambda text: f"Bearer {text}".strip()),
        HEADER_TEXT,
        st.none(),
    )
    crn = st.one_of(st.just(good["Service-CRN"]), HEADER_TEXT, st.none())
    return st.fixed_dictionaries(
        {"Authorization": authorization, "Service-CRN": crn},
        optional={"IBM-API-Version": HEADER_TEXT, "Content-Type": HEADER_TEXT},
    ).map(lambda headers: {k: v for k, v in headers.items() if v is not None})


BARRAGE = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def test_hostile_requests_on_every_route_never_reach_a_5xx(
    api: httpx.Client, local_service: LocalServiceInfo, baseline: dict[str, bytes]
) -> None:
    good = {name: api.headers[name] for name in ("Authorization", "Service-CRN")}
    hostile = httpx.Client(base_url=local_service.url, timeout=60)

    @BARRAGE
    @given(
        route=ROUTES,
        ident=IDS,
        method=METHODS,
        body=BODIES,
        query=QUERIES,
        headers=_headers(good),
    )
    def barrage(
        route: str,
        ident: str,
        method: str,
        body: Any,
        query: list[tuple[str, str]],
        headers: dict[str, str],
    ) -> None:
        content = body.encode() if isinstance(body, str) else body
        reply = hostile.request(
            method, route.replace("{id}", ident), params=query, content=content, headers=headers
        )
        assert reply.status_code < 500, reply.text
        if reply.status_code >= 400:
            _error(reply)

    with hostile:
        barrage()
    _assert_alive_and_unchanged(api, local_service, baseline)


def test_hostile_bearer_tokens_are_401_on_runtime_and_platform_routes(
    api: httpx.Client, local_service: LocalServiceInfo, baseline: dict[str, bytes]
) -> None:
    client = httpx.Client(base_url=local_service.url, timeout=60)

    @settings(BARRAGE, max_examples=120)
    @given(claims=CLAIMS, header=st.one_of(st.just('{"alg":"HS256"}'), CLAIMS))
    def barrage(claims: str, header: str) -> None:
        token = _forged(claims, header)
        headers = {"Authorization": f"Bearer {token}", "Service-CRN": local_service.instance}
        _error(client.get("/api/v1/jobs", headers=headers), 401)
        _error(client.post("/v3/resources/search", headers=headers), 401)

    with client:
        barrage()
    _assert_alive_and_unchanged(api, local_service, baseline)
