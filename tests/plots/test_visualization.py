"""qrt_lab.plots.visualization draws what qiskit_ibm_runtime.visualization draws.

The same inputs go to both; the traces' data (times, cumulative sizes, values, error bars) and
the function signatures must agree. ``visualization`` lives in ``qrt_lab.plots`` because the
client (``qrt_lab.runtime``) draws nothing.
"""

from __future__ import annotations

import datetime as dt
import inspect
import warnings
from typing import Any

import numpy as np
import pytest

from qrt_lab.plots import visualization as ours

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from qiskit_ibm_runtime import visualization as theirs

#: Official names not offered here, with the reason (the test fails if one becomes offered).
NOT_OFFERED = {
    "draw_circuit_schedule_timings": "module of draw_circuit_schedule_timing (offered)",
    "circuit_schedule": "CircuitSchedule's module: qrt_lab.plots.schedule_data reads the text, "
    "and the official CircuitSchedule object is accepted",
    "draw_layer_error": "module of the layer-error figures",
    "draw_zne": "module of the ZNE figures (the functions are offered)",
    "embeddings": "coupling-map coordinates: qrt_lab.plots.coupling_layout instead",
    "utils": "the official plotly import helper",
}
T0 = dt.datetime(2026, 12, 7, 4, 0, tzinfo=dt.UTC)


def test_names_and_signatures() -> None:
    official = {name for name in dir(theirs) if not name.startswith("_")}
    missing = official - set(dir(ours)) - set(NOT_OFFERED)
    assert not missing
    assert not (set(NOT_OFFERED) & set(dir(ours)))
    for name in sorted(official - set(NOT_OFFERED)):
        assert (
            inspect.signature(getattr(ours, name)).parameters.keys()
            == inspect.signature(getattr(theirs, name)).parameters.keys()
        ), name


def _trace_data(figure: object) -> list[tuple[list[object], list[object]]]:
    out = []
    for trace in figure.data:  # type: ignore[attr-defined]
        xs = [None if x is None else dt.datetime.fromisoformat(str(x)).replace(tzinfo=None)
              for x in trace.x]  # fmt: skip
        out.append((xs, [None if y is None else round(float(y), 9) for y in trace.y]))
    return out


def _spans(module: Any) -> Any:
    def span(k: int) -> Any:
        start, stop = T0 + dt.timedelta(seconds=3 * k), T0 + dt.timedelta(seconds=3 * k + 2)
        return module.DoubleSliceSpan(
            start, stop, {0: ((2, 100), slice(k % 2, k % 2 + 1), slice(0, 100))}
        )

    return module.ExecutionSpans([span(k) for k in (2, 0, 1)])


@pytest.mark.parametrize("normalize_y", [False, True])
@pytest.mark.parametrize("common_start", [False, True])
def test_execution_spans_same_data(common_start: bool, normalize_y: bool) -> None:
    from qiskit_ibm_runtime import execution_span as official_spans

    from qrt_lab.runtime import execution_span as our_spans

    kwargs = {"common_start": common_start, "normalize_y": normalize_y, "names": ["a", "b"]}
    mine = ours.draw_execution_spans(_spans(our_spans), _spans(our_spans), **kwargs)
    their = theirs.draw_execution_spans(_spans(official_spans), _spans(official_spans), **kwargs)
    assert _trace_data(mine) == _trace_data(their)
    assert [t.name for t in mine.data] == ["a", "b"]
    assert mine.layout.showlegend is True


def test_chunk_timings_same_data() -> None:
    from samplomatic.quantum_program import ChunkPart, ChunkSpan, ChunkTiming

    timing = ChunkTiming(
        [ChunkSpan(T0 + dt.timedelta(seconds=k), T0 + dt.timedelta(seconds=k, milliseconds=600),
                   [ChunkPart(k, 10 + k), ChunkPart(k + 1, 5)]) for k in range(4)]
    )  # fmt: skip
    for common_start in (False, True):
        mine = ours.draw_chunk_timings(timing, tz=dt.UTC, common_start=common_start)
        their = theirs.draw_chunk_timings(timing, tz=dt.UTC, common_start=common_start)
        assert _trace_data(mine) == _trace_data(their)
    text = ours.draw_chunk_timings(timing, tz=dt.UTC).data[0].text[0]
    assert "item[0]: 10" in text and "Size:</b> 15" in text


