"""Figure builders return JSON-ready plotly dicts with bounded trace counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from qrt_lab.plots import (
    EDGE_BUCKETS,
    aggregate_counts,
    counts_histogram_figure,
    coupling_map_figure,
    expectation_values_figure,
)


def test_coupling_map_has_a_fixed_number_of_traces(
    configuration: Callable[[str], dict[str, Any]],
) -> None:
    small = coupling_map_figure(5, [[0, 1], [1, 2], [2, 3], [3, 4]])
    conf = configuration("fez")
    edges = conf["coupling_map"]
    values = {tuple(sorted(e)): float(i) for i, e in enumerate(edges)}
    big = coupling_map_figure(
        156,
        edges,
        qubit_values=[float(q) for q in range(156)],
        qubit_metric="T1 (µs)",
        edge_values=values,
        edge_metric="CZ error",
    )
    assert len(small["data"]) == len(big["data"]) == EDGE_BUCKETS + 3
    json.dumps(big)  # JSON-ready
    nodes = big["data"][-1]
    assert len(nodes["x"]) == 156
    assert "T1 (µs)" in nodes["hovertext"][5]
    drawn = sum(t["x"].count(None) for t in big["data"][: EDGE_BUCKETS + 1])
    assert drawn == 176, "every undirected edge drawn exactly once"
    assert big["data"][0]["x"] and big["data"][EDGE_BUCKETS - 1]["x"], "low and high buckets used"
    assert big["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"


def test_missing_edge_values_go_to_the_no_data_bucket() -> None:
    fig = coupling_map_figure(3, [[0, 1], [1, 2]], edge_values={(0, 1): 0.01}, edge_metric="e")
    assert fig["data"][EDGE_BUCKETS]["x"] == [1.0, 2.0, None]
    hover = fig["data"][EDGE_BUCKETS + 1]["text"]
    assert hover == ["0-1<br>e: 0.01", "1-2<br>e: n/a"]


def test_nan_qubit_values_become_null() -> None:
    fig = coupling_map_figure(2, [[0, 1]], qubit_values=[float("nan"), 3.0], qubit_metric="T2")
    assert fig["data"][-1]["marker"]["color"] == [None, 3.0]
    json.dumps(fig, allow_nan=False)


def test_counts_aggregate_to_top_k_plus_other() -> None:
    counts = {format(i, "04b"): 100 - i for i in range(16)}
    labels, values, other = aggregate_counts(counts, top_k=3)
    assert labels == ["0000", "0001", "0010"]
    assert values == [100, 99, 98]
    assert other == sum(100 - i for i in range(3, 16))
    fig = counts_histogram_figure(counts, top_k=3)
    bar = fig["data"][0]
    assert bar["x"] == ["0000", "0001", "0010", "other"]
    assert sum(bar["y"]) == sum(counts.values())
    assert "%" in bar["hovertext"][0]


def test_counts_sorted_by_key() -> None:
    labels, _, other = aggregate_counts({"11": 5, "00": 3, "01": 9}, top_k=2, sort="key")
    assert labels == ["01", "11"] and other == 3
    with pytest.raises(ValueError):
        aggregate_counts({"0": 1}, sort="size")


def test_expectation_values_with_shape_and_labels() -> None:
    evs = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    fig = expectation_values_figure(evs, evs / 10, labels=["ZZ", "XX", "YY"])
    assert len(fig["data"]) == 2
    assert fig["data"][1]["x"] == ["ZZ", "XX", "YY"]
    # named observables are points, not a line through values that do not exist between them
    assert {trace["mode"] for trace in fig["data"]} == {"markers"}
    sweep = expectation_values_figure(evs, x=[0.0, 0.5, 1.0])
    assert {trace["mode"] for trace in sweep["data"]} == {"lines+markers"}
    assert fig["data"][1]["error_y"]["array"] == pytest.approx([0.04, 0.05, 0.06])
    scalar = expectation_values_figure(np.float64(0.7), np.float64(0.01))
    assert scalar["data"][0]["y"] == [0.7]
    # one value at index 0: the axis shows index 0 only, not -1 and 1 around it
    assert scalar["layout"]["xaxis"]["range"] == [-0.5, 0.5]
    assert scalar["layout"]["xaxis"]["dtick"] == 1
    json.dumps(fig)
