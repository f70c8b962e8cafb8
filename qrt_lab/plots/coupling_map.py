"""Coupling-map figure: a fixed, small number of traces whatever the qubit count.

One colour convention for every metric: :data:`MAP_SCALE` runs from the worse end to the better
end, so a good qubit and a good edge share a colour whether the metric is a time (T1: higher is
better) or an error (lower is better). Faulty qubits and edges are marked on top in
:data:`FAULTY_COLOUR`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._style import FAULTY_COLOUR, MAP_SCALE, NO_DATA_COLOUR, finite, fmt, neutral_layout
from .coupling import Layout, coupling_layout, undirected_edges

__all__ = ["EDGE_BUCKETS", "better_end", "coupling_map_figure", "map_colorscale"]

#: Number of colour buckets for edges: the coupling map always has this many edge traces + 3.
EDGE_BUCKETS = len(MAP_SCALE)

#: Metrics where a larger value is the better one (coherence times); the rest are errors,
#: probabilities of a wrong outcome and durations, where smaller is better.
_HIGHER_IS_BETTER = ("t1", "t2")
#: Metrics with no better end (a frequency is a property, not a quality).
_NEUTRAL = ("frequency", "anharmonicity")


def better_end(metric: str) -> str:
    """``"high"`` when larger values of ``metric`` are better (T1, T2), else ``"low"``.

    Errors, ``prob_meas…`` and gate or readout lengths are better small; a frequency has no
    better end and is drawn low → high like a ``"high"`` metric.

    Args:
        metric: A metric key or label (``"T1"``, ``"T1 (µs)"``, ``"cz_error"``, ``"CZ error"``).
    """
    word = metric.strip().lower().split(" ")[0]
    return "high" if word in _HIGHER_IS_BETTER or word in _NEUTRAL else "low"


def map_colorscale(better: str) -> list[list[Any]]:
    """The plotly colorscale of :data:`MAP_SCALE` with the better colour at the better end."""
    scale = MAP_SCALE if better == "high" else MAP_SCALE[::-1]
    last = len(scale) - 1
    return [[i / last, colour] for i, colour in enumerate(scale)]


def _bucket_of(value: float | None, low: float, high: float, better: str) -> int:
    """Colour bucket in ``0..EDGE_BUCKETS - 1`` (worse → better), ``EDGE_BUCKETS`` for no data."""
    if value is None:
        return EDGE_BUCKETS
    if high <= low:
        return EDGE_BUCKETS - 1
    position = (value - low) / (high - low)
    goodness = position if better == "high" else 1 - position
    return min(EDGE_BUCKETS - 1, max(0, int(goodness * EDGE_BUCKETS)))


def _bucket_name(bucket: int, low: float, high: float, better: str, metric: str) -> str:
    """``"CZ error ≤ 0.005"`` or ``"T1 ≥ 120"``: the bound of a bucket on its worse side."""
    step = (high - low) / EDGE_BUCKETS
    if better == "high":
        return f"{metric} ≥ {low + step * bucket:.3g}"
    return f"{metric} ≤ {high - step * bucket:.3g}"


def _edge_traces(
    layout: Layout,
    pairs: list[tuple[int, int]],
    edge_values: Mapping[tuple[int, int], Any] | None,
    edge_metric: str,
    better: str,
) -> list[dict[str, Any]]:
    values = {pair: finite((edge_values or {}).get(pair)) for pair in pairs}
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    xs: list[list[float | None]] = [[] for _ in range(EDGE_BUCKETS + 1)]
    ys: list[list[float | None]] = [[] for _ in range(EDGE_BUCKETS + 1)]
    for pair in pairs:
        bucket = _bucket_of(values[pair], low, high, better)
        (x0, y0), (x1, y1) = layout[pair[0]], layout[pair[1]]
        xs[bucket] += [x0, x1, None]
        ys[bucket] += [y0, y1, None]
    traces = []
    for bucket in range(EDGE_BUCKETS + 1):
        missing = bucket == EDGE_BUCKETS
        name = (
            "no data"
            if missing
            else _bucket_name(bucket, low, high, better, edge_metric)
            if known
            else "edges"
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs[bucket],
                "y": ys[bucket],
                "hoverinfo": "skip",
                "showlegend": False,
                "name": name,
                "line": {
                    "width": 3,
                    "color": NO_DATA_COLOUR if missing else MAP_SCALE[bucket],
                },
            }
        )
    mids_x = [(layout[a][0] + layout[b][0]) / 2 for a, b in pairs]
    mids_y = [(layout[a][1] + layout[b][1]) / 2 for a, b in pairs]
    hover = [
        f"{a}-{b}<br>{edge_metric}: {fmt(values[(a, b)])}" if edge_values else f"{a}-{b}"
        for a, b in pairs
    ]
    # invisible markers at edge midpoints make edges hoverable without one trace per edge
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": mids_x,
            "y": mids_y,
            "text": hover,
            "hoverinfo": "text",
            "showlegend": False,
            "name": "edge hover",
            "marker": {"size": 8, "opacity": 0},
        }
    )
    return traces


def _faulty_traces(
    positions: Layout,
    faulty_qubits: Sequence[int],
    faulty_edges: Sequence[Sequence[int]],
    key: bool,
) -> list[dict[str, Any]]:
    """Dotted faulty edges and ✕ over faulty qubits (only the ones the layout places)."""
    edges = [e for e in faulty_edges if e[0] in positions and e[1] in positions]
    qubits = [q for q in faulty_qubits if q in positions]
    traces: list[dict[str, Any]] = []
    if edges:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b in edges:
            xs += [positions[a][0], positions[b][0], None]
            ys += [positions[a][1], positions[b][1], None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "name": "faulty edges",
                "hoverinfo": "skip",
                "showlegend": key,
                "line": {"width": 3, "dash": "dot", "color": FAULTY_COLOUR},
            }
        )
    if qubits:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [positions[q][0] for q in qubits],
                "y": [positions[q][1] for q in qubits],
                "name": "faulty qubits",
                "hoverinfo": "skip",
                "showlegend": key,
                "marker": {
                    "symbol": "x-thin-open",
                    "size": 14,
                    "color": FAULTY_COLOUR,
                    "line": {"width": 2, "color": FAULTY_COLOUR},
                },
            }
        )
    return traces


def _show_edge_key(data: list[dict[str, Any]], layout: dict[str, Any], title: str) -> None:
    """Show the used edge buckets (and faulty marks) as a legend under the map: the edge key."""
    for trace in data[: EDGE_BUCKETS + 1]:
        trace["showlegend"] = bool(trace["x"]) and trace["name"] != "edges"
    layout["showlegend"] = True
    layout["legend"] = {
        "orientation": "h",
        "x": 0,
        "y": -0.02,
        "yanchor": "top",
        "title": {"text": title, "side": "top"},
        "bgcolor": "rgba(0,0,0,0)",
    }


def coupling_map_figure(
    num_qubits: int,
    edges: Sequence[Sequence[int]],
    *,
    qubit_values: Sequence[Any] | None = None,
    qubit_metric: str = "",
    edge_values: Mapping[tuple[int, int], Any] | None = None,
    edge_metric: str = "",
    layout: Layout | None = None,
    title: str | None = None,
    faulty_qubits: Sequence[int] = (),
    faulty_edges: Sequence[Sequence[int]] = (),
    edge_key: bool = False,
) -> dict[str, Any]:
    """Build a coupling-map figure with a fixed number of traces whatever the qubit count.

    Edges are grouped into :data:`EDGE_BUCKETS` colour buckets (plus one "no data" bucket) and an
    invisible midpoint trace carries the edge hover text; all qubits are one marker trace coloured
    by ``qubit_values``. So a 156-qubit device is 11 traces (8 buckets, no data, edge hover,
    qubits), not thousands, plus one trace each for faulty edges and faulty qubits when there are
    any. Both scales put :data:`MAP_SCALE`'s better colour at the metric's better end
    (:func:`better_end`).

    Args:
        num_qubits: Number of qubits.
        edges: Coupling map pairs (directed or not).
        qubit_values: One value per qubit (``None``/NaN for missing) for the node colour.
        qubit_metric: Name of the qubit metric for hover text and the colour bar.
        edge_values: ``{(low, high): value}`` for edge colours.
        edge_metric: Name of the edge metric for hover text.
        layout: Precomputed coordinates; defaults to :func:`coupling_layout`.
        title: Optional figure title.
        faulty_qubits: Qubits to mark with a red ✕.
        faulty_edges: Edges to draw dotted red over their colour.
        edge_key: Show the edge colours (and faulty marks) as a legend under the map, for views
            that draw no key of their own (the widgets; the sidebar draws its key beside the map).

    Returns:
        A plotly figure as a dict ``{"data": [...], "layout": {...}}``.
    """
    positions = layout if layout is not None else coupling_layout(num_qubits, edges)
    pairs = undirected_edges(edges)
    metric = edge_metric or "edge"
    data = _edge_traces(positions, pairs, edge_values, metric, better_end(metric))
    data.append(_qubit_trace(num_qubits, positions, qubit_values, qubit_metric))
    data += _faulty_traces(positions, faulty_qubits, faulty_edges, edge_key)
    axis = {"visible": False, "zeroline": False, "showgrid": False}
    fig_layout = neutral_layout(
        xaxis=dict(axis),
        yaxis={**axis, "autorange": "reversed", "scaleanchor": "x", "scaleratio": 1},
    )
    if edge_key and edge_values:
        _show_edge_key(data, fig_layout, metric)
    if title:
        fig_layout["title"] = {"text": title}
    return {"data": data, "layout": fig_layout}


def _qubit_trace(
    num_qubits: int, positions: Layout, qubit_values: Sequence[Any] | None, qubit_metric: str
) -> dict[str, Any]:
    """All qubits as one marker trace, coloured on the map scale when there are values."""
    qubits = list(range(num_qubits))
    values = [finite(qubit_values[q]) if qubit_values is not None else None for q in qubits]
    hover = [
        f"Q{q}<br>{qubit_metric}: {fmt(values[q])}" if qubit_values is not None else f"Q{q}"
        for q in qubits
    ]
    marker: dict[str, Any] = {
        "size": 14 if num_qubits <= 30 else 10,
        "line": {"width": 0},
    }
    if qubit_values is not None:
        marker.update(
            color=values,
            colorscale=map_colorscale(better_end(qubit_metric)),
            showscale=True,
            colorbar={"title": {"text": qubit_metric}, "thickness": 12},
        )
    else:
        marker["color"] = MAP_SCALE[-1]
    return {
        "type": "scatter",
        "mode": "markers+text" if num_qubits <= 64 else "markers",
        "x": [positions[q][0] for q in qubits],
        "y": [positions[q][1] for q in qubits],
        "text": [str(q) for q in qubits] if num_qubits <= 64 else None,
        "textposition": "top center",
        "hovertext": hover,
        "hoverinfo": "text",
        "showlegend": False,
        "name": "qubits",
        "marker": marker,
    }