def _zne_result(module: object) -> object:
    from qiskit.primitives.containers import DataBin

    rng = np.random.default_rng(7)
    shape, factors, at = (3,), [1.0, 3.0, 5.0], [0.0, 1.0, 3.0, 5.0]
    data = DataBin(
        evs=rng.uniform(-1, 1, shape), stds=np.full(shape, 0.02),
        evs_noise_factors=rng.uniform(-1, 1, (*shape, 3)),
        stds_noise_factors=np.full((*shape, 3), 0.03),
        evs_extrapolated=rng.uniform(-1, 1, (*shape, 2, 4)),
        stds_extrapolated=np.full((*shape, 2, 4), 0.05),
        shape=shape,
    )  # fmt: skip
    zne = {"noise_factors": factors, "extrapolated_noise_factors": at,
           "extrapolators": ["exponential", "linear"]}  # fmt: skip
    return module.EstimatorPubResult(data, metadata={"resilience": {"zne": zne}})  # type: ignore[attr-defined]


def _values(figure: object) -> list[tuple[object, ...]]:
    out = []
    for trace in figure.data:  # type: ignore[attr-defined]
        ys = tuple(round(float(y), 9) for y in trace.y)
        errors = trace.error_y.array if trace.error_y and trace.error_y.array is not None else ()
        out.append((tuple(float(x) for x in trace.x), ys, tuple(float(e) for e in errors)))
    return out


@pytest.mark.parametrize("draw", ["draw_zne_evs", "draw_zne_extrapolators"])
def test_zne_figures_same_data(draw: str) -> None:
    from qiskit_ibm_runtime import results as official_results

    from qrt_lab.runtime import results as our_results

    mine = getattr(ours, draw)(_zne_result(our_results), max_std=1.0, max_mag=10)
    their = getattr(theirs, draw)(_zne_result(official_results), max_std=1.0, max_mag=10)
    # the same traces (panel-major here, value-major in the official figure)
    assert sorted(_values(mine)) == sorted(_values(their))
    assert len(mine.data) > 3


def test_zne_without_zne_data_says_so() -> None:
    from qiskit.primitives.containers import DataBin

    from qrt_lab.runtime.results import EstimatorPubResult

    plain = EstimatorPubResult(DataBin(evs=np.zeros(2), shape=(2,)), metadata={})
    with pytest.raises(ValueError, match="resilience metadata"):
        ours.draw_zne_evs(plain)


def _layer_errors(module: Any) -> list[Any]:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import PauliList

    rng = np.random.default_rng(3)
    layers = []
    for k in range(3):
        labels = ["XI", "IX", "ZZ", "YI", "IZ", "XY", "ZX"]
        error = module.PauliLindbladError(PauliList(labels), rng.uniform(0, 0.01, len(labels)))
        layers.append(module.LayerError(QuantumCircuit(2), [k, k + 1], error))
    return layers


@pytest.mark.parametrize("num_bodies", [None, 1, 2])
def test_layer_errors_swarm_same_data(num_bodies: int | None) -> None:
    from qiskit_ibm_runtime import results as official_results

    from qrt_lab.runtime import noise_learner as our_results

    kwargs = {"num_bodies": num_bodies, "connected": ["ZZ"] if num_bodies != 1 else None}
    mine = ours.draw_layer_errors_swarm(_layer_errors(our_results), **kwargs)
    their = theirs.draw_layer_errors_swarm(_layer_errors(official_results), **kwargs)
    assert _values(mine) == _values(their)
    assert [t.name for t in mine.data] == [t.name for t in their.data]
    with pytest.raises(ValueError, match="Expected 3 names"):
        ours.draw_layer_errors_swarm(_layer_errors(our_results), names=["a"])


def test_layer_error_map_same_figure_on_the_same_embedding() -> None:
    from qiskit_ibm_runtime import results as official_results
    from qiskit_ibm_runtime.visualization.embeddings import Embedding

    from qrt_lab.runtime import noise_learner as our_results

    embedding = Embedding([(0, 0), (0, 1), (0, 2), (1, 1)], [(0, 1), (1, 2), (1, 3)])
    mine = ours.draw_layer_error_map(_layer_errors(our_results)[1], embedding)
    their = theirs.draw_layer_error_map(_layer_errors(official_results)[1], embedding)
    assert [(t.x, t.y, t.line.color if t.line else None, t.hovertemplate) for t in mine.data] == [
        (t.x, t.y, t.line.color if t.line else None, t.hovertemplate) for t in their.data
    ]
    assert [s.fillcolor for s in mine.layout.shapes] == [s.fillcolor for s in their.layout.shapes]
    assert list(mine.data[-1].marker.color) == list(their.data[-1].marker.color)


def test_layer_error_map_on_a_backend_uses_the_coupling_layout() -> None:
    from qiskit.providers.fake_provider import GenericBackendV2

    from qrt_lab.runtime import noise_learner as our_results

    backend = GenericBackendV2(5, coupling_map=[[0, 1], [1, 2], [2, 3], [3, 4]], seed=1)
    figure = ours.draw_layer_error_map(_layer_errors(our_results)[0], backend)
    assert len(figure.layout.shapes) == 3 * 5 + 3  # a pie per qubit, and the legend pie
    assert "No data" in [t.hovertemplate for t in figure.data]  # edges outside the layer
