"""``DELETE /qrt-lab/api/jobs/{id}`` through the server extension, on the real local service.

A finished job is deleted on the runtime (then 404 everywhere); an unknown id is a 404 problem;
hostile ids (hypothesis-drawn) get a ``{code, message, hint}`` 4xx and nothing else is lost. That
the route needs XSRF with cookie login is checked for every mutating route in test_route_auth.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_support import local_rest, submit_sampler, wait_final

IDS = st.one_of(
    st.text(min_size=1, max_size=200),
    st.sampled_from(["..", "../accounts", "%2e%2e", "' OR 1=1 --", "*", "a" * 5000, " "]),
)


def _drawn(count: int) -> list[str]:
    drawn: list[str] = []

    @settings(derandomize=True, max_examples=count, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(IDS)
    def draw(example: str) -> None:
        drawn.append(example)

    draw()
    return drawn


def _problem(code: int, body: Any) -> None:
    assert 400 <= code < 500, (code, body)
    assert isinstance(body, dict) and set(body) == {"code", "message", "hint"}, body
    assert "Traceback" not in body["message"]


async def test_delete_through_the_extension_and_hostile_ids(qrt_local: Any, qrt_api: Any) -> None:
    rest = local_rest(qrt_local)
    try:
        keep = await submit_sampler(rest, shots=100)
        gone = await submit_sampler(rest, shots=100)
        await wait_final(rest, keep)
        await wait_final(rest, gone)
    finally:
        await rest.aclose()
    code, before = await qrt_api("GET", f"jobs/{keep}/result")
    assert code == 200
    code, reply = await qrt_api("DELETE", f"jobs/{gone}")
    assert code == 200 and reply == {"id": gone, "deleted": True}
    code, body = await qrt_api("GET", f"jobs/{gone}")
    assert code == 404 and body["code"] == "not_found"
    code, body = await qrt_api("DELETE", f"jobs/{gone}")
    assert code == 404 and body["code"] == "not_found", body
    _problem(code, body)
    for job_id in _drawn(80):
        code, body = await qrt_api("DELETE", "jobs/" + quote(job_id, safe=""))
        _problem(code, body)
    code, after = await qrt_api("GET", f"jobs/{keep}/result")
    assert code == 200 and after == before, "only the chosen job goes"
