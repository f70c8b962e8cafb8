"""Plotly figure builders returning plain JSON-ready dicts (no widgets, no plotly import).

The widgets wrap these dicts in a ``FigureWidget`` and the sidebar hands the same JSON to plotly.js,
so every builder returns only lists, strings, numbers and ``None``. Figures are theme-neutral:
transparent backgrounds and no fixed text colour, so JupyterLab's light and dark themes both work.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .coupling import Layout, coupling_layout, undirected_edges

__all__ = [
    "EDGE_BUCKETS",
    "aggregate_counts",
    "counts_histogram_figure",
    "coupling_map_figure",
    "expectation_values_figure",
]

#: Number of colour buckets for edges: the coupling map always has this many edge traces + 3.
EDGE_BUCKETS = 8
#: Viridis samples (dark → bright), readable on light and dark backgrounds.
PALETTE = [
    "#440154",
    "#46327e",
    "#365c8d",
    "#277f8e",
    "#1fa187",
    "#4ac16d",
    "#a0da39",
    "#fde725",
]
NO_DATA_COLOUR = "#9e9e9e"


def _neutral_layout(**extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 40, "r": 20, "t": 40, "b": 40},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


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
    values = {pair: _finite((edge_values or {}).get(pair)) for pair in pairs}
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
        f"{a}-{b}<br>{edge_metric}: {_fmt(values[(a, b)])}" if edge_values else f"{a}-{b}"
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


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


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
    values = [_finite(qubit_values[q]) if qubit_values is not None else None for q in qubits]
    hover = [
        f"Q{q}<br>{qubit_metric}: {_fmt(values[q])}" if qubit_values is not None else f"Q{q}"
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
    fig_layout = _neutral_layout(
        xaxis=dict(axis),
        yaxis={**axis, "autorange": "reversed", "scaleanchor": "x", "scaleratio": 1},
    )
    if title:
        fig_layout["title"] = {"text": title}
    return {"data": data, "layout": fig_layout}


def aggregate_counts(
    counts: Mapping[str, int], top_k: int = 32, sort: str = "count"
) -> tuple[list[str], list[int], int]:
    """Keep the ``top_k`` most frequent outcomes and sum the rest into "other".

    Args:
        counts: Outcome → count.
        top_k: How many outcomes to keep (at least 1).
        sort: ``"count"`` (high → low) or ``"key"`` (a-z) for the kept outcomes.

    Returns:
        ``(labels, values, other)`` where ``other`` is the total of the dropped outcomes.

    Raises:
        ValueError: For an unknown ``sort`` or ``top_k < 1``.
    """
    if sort not in {"count", "key"}:
        raise ValueError(f"sort must be 'count' or 'key', not {sort!r}")
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    kept, dropped = ranked[:top_k], ranked[top_k:]
    if sort == "key":
        kept.sort(key=lambda kv: kv[0])
    return (
        [k for k, _ in kept],
        [int(v) for _, v in kept],
        int(sum(v for _, v in dropped)),
    )


def counts_histogram_figure(
    counts: Mapping[str, int],
    top_k: int = 32,
    sort: str = "count",
    title: str | None = None,
) -> dict[str, Any]:
    """A bar chart of measurement counts, aggregated to the top-k outcomes plus "other".

    Args:
        counts: Outcome bitstring → count.
        top_k: Outcomes shown individually.
        sort: ``"count"`` or ``"key"`` (see :func:`aggregate_counts`).
        title: Optional figure title.

    Returns:
        A plotly figure dict with one bar trace (hover shows count and percentage).
    """
    labels, values, other = aggregate_counts(counts, top_k, sort)
    if other:
        labels.append("other")
        values.append(other)
    total = sum(counts.values()) or 1
    hover = [
        f"{label}<br>{v} ({100 * v / total:.2f}%)" for label, v in zip(labels, values, strict=True)
    ]
    trace = {
        "type": "bar",
        "x": labels,
        "y": values,
        "hovertext": hover,
        "hoverinfo": "text",
        "marker": {"color": [NO_DATA_COLOUR if lb == "other" else PALETTE[3] for lb in labels]},
        "name": "counts",
    }
    layout = _neutral_layout(
        xaxis={"type": "category", "title": {"text": "outcome"}},
        yaxis={"title": {"text": "count"}},
        bargap=0.1,
    )
    if title:
        layout["title"] = {"text": title}
    return {"data": [trace], "layout": layout}


def expectation_values_figure(
    evs: Any,
    stds: Any | None = None,
    labels: Sequence[str] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Expectation values with error bars; one trace per row for 2-D PUB shapes.

    Args:
        evs: Array-like of expectation values (0-, 1- or 2-D; higher dims are flattened to 2-D).
        stds: Standard deviations of the same shape, or ``None``.
        labels: Labels of the last axis (e.g. observable names); defaults to indices.
        title: Optional figure title.

    Returns:
        A plotly figure dict.
    """
    values = np.atleast_1d(np.asarray(evs, dtype=float))
    errors = None if stds is None else np.atleast_1d(np.asarray(stds, dtype=float))
    if values.ndim > 2:
        values = values.reshape(-1, values.shape[-1])
        errors = None if errors is None else errors.reshape(-1, errors.shape[-1])
    rows = values if values.ndim == 2 else values[np.newaxis, :]
    err_rows = None if errors is None else (errors if errors.ndim == 2 else errors[np.newaxis, :])
    width = rows.shape[1]
    names = list(labels) if labels is not None and len(labels) == width else None
    x: list[Any] = names or list(range(width))
    data = []
    for i, row in enumerate(rows):
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "lines+markers" if width > 1 else "markers",
            "x": x,
            "y": [_finite(v) for v in row],
            "name": f"row {i}" if len(rows) > 1 else "⟨O⟩",
        }
        if err_rows is not None:
            trace["error_y"] = {
                "type": "data",
                "array": [_finite(v) for v in err_rows[i]],
                "visible": True,
            }
        data.append(trace)
    layout = _neutral_layout(
        xaxis={
            "title": {"text": "observable" if names else "index"},
            "type": "category",
        },
        yaxis={"title": {"text": "expectation value"}},
        showlegend=len(rows) > 1,
    )
    if title:
        layout["title"] = {"text": title}
    return {"data": data, "layout": layout}
