"""qiskit-ibm-runtime's ``visualization`` (same names and signatures), drawn by qrt_lab.plots.

Replace ``from qiskit_ibm_runtime.visualization import draw_execution_spans`` by
``from qrt_lab.plots.visualization import draw_execution_spans``. Each function turns its
argument into plain data and calls one figure builder of ``qrt_lab.plots`` (the same builders
the widgets and the sidebar use), then wraps the dict in a ``plotly.graph_objects.Figure``.

This module lives in ``qrt_lab.plots``, not ``qrt_lab.runtime``, because the client draws
nothing (import-linter contract); it reads results by their attributes, so it imports nothing
from the client either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import product
from typing import Any

import numpy as np

from ._style import fmt
from .circuit_schedule import circuit_schedule_figure
from .layer_errors import layer_error_map_figure, layer_errors_swarm_figure
from .progress import progress_figure
from .zne import zne_evs_figure, zne_extrapolators_figure

__all__ = [
    "draw_chunk_timings",
    "draw_circuit_schedule_timing",
    "draw_execution_spans",
    "draw_layer_error_map",
    "draw_layer_errors_swarm",
    "draw_zne_evs",
    "draw_zne_extrapolators",
]

_PARTS_LIMIT = 10
_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _figure(spec: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

    return go.Figure(spec)


def _names(given: str | Iterable[str] | None, count: int, default: Any) -> list[str]:
    names = [given] if isinstance(given, str) else list(given or [])
    return names + [default(index) for index in range(len(names), count)]


def _short(values: Sequence[Any]) -> str:
    shown = ", ".join(str(v) for v in values[:_PARTS_LIMIT])
    return f"[{shown}{', ...' if len(values) > _PARTS_LIMIT else ''}]"


def _header(name: str, index: int, start: dt.datetime, stop: dt.datetime, size: int) -> list[str]:
    return [
        f"<b>{name}[{index}]</b>",
        f"<b>Start:</b> {start:{_TIME}}",
        f"<b>Stop:</b> {stop:{_TIME}}",
        f"<b>Duration:</b> {fmt((stop - start).total_seconds())} s",
        f"<b>Size:</b> {size}",
    ]


def draw_execution_spans(
    *spans: Any,
    names: str | Iterable[str] | None = None,
    common_start: bool = False,
    normalize_y: bool = False,
    line_width: int = 4,
    show_legend: bool | None = None,
) -> Any:
    """Draw one or more ``ExecutionSpans`` (``result.metadata["execution"]["execution_spans"]``).

    Args:
        spans: One or more ``ExecutionSpans``.
        names: Name or names of the respective ``spans``.
        common_start: Shift each collection so its first span starts at t=0.
        normalize_y: Show the fraction of work complete instead of cumulative shots.
        line_width: Thickness of the segments.
        show_legend: Show a legend (default: only when ``names`` is given).

    Returns:
        A plotly figure.
    """
    labels = _names(
        names, len(spans), lambda i: f"ExecutionSpans {i}" if len(spans) > 1 else "ExecutionSpans"
    )
    collections = []
    for collection, name in zip(spans, labels, strict=False):
        rows = []
        for index, span in enumerate(collection):
            lines = _header(name, index, span.start, span.stop, span.size)
            lines.append(f"<b>Pub Indexes:</b> {_short(list(span.pub_idxs))}")
            rows.append(
                {
                    "start": span.start,
                    "stop": span.stop,
                    "size": span.size,
                    "text": "<br>".join(lines),
                }
            )
        collections.append(rows)
    legend = names is not None if show_legend is None else show_legend
    return _figure(
        progress_figure(
            collections,
            labels,
            common_start=common_start,
            normalize_y=normalize_y,
            line_width=line_width,
            show_legend=legend,
        )
    )


def draw_chunk_timings(
    *timings: Any,
    names: str | Iterable[str] | None = None,
    common_start: bool = False,
    normalize_y: bool = False,
    line_width: int = 4,
    show_legend: bool | None = None,
    tz: dt.timezone | None = None,
) -> Any:
    """Draw one or more executor ``ChunkTiming`` (``result.timing`` of a ``QuantumProgramResult``).

    Args:
        timings: One or more ``ChunkTiming`` (or lists of ``ChunkSpan``).
        names: Name or names of the respective ``timings``.
        common_start: Shift each collection so its first chunk starts at t=0.
        normalize_y: Show the fraction of work complete instead of cumulative elements.
        line_width: Thickness of the segments.
        show_legend: Show a legend (default: only when ``names`` is given).
        tz: Time zone of the displayed times (None: the system's local zone).

    Returns:
        A plotly figure.
    """
    labels = _names(names, len(timings), lambda i: f"Timings {i}")
    collections = []
    for timing, name in zip(timings, labels, strict=False):
        rows = []
        for index, chunk in enumerate(timing):
            size = sum(part.size for part in chunk.parts)
            lines = _header(name, index, chunk.start, chunk.stop, size)
            lines.append(f"<b>Parts ({len(chunk.parts)}):</b>")
            lines += [f"item[{p.idx_item}]: {p.size}" for p in chunk.parts[:_PARTS_LIMIT]]
            if len(chunk.parts) > _PARTS_LIMIT:
                lines.append("...")
            rows.append(
                {"start": chunk.start, "stop": chunk.stop, "size": size, "text": "<br>".join(lines)}
            )
        collections.append(rows)
    legend = names is not None if show_legend is None else show_legend
    return _figure(
        progress_figure(
            collections,
            labels,
            common_start=common_start,
            normalize_y=normalize_y,
            line_width=line_width,
            show_legend=legend,
            tz=tz,
            local_time=True,
            y_title="elements completed",
        )
    )


def _zne_data(
    result: Any, indices: Sequence[tuple[int, ...]] | None, names: Sequence[str] | None
) -> tuple[dict[str, Any], list[str]]:
    resilience = result.metadata.get("resilience")
    if not resilience:
        raise ValueError(
            "Result does not contain resilience metadata. Enable ZNE options on an estimator to "
            "use this function."
        )
    zne = resilience.get("zne")
    if not zne:
        raise ValueError(
            "Result does not contain ZNE data. Enable ZNE options on an estimator to use this "
            "function."
        )
    missing = {"noise_factors", "extrapolated_noise_factors", "extrapolators"} - set(zne)
    if missing:
        raise ValueError(
            f"The ZNE metadata lacks {sorted(missing)}: draw results of an Estimator whose "
            "resilience.zne metadata lists its noise factors and extrapolators."
        )
    if indices is None:
        indices = [idx for idx in product(*(range(s) for s in result.data.shape)) if idx]
    if names is None:
        names = [f"evs_{i if len(i) != 1 else i[0]}" for i in indices]
    if len(names) != len(indices):
        raise ValueError(f"Expected {len(indices)} names but found {len(names)}.")
    data = result.data
    picked = {
        "noise_factors": [float(f) for f in zne["noise_factors"]],
        "extrapolated_noise_factors": [float(f) for f in zne["extrapolated_noise_factors"]],
        "extrapolators": [str(m) for m in zne["extrapolators"]],
        **{
            field: [np.asarray(getattr(data, field)[idx]) for idx in indices]
            for field in (
                "evs_noise_factors",
                "stds_noise_factors",
                "evs_extrapolated",
                "stds_extrapolated",
            )
        },
    }
    return picked, list(names)


def _colours(colorscale: str, count: int) -> list[str]:
    from plotly.colors import sample_colorscale

    return list(sample_colorscale(colorscale, list(np.linspace(0, 1, max(count, 1)))))


def draw_zne_evs(
    result: Any,
    indices: Sequence[tuple[int, ...]] | None = None,
    names: Sequence[str] | None = None,
    num_stds: int = 1,
    max_mag: float = 10,
    max_std: float = 0.2,
    height: int = 500,
    width: int = 1000,
    num_cols: int = 4,
    colorscale: str = "Aggrnyl",
) -> Any:
    """Plot the ZNE data of an estimator pub result, one panel per expectation value.

    Args:
        result: An ``EstimatorPubResult`` with ZNE data and ``metadata["resilience"]["zne"]``.
        indices: Which expectation values (all by default).
        names: Their titles (their indices by default).
        num_stds: Standard-deviation bands around each fit.
        max_mag: Fits whose values exceed this magnitude are left out.
        max_std: Fits whose standard deviation exceeds this are left out.
        height: Figure height in pixels.
        width: Figure width in pixels.
        num_cols: Most panels per row.
        colorscale: Plotly colorscale of the extrapolators.

    Returns:
        A plotly figure.

    Raises:
        ValueError: No ZNE data, or ``names`` and ``indices`` of different lengths.
    """
    zne, labels = _zne_data(result, indices, names)
    colours = _colours(colorscale, len(zne["extrapolators"]))
    return _figure(
        zne_evs_figure(
            zne,
            labels,
            colours,
            num_stds=num_stds,
            max_mag=max_mag,
            max_std=max_std,
            height=height,
            width=width,
            num_cols=num_cols,
        )
    )


def draw_zne_extrapolators(
    result: Any,
    indices: Sequence[tuple[int, ...]] | None = None,
    names: Sequence[str] | None = None,
    num_stds: int = 1,
    max_mag: float = 10,
    max_std: float = 0.2,
    height: int = 500,
    width: int = 1000,
    colorscale: str = "Aggrnyl",
) -> Any:
    """Plot the ZNE data of an estimator pub result, one panel per extrapolator.

    Args: as ``draw_zne_evs`` (``colorscale`` colours the expectation values).

    Returns:
        A plotly figure.

    Raises:
        ValueError: No ZNE data, or ``names`` and ``indices`` of different lengths.
    """
    zne, labels = _zne_data(result, indices, names)
    colours = _colours(colorscale, len(labels))
    return _figure(
        zne_extrapolators_figure(
            zne,
            labels,
            colours,
            num_stds=num_stds,
            max_mag=max_mag,
            max_std=max_std,
            height=height,
            width=width,
        )
    )


def draw_layer_errors_swarm(
    layer_errors: list[Any],
    num_bodies: int | None = None,
    max_rate: float | None = None,
    min_rate: float | None = None,
    connected: list[Any] | None = None,
    colors: list[str] | None = None,
    num_bins: int | None = None,
    opacities: float | list[float] = 0.4,
    names: list[str] | None = None,
    x_coo: list[float] | None = None,
    marker_size: float | None = None,
    height: int = 500,
    width: int = 800,
) -> Any:
    """Draw the generator rates of ``LayerError``s (legacy ``NoiseLearner`` results) as swarms.

    Args:
        layer_errors: The ``LayerError``s.
        num_bodies: Only generators acting on this many qubits (all by default).
        max_rate: Rates above are left out (except ``connected`` generators).
        min_rate: Rates below are left out (except ``connected`` generators).
        connected: Generators (``Pauli`` or labels) joined by a line across the layers.
        colors: One colour per layer (default "dodgerblue").
        num_bins: Rate bins per layer (default 10).
        opacities: One opacity, or one per layer.
        names: One name per layer (default ``layer #i``).
        x_coo: The layers' x positions (default 0, 1, ...).
        marker_size: Marker size.
        height: Figure height in pixels.
        width: Figure width in pixels.

    Returns:
        A plotly figure.

    Raises:
        ValueError: ``colors``, ``opacities``, ``names`` or ``x_coo`` of the wrong length.
    """
    count = len(layer_errors)
    colours = colors or ["dodgerblue"] * count
    alphas = [opacities] * count if isinstance(opacities, float) else list(opacities)
    labels = names or [f"layer #{i}" for i in range(count)]
    positions = x_coo or list(range(count))
    for what, values in (
        ("colors", colours),
        ("opacities", alphas),
        ("names", labels),
        ("``x_coo``", positions),
    ):
        if len(values) != count:
            raise ValueError(f"Expected {count} {what}, found {len(values)}.")
    layers = []
    for index, layer in enumerate(layer_errors):
        error = layer.error.restrict_num_bodies(num_bodies) if num_bodies else layer.error
        layers.append(
            {
                "name": labels[index],
                "x": positions[index],
                "color": colours[index],
                "opacity": alphas[index],
                "labels": error.generators.to_labels(),
                "rates": [float(r) for r in error.rates],
            }
        )
    return _figure(
        layer_errors_swarm_figure(
            layers,
            connected=[str(p) for p in connected or []],
            min_rate=min_rate,
            max_rate=max_rate,
            num_bins=num_bins,
            marker_size=marker_size,
            height=height,
            width=width,
        )
    )


def _embedding(embedding: Any) -> tuple[list[tuple[float, float]], list[tuple[int, int]]]:
    """``(x, y)`` per qubit and the undirected edges, from an ``Embedding`` or a backend."""
    if hasattr(embedding, "coordinates") and hasattr(embedding, "coupling_map"):
        rows_cols = list(embedding.coordinates)
        edges = {tuple(sorted(edge)) for edge in list(embedding.coupling_map)}
        # (row, column) with qubit 0 in the bottom row: x = column, y = -row
        return [(float(c), float(-r)) for r, c in rows_cols], sorted(edges)
    coupling = getattr(embedding, "coupling_map", None)
    if coupling is None:
        raise ValueError("The backend has no coupling map: pass an embedding with coordinates.")
    from .coupling import coupling_layout, undirected_edges

    pairs = undirected_edges(coupling.get_edges())
    layout = coupling_layout(embedding.num_qubits, pairs)  # y grows downwards
    return [(layout[q][0], -layout[q][1]) for q in range(embedding.num_qubits)], pairs


def _rates(layer_error: Any, edges: list[tuple[int, int]]) -> tuple[dict[int, Any], dict[Any, Any]]:
    qubits = list(layer_error.qubits)
    one: dict[int, dict[str, float]] = {qubit: {} for qubit in qubits}
    err1 = layer_error.error.restrict_num_bodies(1)
    for pauli, rate in zip(err1.generators, err1.rates, strict=True):
        index = int(np.where(pauli.x | pauli.z)[0][0])
        one[qubits[index]][str(pauli[index])] = float(rate)
    two: dict[tuple[int, int], dict[str, float]] = {edge: {} for edge in edges}
    err2 = layer_error.error.restrict_num_bodies(2)
    for pauli, rate in zip(err2.generators, err2.rates, strict=True):
        a, b = sorted(i for i, q in enumerate(pauli) if str(q) != "I")
        two.setdefault((qubits[a], qubits[b]), {})[str(pauli[[a, b]])] = float(rate)
    return one, two


def draw_layer_error_map(
    layer_error: Any,
    embedding: Any,
    colorscale: str = "Bluered",
    color_no_data: str = "lightgray",
    color_out_of_scale: str = "lightgreen",
    num_edge_segments: int = 16,
    edge_width: float = 4,
    height: int = 500,
    highest_rate: float | None = None,
    background_color: str = "white",
    radius: float = 0.25,
    width: int = 800,
) -> Any:
    """Draw a ``LayerError``'s rates on the device: a pie of X/Y/Z rates per qubit, a gradient
    of two-body rates per edge.

    Args:
        layer_error: A ``LayerError`` (legacy ``NoiseLearner`` result).
        embedding: An embedding (``coordinates`` as (row, column) and ``coupling_map``), or a
            backend (laid out by ``qrt_lab.plots.coupling_layout``).
        colorscale: Plotly colorscale of the rates.
        color_no_data: Colour where there is no data.
        color_out_of_scale: Colour of rates above ``highest_rate``.
        num_edge_segments: Segments of each edge's gradient.
        edge_width: Edge width.
        height: Figure height in pixels.
        highest_rate: The top of the scale (the largest rate by default).
        background_color: Plot background.
        radius: Radius of the pies.
        width: Figure width in pixels.

    Returns:
        A plotly figure.

    Raises:
        ValueError: A backend without a coupling map.
    """
    from plotly.colors import sample_colorscale

    positions, edges = _embedding(embedding)
    one, two = _rates(layer_error, edges)
    scale = sample_colorscale(colorscale, list(np.linspace(0, 1, 1000)))
    return _figure(
        layer_error_map_figure(
            positions,
            edges,
            one,
            two,
            scale,
            colorscale=colorscale,
            color_no_data=color_no_data,
            color_out_of_scale=color_out_of_scale,
            num_edge_segments=num_edge_segments,
            edge_width=edge_width,
            height=height,
            highest_rate=highest_rate,
            background_color=background_color,
            radius=radius,
            width=width,
        )
    )


def draw_circuit_schedule_timing(
    circuit_schedule: Any,
    included_channels: list[str] | None = None,
    filter_readout_channels: bool = False,
    filter_barriers: bool = False,
    merge_common_instructions: bool = False,
    width: int = 1400,
) -> Any:
    """Draw the schedule of a compiled circuit (cycles on x, channels on y).

    Args:
        circuit_schedule: The schedule text as the compiler returns it (one
            ``<branch>,<instruction>,<channel>,<t0>,<duration>,<pulse>`` per line), or the
            official ``CircuitSchedule`` object.
        included_channels: Channels to keep, in their order on the y-axis from the top.
        filter_readout_channels: If ``True``, remove the readout (``AWGR*``) channels.
        filter_barriers: If ``True``, remove barriers.
        merge_common_instructions: If ``True``, merge touching instructions of the same type.
        width: The width of the figure.

    Returns:
        A plotly figure.

    Raises:
        ValueError: The schedule cannot be read, or nothing is left to draw after filtering.
    """
    from .schedule_data import schedule_rows

    rows, channels = schedule_rows(
        circuit_schedule,
        included_channels=included_channels,
        filter_readout_channels=filter_readout_channels,
        filter_barriers=filter_barriers,
        merge_common_instructions=merge_common_instructions,
    )
    return _figure(circuit_schedule_figure(rows, channels, width))
