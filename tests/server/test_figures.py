"""Figure routes for the sidebar's plots, against a real jupyter-server and the local service."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from server_support import local_rest, on_session_service, submit_sampler, wait_final

from qrt_lab.server.handlers.figures import result_figure

Api = Any
DEVICE = "local_heron156"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """The extension uses the session's local service and never starts one of its own."""
    return on_session_service(jp_server_config, local_service)


def _trace(figure: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in figure["data"] if t.get("name") == name)


async def test_coupling_map_figure_colours_by_the_chosen_metrics(
    qrt_local: Any, qrt_api: Api
) -> None:
    code, body = await qrt_api("GET", f"backends/{DEVICE}/figure", params={"qubit": "T1"})
    assert code == 200, body
    qubits = _trace(body["figure"], "qubits")
    assert len(qubits["x"]) == 156
    assert "T1" in qubits["marker"]["colorbar"]["title"]["text"]
    assert "µs" in qubits["marker"]["colorbar"]["title"]["text"]
    # hover lists every metric of the qubit, not only the coloured one
    assert "T2" in qubits["hovertext"][0] and "Readout" in qubits["hovertext"][0]
    assert len(body["figure"]["data"]) <= 14, "bucketed traces, not one per edge"
    code, detail = await qrt_api("GET", f"backends/{DEVICE}")
    edge_keys = list(detail["calibration"]["edge_metrics"])
    error_key = next(k for k in edge_keys if k.endswith("_error"))
    code, by_error = await qrt_api(
        "GET", f"backends/{DEVICE}/figure", params={"qubit": "readout_error", "edge": error_key}
    )
    assert code == 200
    assert by_error["edge"] == error_key and by_error["qubit"] == "readout_error"
    assert by_error["figure"]["data"][0]["name"] != body["figure"]["data"][0]["name"]
    assert _trace(by_error["figure"], "qubits")["marker"]["color"] != qubits["marker"]["color"]
    hover = _trace(by_error["figure"], "edge hover")
    assert len(hover["text"]) == 176 and "error" in hover["text"][0].lower()


async def test_unknown_metric_is_a_clear_400(qrt_local: Any, qrt_api: Api) -> None:
    code, body = await qrt_api("GET", f"backends/{DEVICE}/figure", params={"qubit": "nope"})
    assert code == 400 and body["code"] == "bad_query"
    assert "T1" in body["hint"]
    code, body = await qrt_api("GET", "backends/..%2F/figure")
    assert 400 <= code < 500


def _hostile_queries(count: int = 25) -> list[tuple[str, str, str]]:
    """Query values drawn by hypothesis (collected first: the requests themselves are async)."""
    found: list[tuple[str, str, str]] = []

    @settings(max_examples=count, database=None, deadline=None)
    @given(qubit=st.text(max_size=60), edge=st.text(max_size=60), top_k=st.text(max_size=8))
    def collect(qubit: str, edge: str, top_k: str) -> None:
        found.append((qubit, edge, top_k))

    collect()
    return found


async def test_hostile_figure_queries_never_500(qrt_local: Any, qrt_api: Api) -> None:
    for qubit, edge, top_k in _hostile_queries():
        code, body = await qrt_api(
            "GET", f"backends/{DEVICE}/figure", params={"qubit": qubit, "edge": edge}
        )
        assert code in (200, 400), (qubit, edge, body)
        code, body = await qrt_api(
            "GET", "jobs/nonexistent-job/figure", params={"top_k": top_k, "register": qubit}
        )
        assert 400 <= code < 500, (top_k, body)


async def test_sampler_histogram_sums_the_rest_into_other(qrt_local: Any, qrt_api: Api) -> None:
    rest = local_rest(qrt_local)
    try:
        job_id = await submit_sampler(rest, shots=500, reps=1)
        await wait_final(rest, job_id)
    finally:
        await rest.aclose()
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"top_k": 1})
    assert code == 200, body
    assert body["kind"] == "sampler" and body["pubs"] == 1 and body["registers"]
    bar = body["figure"]["data"][0]
    assert bar["type"] == "bar" and bar["x"][-1] == "other" and len(bar["x"]) == 2
    assert sum(bar["y"]) == 500
    assert bar["hovertemplate"].endswith("%)<extra></extra>")
    assert bar["customdata"][-1] == round(100 * bar["y"][-1] / 500, 2)
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"pub": 3})
    assert code == 400 and body["code"] == "bad_query"
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"sort": "random"})
    assert code == 400 and body["code"] == "bad_query"


def test_estimator_figure_can_swap_the_axes_of_a_2d_shape() -> None:
    summary = {
        "status": "Completed",
        "pubs": [
            {
                "index": 0,
                "shape": [2, 3],
                "kind": "estimator",
                "arrays": {
                    "evs": {"shape": [2, 3], "values": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]},
                    "stds": {"shape": [2, 3], "values": [[0.01] * 3, [0.02] * 3]},
                },
            }
        ],
    }
    rows = result_figure(summary, 0, "", 16, "count", 0)
    assert rows["kind"] == "estimator" and len(rows["figure"]["data"]) == 2
    assert rows["figure"]["data"][0]["y"] == [0.1, 0.2, 0.3]
    cols = result_figure(summary, 0, "", 16, "count", 1)
    assert len(cols["figure"]["data"]) == 3
    assert cols["figure"]["data"][0]["y"] == [0.1, 0.4]
    assert cols["figure"]["data"][0]["error_y"]["array"] == [0.01, 0.02]
