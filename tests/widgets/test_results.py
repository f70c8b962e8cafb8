"""ResultHistogram and ExpectationPlot driven through their traits (no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.circuit import Parameter
from qiskit.primitives import StatevectorEstimator, StatevectorSampler
from qiskit.quantum_info import SparsePauliOp
from traitlets import TraitError

from qrt_lab.widgets import ExpectationPlot, ResultHistogram


def two_registers() -> QuantumCircuit:
    q = QuantumRegister(3)
    low, high = ClassicalRegister(2, "low"), ClassicalRegister(1, "high")
    qc = QuantumCircuit(q, low, high)
    qc.x(0)
    qc.h(2)
    qc.measure(q[0], low[0])
    qc.measure(q[1], low[1])
    qc.measure(q[2], high[0])
    return qc


def test_histogram_of_a_reference_sampler_result_follows_its_traits() -> None:
    result = StatevectorSampler(seed=3).run([two_registers()], shots=400).result()
    view = ResultHistogram(result)
    trace = view.figure.data[0]
    assert set(trace.x) == {"0 01", "1 01"}  # all registers, most significant (last) first
    assert sum(trace.y) == 400
    view.register = "low"
    assert list(view.figure.data[0].x) == ["01"]
    view.labels = "ket"
    assert list(view.figure.data[0].x) == ["|01⟩"]
    view.values = "probabilities"
    assert list(view.figure.data[0].y) == [1.0]
    with pytest.raises(TraitError, match="no register 'nope'; the PUB has low, high"):
        view.register = "nope"
    with pytest.raises(TraitError):
        view.sort = "random"
    assert list(view.figure.data[0].x) == ["|01⟩"]  # the last good figure stays


def test_top_k_sort_and_parameter_index() -> None:
    theta = Parameter("t")
    qc = QuantumCircuit(1)
    qc.ry(theta, 0)
    qc.measure_all()
    result = StatevectorSampler(seed=1).run([(qc, [[0.0], [np.pi]])], shots=100).result()
    view = ResultHistogram(result, top_k=1)
    assert list(view.figure.data[0].x) in (["0", "other"], ["1", "other"])
    view.loc = 1
    assert list(view.figure.data[0].x) == ["1"] and list(view.figure.data[0].y) == [100]
    view.loc = 0
    assert list(view.figure.data[0].x) == ["0"]
    view.loc, view.top_k, view.sort = -1, 4, "bitstring"
    assert list(view.figure.data[0].x) == ["0", "1"]
    # every control says what it is, in the sidebar's words ("top", not "top k")
    named = {c.description for c in view._controls.children if hasattr(c, "description")}
    assert {"top", "sort"} <= named and "top k" not in named
    (labels,) = [
        c
        for c in view._controls.children
        if getattr(c, "_options_labels", ()) == ("0101", "|0101⟩")
    ]
    assert labels.tooltips == ("labels: bitstrings as measured", "labels: kets")


def test_counts_and_overlays() -> None:
    view = ResultHistogram({"ideal": {"00": 50, "11": 50}, "noisy": {"00": 45, "11": 40, "01": 15}})
    assert [t.name for t in view.figure.data] == ["ideal", "noisy"]
    plain = ResultHistogram({"00": 3, "11": 1}, sort="hamming")
    assert list(plain.figure.data[0].x) == ["00", "11"]


def test_expectation_plot_axis_and_observable_names() -> None:
    theta = Parameter("t")
    qc = QuantumCircuit(1)
    qc.ry(theta, 0)
    sweep = np.linspace(0, np.pi, 5)
    observables = [[SparsePauliOp("Z")], [SparsePauliOp("X")]]
    result = StatevectorEstimator().run([(qc, observables, sweep)]).result()
    plot = ExpectationPlot(result, x=sweep, observables=["Z", "X"])
    assert [t.name for t in plot.figure.data] == ["Z", "X"]
    assert plot.figure.data[0].y[0] == pytest.approx(1.0)
    assert plot.figure.data[0].y[-1] == pytest.approx(-1.0)
    plot.axis = 0
    assert len(plot.figure.data) == 5
    assert list(plot.figure.data[0].x) == ["Z", "X"]


def test_expectation_plot_refuses_sampler_results() -> None:
    result = StatevectorSampler().run([two_registers()], shots=10).result()
    with pytest.raises(TypeError, match="EstimatorV2"):
        ExpectationPlot(result)


def test_histogram_top_defaults_to_the_sidebars_setting() -> None:
    """One default: the widget shows as many outcomes as the sidebar's ``histogramTopK``."""
    schema = Path(__file__).parents[2] / "schema" / "plugin.json"
    sidebar = json.loads(schema.read_text(encoding="utf-8"))["properties"]["histogramTopK"]
    counts = {format(i, "05b"): 100 - i for i in range(20)}
    view = ResultHistogram(counts)
    assert view.top_k == sidebar["default"] == 16
    assert len(view.figure.data[0].x) == sidebar["default"] + 1  # the top 16 and "other"
