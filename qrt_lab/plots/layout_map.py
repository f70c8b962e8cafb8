"""A circuit's layout on a coupling map: the qubits and edges it uses, coloured by their errors.

The rest of the device stays in the background in :data:`NO_DATA_COLOUR`, thin and faint; the
used edges go into the coupling map's colour buckets (:data:`MAP_SCALE`, worse → better, the
same scale and coordinates as :func:`~qrt_lab.plots.coupling_map.coupling_map_figure`), and the
used qubits carry their error on the same scale with a colour bar. Like the coupling map, the
figure has a fixed number of traces whatever the device size.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._style import NO_DATA_COLOUR, finite, fmt, neutral_layout
from .coupling import Layout, coupling_layout, undirected_edges
from .coupling_map import (
    EDGE_BUCKETS,
    _edge_traces,
    _faulty_traces,
    better_end,
    map_colorscale,
)

__all__ = ["layout_map_figure"]


def _segments(positions: Layout, pairs: Sequence[tuple[int, int]]) -> tuple[list[Any], list[Any]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, b in pairs:
        xs += [positions[a][0], positions[b][0], None]
        ys += [positions[a][1], positions[b][1], None]
    return xs, ys


def _background(positions: Layout, pairs: list[tuple[int, int]], idle: list[int]) -> list[Any]:
    """The device's unused edges and qubits, thin and grey."""
    xs, ys = _segments(positions, pairs)
    edges = {
        "type": "scatter",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "name": "not used",
        "hoverinfo": "skip",
        "showlegend": False,
        "opacity": 0.45,
        "line": {"width": 1.5, "color": NO_DATA_COLOUR},
    }
    qubits = {
        "type": "scatter",
        "mode": "markers",
        "x": [positions[q][0] for q in idle],
        "y": [positions[q][1] for q in idle],
        "hovertext": [f"Q{q} (not used)" for q in idle],
        "hoverinfo": "text",
        "name": "qubits not used",
        "showlegend": False,
        "opacity": 0.45,
        "marker": {"size": 6, "color": NO_DATA_COLOUR, "line": {"width": 0}},
    }
    return [edges, qubits]


def _used_qubits(
    positions: Layout,
    layout: Sequence[int],
    qubit_values: Mapping[int, Any],
    qubit_metric: str,
    show: Callable[[float | None], str],
) -> dict[str, Any]:
    """The layout's qubits, labelled with their circuit qubit, coloured by ``qubit_metric``."""
    values = [finite(qubit_values.get(q)) for q in layout]
    known = any(v is not None for v in values)
    marker: dict[str, Any] = {"size": 24, "line": {"width": 1, "color": "white"}}
    if known:
        marker.update(
            color=[v if v is not None else float("nan") for v in values],
            colorscale=map_colorscale(better_end(qubit_metric)),
            showscale=True,
            colorbar={"title": {"text": qubit_metric}, "thickness": 12},
        )
    else:
        marker["color"] = NO_DATA_COLOUR
    hover = [
        f"Q{q} ← circuit qubit {v}<br>{qubit_metric}: {show(values[v])}"
        for v, q in enumerate(layout)
    ]
    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": [positions[q][0] for q in layout],
        "y": [positions[q][1] for q in layout],
        "text": [str(q) for q in layout],
        "textposition": "middle center",
        # the scale's colours keep >= 3.6:1 against white: the number sits inside its qubit
        "textfont": {"color": "white", "size": 10},
        "hovertext": hover,
        "hoverinfo": "text",
        "name": "layout qubits",
        "showlegend": False,
        "marker": marker,
    }


def layout_map_figure(
    num_qubits: int,
    edges: Sequence[Sequence[int]],
    layout: Sequence[int],
    *,
    used_edges: Sequence[Sequence[int]] | None = None,
    qubit_values: Mapping[int, Any] | None = None,
    qubit_metric: str = "readout error",
    edge_values: Mapping[tuple[int, int], Any] | None = None,
    edge_metric: str = "2Q error",
    positions: Layout | None = None,
    title: str | None = None,
    faulty_qubits: Sequence[int] = (),
    faulty_edges: Sequence[Sequence[int]] = (),
    show: Callable[[float | None], str] = fmt,
) -> dict[str, Any]:
    """A layout highlighted on a coupling map: its qubits and edges coloured by their errors.

    Args:
        num_qubits: The device's qubit count.
        edges: The device's coupling map (directed or not).
        layout: ``layout[v]`` is the physical qubit of circuit qubit ``v``.
        used_edges: The couplers the routed circuit's two-qubit gates use; defaults to the
            device edges between two layout qubits.
        qubit_values: ``{physical qubit: value}`` colouring the layout's qubits.
        qubit_metric: The name of that value (hover, colour bar).
        edge_values: ``{(low, high): value}`` colouring the used edges.
        edge_metric: The name of that value (hover, edge key).
        positions: Precomputed coordinates; defaults to :func:`coupling_layout`.
        title: Optional figure title.
        faulty_qubits: Qubits marked with a red ✕ (those of the layout and the rest).
        faulty_edges: Edges drawn dotted red.
        show: Formats a value for the hover text (the caller's house formatter).

    Returns:
        A plotly figure as a dict; its traces, in order: the unused edges and qubits, the used
        edges' :data:`EDGE_BUCKETS` colour buckets plus "no data" and their hover markers, the
        layout's qubits, then any faulty marks.

    Raises:
        ValueError: If the layout names a qubit outside the device, or one qubit twice.
    """
    if any(not 0 <= int(q) < num_qubits for q in layout):
        raise ValueError(f"the layout {list(layout)} names a qubit outside 0..{num_qubits - 1}")
    if len(set(layout)) != len(layout):
        raise ValueError(f"the layout {list(layout)} puts two circuit qubits on one qubit")
    where = positions if positions is not None else coupling_layout(num_qubits, edges)
    pairs = undirected_edges(edges)
    placed = {int(q) for q in layout}
    used = (
        undirected_edges(used_edges)
        if used_edges is not None
        else [p for p in pairs if p[0] in placed and p[1] in placed]
    )
    used_set = set(used)
    idle_pairs = [p for p in pairs if p not in used_set]
    idle_qubits = [q for q in range(num_qubits) if q not in placed]
    data = _background(where, idle_pairs, idle_qubits)
    values = {pair: (edge_values or {}).get(pair) for pair in used}
    better = better_end(edge_metric)
    edge_traces = _edge_traces(where, used, values if edge_values else None, edge_metric, better)
    for trace in edge_traces[: EDGE_BUCKETS + 1]:
        trace["line"]["width"] = 5
        trace["showlegend"] = bool(trace["x"]) and trace["name"] != "edges"
    hover = edge_traces[EDGE_BUCKETS + 1]
    hover["text"] = [f"{a}-{b}<br>{edge_metric}: {show(finite(values[(a, b)]))}" for a, b in used]
    data += edge_traces
    data.append(
        _used_qubits(where, [int(q) for q in layout], qubit_values or {}, qubit_metric, show)
    )
    data += _faulty_traces(where, faulty_qubits, faulty_edges, True)
    axis = {"visible": False, "zeroline": False, "showgrid": False}
    fig_layout = neutral_layout(
        xaxis=dict(axis),
        yaxis={**axis, "autorange": "reversed", "scaleanchor": "x", "scaleratio": 1},
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "y": -0.02,
            "yanchor": "top",
            "title": {"text": f"used edges, {edge_metric}", "side": "top"},
            "bgcolor": "rgba(0,0,0,0)",
        },
    )
    if title:
        fig_layout["title"] = {"text": title}
    return {"data": data, "layout": fig_layout}
