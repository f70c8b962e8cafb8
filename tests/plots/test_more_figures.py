"""Expectation, ZNE, timeline and calibration-CDF figures."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from qrt_lab.plots import (
    calibration_cdf_figure,
    expectation_values_figure,
    timeline_figure,
    zne_figure,
)


def test_expectation_along_a_chosen_axis_with_parameter_values() -> None:
    evs = np.arange(6.0).reshape(2, 3)  # 2 observables x 3 parameter values
    figure = expectation_values_figure(
        evs, evs / 10, x=[0.0, 0.5, 1.0], axis=1, trace_names=["ZZ", "XX"]
    )
    assert [t["name"] for t in figure["data"]] == ["ZZ", "XX"]
    assert figure["data"][1]["y"] == [3.0, 4.0, 5.0]
    assert figure["data"][1]["x"] == [0.0, 0.5, 1.0]
    assert figure["data"][0]["error_y"]["array"] == pytest.approx([0.0, 0.1, 0.2])
    by_observable = expectation_values_figure(evs, axis=0, labels=["ZZ", "XX"])
    assert len(by_observable["data"]) == 3
    assert by_observable["data"][0]["x"] == ["ZZ", "XX"]
    assert by_observable["data"][2]["name"] == "[:, 2]"


def test_expectation_rejects_mismatched_x_and_axis() -> None:
    with pytest.raises(ValueError, match="x has 2 values"):
        expectation_values_figure([1.0, 2.0, 3.0], x=[0, 1])
    with pytest.raises(ValueError, match="out of range"):
        expectation_values_figure([1.0, 2.0], axis=3)


def test_nan_becomes_null_and_json_is_strict() -> None:
    figure = expectation_values_figure([1.0, float("nan")], [0.1, float("inf")])
    assert figure["data"][0]["y"] == [1.0, None]
    json.dumps(figure, allow_nan=False)


def test_zne_draws_measured_points_and_the_extrapolation() -> None:
    figure = zne_figure([1, 3, 5], [[0.8, 0.6, 0.4]], [[0.01, 0.02, 0.03]], [0.9], names=["ZZ"])
    measured, extrapolated = figure["data"]
    assert measured["x"] == [1.0, 3.0, 5.0]
    assert extrapolated["x"][0] == 0.0 and extrapolated["y"][0] == 0.9


def test_timeline_one_trace_for_all_spans() -> None:
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    spans = [
        {"start": t0, "stop": t0 + dt.timedelta(seconds=2), "size": 100, "pubs": [0]},
        {"start": t0 + dt.timedelta(seconds=2), "stop": t0 + dt.timedelta(seconds=3), "size": 5},
    ]
    figure = timeline_figure(spans)
    assert len(figure["data"]) == 1
    assert figure["data"][0]["y"] == ["span 0", "span 0", None, "span 1", "span 1", None]
    assert "2.000 s" in figure["data"][0]["text"][0]


def test_calibration_cdf_one_line_per_backend_per_panel() -> None:
    backends = {
        "a": {"T1": [100, 50, None], "readout_error": [0.01, 1.0, 0.02]},
        "b": {"T1": [80.0], "two_qubit_error": [0.005, float("nan")]},
    }
    figure = calibration_cdf_figure(backends)
    assert len(figure["data"]) == 8
    t1_a = figure["data"][0]
    assert t1_a["x"] == [50.0, 100.0] and t1_a["y"] == [0.5, 1.0]
    readout_a = figure["data"][4]
    assert readout_a["x"] == [0.01, 0.02]  # an error of 1 is "no data"
    assert figure["layout"]["xaxis4"]["type"] == "log"
    with pytest.raises(ValueError, match="unknown metric"):
        calibration_cdf_figure(backends, metrics=["nope"])
