"""Coupling-map figure: a fixed, small number of traces whatever the qubit count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._style import NO_DATA_COLOUR, PALETTE, finite, fmt, neutral_layout
from .coupling import Layout, coupling_layout, undirected_edges

__all__ = ["EDGE_BUCKETS", "coupling_map_figure"]

#: Number of colour buckets for edges: the coupling map always has this many edge traces + 3.
EDGE_BUCKETS = 8


def _bucket_of(value: float | None, low: float, high: float) -> int:
    """Bucket index in ``0..EDGE_BUCKETS - 1``, or ``EDGE_BUCKETS`` for missing data."""
    if value is None:
        return EDGE_BUCKETS
    if high <= low:
        return 0
    position = (value - low) / (high - low)
    return min(EDGE_BUCKETS - 1, max(0, int(position * EDGE_BUCKETS)))


def _edge_traces(
    layout: Layout,
    pairs: list[tuple[int, int]],
    edge_values: Mapping[tuple[int, int], Any] | None,
    edge_metric: str,
) -> list[dict[str, Any]]:
    values = {pair: finite((edge_values or {}).get(pair)) for pair in pairs}
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    xs: list[list[float | None]] = [[] for _ in range(EDGE_BUCKETS + 1)]
    ys: list[list[float | None]] = [[] for _ in range(EDGE_BUCKETS + 1)]
    for pair in pairs:
        bucket = _bucket_of(values[pair], low, high)
        (x0, y0), (x1, y1) = layout[pair[0]], layout[pair[1]]
        xs[bucket] += [x0, x1, None]
        ys[bucket] += [y0, y1, None]
    traces = []
    for bucket in range(EDGE_BUCKETS + 1):
        missing = bucket == EDGE_BUCKETS
        lo = low + (high - low) * bucket / EDGE_BUCKETS
        name = "no data" if missing else f"{edge_metric} ≥ {lo:.3g}" if known else "edges"
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
                    "color": NO_DATA_COLOUR if missing else PALETTE[bucket],
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
) -> dict[str, Any]:
    """Build a coupling-map figure with a fixed number of traces whatever the qubit count.

    Edges are grouped into :data:`EDGE_BUCKETS` colour buckets (plus one "no data" bucket) and an
    invisible midpoint trace carries the edge hover text; all qubits are one marker trace coloured
    by ``qubit_values``. So a 156-qubit device is 11 traces (8 buckets, no data, edge hover,
    qubits), not thousands.

    Args:
        num_qubits: Number of qubits.
        edges: Coupling map pairs (directed or not).
        qubit_values: One value per qubit (``None``/NaN for missing) for the node colour.
        qubit_metric: Name of the qubit metric for hover text and the colour bar.
        edge_values: ``{(low, high): value}`` for edge colours.
        edge_metric: Name of the edge metric for hover text.
        layout: Precomputed coordinates; defaults to :func:`coupling_layout`.
        title: Optional figure title.

    Returns:
        A plotly figure as a dict ``{"data": [...], "layout": {...}}``.
    """
    positions = layout if layout is not None else coupling_layout(num_qubits, edges)
    pairs = undirected_edges(edges)
    data = _edge_traces(positions, pairs, edge_values, edge_metric or "edge")
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
            colorscale="Viridis",
            showscale=True,
            colorbar={"title": {"text": qubit_metric}, "thickness": 12},
        )
    else:
        marker["color"] = PALETTE[2]
    data.append(
        {
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
    )
    axis = {"visible": False, "zeroline": False, "showgrid": False}
    fig_layout = neutral_layout(
        xaxis=dict(axis),
        yaxis={**axis, "autorange": "reversed", "scaleanchor": "x", "scaleratio": 1},
    )
    if title:
        fig_layout["title"] = {"text": title}
    return {"data": data, "layout": fig_layout}
