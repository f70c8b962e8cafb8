"""``GET backends/{name}/figure?styles=1``: every metric's colours in one answer, for restyling."""

from __future__ import annotations

from typing import Any

import pytest
from server_support import on_session_service

Api = Any
DEVICE = "local_heron156"


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """The extension uses the session's local service and never starts one of its own."""
    return on_session_service(jp_server_config, local_service)


async def test_styles_restyle_the_drawn_figure_into_every_other_metric(
    qrt_local: Any, qrt_api: Api
) -> None:
    code, detail = await qrt_api("GET", f"backends/{DEVICE}")
    assert code == 200, detail
    edge_keys = list(detail["calibration"]["edge_metrics"])
    qubit_keys = list(detail["calibration"]["qubit_metrics"])
    error_key = next(k for k in edge_keys if k.endswith("_error"))
    code, body = await qrt_api(
        "GET", f"backends/{DEVICE}/figure", params={"qubit": "T1", "edge": error_key, "styles": "1"}
    )
    assert code == 200, body
    styles = body["styles"]
    assert sorted(styles["qubit"]) == sorted(qubit_keys)
    assert sorted(styles["edge"]) == sorted(edge_keys)
    drawn = body["figure"]["data"]
    assert drawn[styles["qubit_trace"]]["name"] == "qubits"
    # restyling the drawn figure with a metric's style gives that metric's own figure
    for qubit in ("readout_error", "T2"):
        code, own = await qrt_api(
            "GET", f"backends/{DEVICE}/figure", params={"qubit": qubit, "edge": error_key}
        )
        marker = own["figure"]["data"][styles["qubit_trace"]]["marker"]
        assert styles["qubit"][qubit]["color"] == marker["color"]
        assert styles["qubit"][qubit]["title"] == marker["colorbar"]["title"]["text"]
    for edge in edge_keys:
        code, own = await qrt_api(
            "GET", f"backends/{DEVICE}/figure", params={"qubit": "T1", "edge": edge}
        )
        traces = [own["figure"]["data"][i] for i in styles["edge_traces"]]
        assert styles["edge"][edge]["x"] == [t["x"] for t in traces]
        assert styles["edge"][edge]["y"] == [t["y"] for t in traces]
        assert styles["edge"][edge]["name"] == [t["name"] for t in traces]
    # the bucketed edges of two metrics differ (else an edge switch would change nothing)
    if len(edge_keys) > 1:
        first, second = (styles["edge"][k] for k in edge_keys[:2])
        assert first["name"] != second["name"] or first["x"] != second["x"]
    # without the flag, the answer is as before
    code, plain = await qrt_api("GET", f"backends/{DEVICE}/figure", params={"qubit": "T1"})
    assert code == 200 and "styles" not in plain


@pytest.mark.parametrize("value", ["2", "yes", "", "true"])
async def test_a_bad_styles_flag_is_a_clear_400(qrt_local: Any, qrt_api: Api, value: str) -> None:
    code, body = await qrt_api("GET", f"backends/{DEVICE}/figure", params={"styles": value})
    assert code == 400 and body["code"] == "bad_query"
    assert "styles" in body["message"]
