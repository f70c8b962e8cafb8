"""The tornado-free figure builder of ``GET jobs/{id}/figure`` and the summaries it reads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qiskit.primitives import BitArray, DataBin, PrimitiveResult, SamplerPubResult

from qrt_lab.runtime.summaries.results import register_summary, result_registers, summarize_result
from qrt_lab.server.problems import ApiProblem
from qrt_lab.server.result_figures import (
    FigureQuery,
    needs_registers,
    parse_at,
    parse_index,
    result_figure,
)


def _bits(shape: tuple[int, ...], shots: int, bits: int, seed: int = 1) -> BitArray:
    rng = np.random.default_rng(seed)
    # each binding leans towards its own outcome, so bindings differ
    values = rng.integers(0, 2**bits, size=(*shape, shots))
    lean = np.arange(int(np.prod(shape)) or 1).reshape(shape) % (2**bits)
    values = np.where(rng.random(values.shape) < 0.6, lean[..., None], values)
    return BitArray.from_samples(values.reshape(-1).tolist(), bits).reshape(*shape, shots)


def _result(bits: BitArray) -> PrimitiveResult[Any]:
    data = DataBin(meas=bits, shape=bits.shape)
    return PrimitiveResult([SamplerPubResult(data, metadata={"shots": bits.num_shots})])


def _bars(body: dict[str, Any]) -> dict[str, int]:
    trace = body["figure"]["data"][0]
    return dict(zip(trace["x"], trace["y"], strict=True))


def test_register_summary_of_one_binding_matches_get_counts() -> None:
    bits = _bits((3, 4), 200, 4)
    for loc in [(0, 0), (2, 3), (1, 2)]:
        summary = register_summary(bits, top_k=16, index=loc)
        assert summary["total_shots"] == 200
        assert summary["top_counts"] == bits.get_counts(loc=loc)
    assert register_summary(bits, 16)["total_shots"] == 2400


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 2, 3)])
def test_every_binding_of_a_sweep_is_drawn_from_its_own_shots(shape: tuple[int, ...]) -> None:
    bits = _bits(shape, 300, 3)
    result = _result(bits)
    summary = {"status": "Completed", **summarize_result(result, top_k=16)}
    registers = result_registers(result)
    for loc in np.ndindex(*shape):
        query = FigureQuery(index=",".join(map(str, loc)), top_k=64)
        assert needs_registers(summary, query)
        body = result_figure(summary, 0, "", 64, "count", 0, query=query, registers=registers)
        assert body["index"] == list(loc) and body["shape"] == list(shape)
        assert _bars(body) == bits.get_counts(loc=loc)
    whole = result_figure(summary, 0, "", 64, "count", 0)
    assert _bars(whole) == bits.get_counts()


def test_top_k_past_the_summary_uses_the_registers_and_keeps_other() -> None:
    bits = _bits((), 5000, 8)
    result = _result(bits)
    summary = {"status": "Completed", **summarize_result(result, top_k=16)}
    query = FigureQuery(top_k=100)
    assert needs_registers(summary, query)
    body = result_figure(
        summary, 0, "", 100, "count", 0, query=query, registers=result_registers(result)
    )
    drawn = _bars(body)
    counts = bits.get_counts()
    assert len(drawn) == 101 and drawn["other"] == 5000 - sum(
        v for k, v in drawn.items() if k != "other"
    )
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:100]
    assert [k for k, _ in ranked] == body["figure"]["data"][0]["x"][:100]
    trace = body["figure"]["data"][0]
    assert trace["marker"]["color"][-1] != trace["marker"]["color"][0]
    assert trace["customdata"][0] == round(100 * ranked[0][1] / 5000, 2)


def test_index_parsing_names_the_parameter() -> None:
    assert parse_index("", [3]) is None
    assert parse_index("2,0", [3, 1]) == (2, 0)
    for raw, shape in [("3", [3]), ("0", []), ("1", [2, 2]), ("x", [2]), ("-0", [2])]:
        with pytest.raises(ApiProblem) as caught:
            parse_index(raw, shape)
        assert caught.value.status == 400 and "'index'" in caught.value.message
    assert parse_at("", [2, 3], 1) == (None, None)
    assert parse_at("1,:", [2, 3], 1) == (1, None)
    with pytest.raises(ApiProblem, match="axis 1 runs along x"):
        parse_at(":,2", [2, 3], 1)


def _estimator_summary(shape: tuple[int, ...]) -> dict[str, Any]:
    evs = np.arange(int(np.prod(shape)), dtype=float).reshape(shape) / 10
    return {
        "status": "Completed",
        "pubs": [
            {
                "index": 0,
                "shape": list(shape),
                "kind": "estimator",
                "arrays": {
                    "evs": {"shape": list(shape), "values": evs.tolist()},
                    "stds": {"shape": list(shape), "values": (evs / 100).tolist()},
                },
            }
        ],
    }


def test_estimator_any_axis_of_a_3d_shape() -> None:
    shape = (2, 3, 4)
    summary = _estimator_summary(shape)
    evs = np.arange(24, dtype=float).reshape(shape) / 10
    default = result_figure(summary, 0, "", 16, "count", 0)
    assert default["x"] == 2 and len(default["figure"]["data"]) == 6
    assert default["figure"]["data"][0]["y"] == evs[0, 0].tolist()
    query = FigureQuery(x="1", at="1,:,3")
    body = result_figure(summary, 0, "", 16, "count", 0, query=query)
    (line,) = body["figure"]["data"]
    assert line["y"] == pytest.approx(evs[1, :, 3].tolist())
    assert line["error_y"]["array"] == pytest.approx((evs[1, :, 3] / 100).tolist())
    assert line["name"] == "[1, :, 3]" and body["at"] == [1, ":", 3]
    lines = result_figure(summary, 0, "", 16, "count", 0, query=FigureQuery(x="0", at=":,2,:"))
    assert len(lines["figure"]["data"]) == 4
    assert lines["figure"]["data"][3]["y"] == pytest.approx(evs[:, 2, 3].tolist())
    assert lines["figure"]["data"][3]["name"] == "[:, 2, 3]"
    # the legacy axis=1 of a 2-D shape is x = axis 0
    flat = result_figure(_estimator_summary((2, 3)), 0, "", 16, "count", 1)
    assert flat["x"] == 0 and len(flat["figure"]["data"]) == 3


@settings(max_examples=200, deadline=None)
@given(
    shape=st.lists(st.integers(1, 3), max_size=3).map(tuple),
    x=st.one_of(st.just(""), st.text(max_size=4), st.integers(-2, 4).map(str)),
    at=st.one_of(
        st.text(max_size=8),
        st.lists(st.integers(-1, 3).map(str) | st.just(":"), max_size=4).map(",".join),
    ),
    axis=st.integers(0, 1),
)
def test_estimator_queries_raise_only_bad_query(
    shape: tuple[int, ...], x: str, at: str, axis: int
) -> None:
    summary = _estimator_summary(shape)
    try:
        body = result_figure(summary, 0, "", 16, "count", axis, query=FigureQuery(x=x, at=at))
    except ApiProblem as problem:
        assert problem.status == 400 and problem.code == "bad_query"
    else:
        assert body["figure"]["data"]


@settings(max_examples=150, deadline=None)
@given(
    index=st.one_of(
        st.text(max_size=10),
        st.lists(st.integers(-1, 5).map(str), max_size=3).map(",".join),
    ),
    shape=st.sampled_from([(), (4,), (2, 3)]),
)
def test_sampler_index_raises_only_bad_query(index: str, shape: tuple[int, ...]) -> None:
    bits = _bits(shape, 20, 2)
    result = _result(bits)
    summary = {"status": "Completed", **summarize_result(result, top_k=16)}
    try:
        body = result_figure(
            summary,
            0,
            "",
            16,
            "count",
            0,
            query=FigureQuery(index=index),
            registers=result_registers(result),
        )
    except ApiProblem as problem:
        assert problem.status == 400 and "'index'" in problem.message
    else:
        expected = bits.get_counts(loc=tuple(body["index"])) if body["index"] else bits.get_counts()
        assert _bars(body) == expected


def test_estimator_lines_are_named_by_index_and_observable() -> None:
    summary = _estimator_summary((2, 3))
    summary["pubs"][0]["observables"] = [["Z"], ["X"]]
    rows = result_figure(summary, 0, "", 16, "count", 0)
    assert [t["name"] for t in rows["figure"]["data"]] == ["Z", "X"]
    assert rows["figure"]["layout"]["xaxis"]["dtick"] == 1
    cols = result_figure(summary, 0, "", 16, "count", 0, query=FigureQuery(x="0"))
    assert [t["name"] for t in cols["figure"]["data"]] == ["[:, 0]", "[:, 1]", "[:, 2]"]


def _sweep_summary(names: list[str], values: Any, observables: Any) -> dict[str, Any]:
    """An estimator PUB ``(observables (2, 1), bindings (n,))`` as the result summary has it."""
    values = np.asarray(values, dtype=float)
    shape = (2, values.shape[0])
    summary = _estimator_summary(shape)
    entry = summary["pubs"][0]
    entry["observables"] = observables
    entry["observables_full"] = observables
    entry["parameters"] = {"names": names, "values": values.tolist()}
    return summary


def test_estimator_x_axis_is_the_swept_parameter_named_as_written() -> None:
    thetas = np.linspace(0, 2 * np.pi, 20)
    summary = _sweep_summary(["θ"], thetas[:, None], [["ZZ"], ["XX"]])
    body = result_figure(summary, 0, "", 16, "count", 0)
    figure = body["figure"]
    assert figure["layout"]["xaxis"]["title"]["text"] == "θ"
    assert [t["name"] for t in figure["data"]] == ["ZZ", "XX"]
    assert figure["data"][0]["x"] == pytest.approx(thetas.tolist())
    assert body["param"] == "θ" and body["parameters"] == ["θ"]
    assert body["axes"] == ["observables", "θ"]  # what the axis picker names each axis by
    hover = figure["data"][1]["text"][3]
    assert hover == "⟨XX⟩ = 2.300 ± 0.023<br>θ = 0.9921"


def test_estimator_two_parameters_choose_x_and_hover_every_value() -> None:
    grid = np.array([[t, 0.5] for t in np.linspace(0, 1, 5)])
    summary = _sweep_summary(["a", "b"], grid, [["Z"], ["X"]])
    body = result_figure(summary, 0, "", 16, "count", 0)
    assert body["param"] == "a"  # the one varying along x
    assert body["axes"] == ["observables", "a"]  # b is the same everywhere
    assert (
        body["figure"]["data"][0]["text"][1] == "⟨Z⟩ = 0.1000 ± 0.0010<br>a = 0.2500<br>b = 0.5000"
    )
    chosen = result_figure(summary, 0, "", 16, "count", 0, query=FigureQuery(param="b"))
    assert chosen["figure"]["layout"]["xaxis"]["title"]["text"] == "b"
    with pytest.raises(ApiProblem) as bad:
        result_figure(summary, 0, "", 16, "count", 0, query=FigureQuery(param="c"))
    assert bad.value.status == 400 and "a, b" in bad.value.hint


def test_several_observables_without_a_sweep_are_one_labelled_point_each() -> None:
    summary = _estimator_summary((2,))
    summary["pubs"][0]["observables"] = ["ZZ", "XX"]
    figure = result_figure(summary, 0, "", 16, "count", 0)["figure"]
    (trace,) = figure["data"]
    assert trace["x"] == ["ZZ", "XX"] and trace["mode"] == "markers"
    assert trace["error_y"]["array"] == pytest.approx([0.0, 0.001])
    assert figure["layout"]["xaxis"] == {"title": {"text": "observable"}, "type": "category"}
