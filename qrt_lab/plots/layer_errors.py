"""Learned layer noise: the Pauli-Lindblad generator rates of each layer as a swarm of points.

Each layer is a column of points (one per generator, spread sideways within rate bins so equal
rates do not overlap); generators named in ``connected`` are also joined across layers by a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._style import finite, neutral_layout

__all__ = ["layer_error_map_figure", "layer_errors_swarm_figure"]


def _binned(
    labels: Sequence[str], rates: Sequence[float], num_bins: int, keep: Any
) -> list[list[tuple[str, float]]]:
    low, high = min(rates), max(rates)
    size = (high - low) / num_bins
    bins: list[list[tuple[str, float]]] = [[] for _ in range(num_bins + 1)]
    for label, rate in zip(labels, rates, strict=True):
        if keep(label, rate):
            bins[int((rate - low) // size) if size else 0].append((label, rate))
    return bins


def layer_errors_swarm_figure(
    layers: Sequence[dict[str, Any]],
    *,
    connected: Sequence[str] = (),
    min_rate: float | None = None,
    max_rate: float | None = None,
    num_bins: int | None = None,
    marker_size: float | None = None,
    height: int = 500,
    width: int = 800,
) -> dict[str, Any]:
    """The generator rates of each layer.

    Args:
        layers: Per layer ``{"name", "x", "labels": [generator labels], "rates": [...],
            "color", "opacity"}``.
        connected: Generator labels joined across layers.
        min_rate: Rates below are left out (except connected generators).
        max_rate: Rates above are left out (except connected generators).
        num_bins: Rate bins per layer (default 10).
        marker_size: Marker size (plotly's default when None).
        height: Figure height in pixels.
        width: Figure width in pixels.
    """
    joined: dict[str, tuple[list[float], list[float], list[str]]] = {
        label: ([], [], []) for label in connected
    }

    def keep(label: str, rate: float) -> bool:
        if label in joined:
            return True
        return not ((min_rate and rate < min_rate) or (max_rate and rate > max_rate))

    data: list[dict[str, Any]] = []
    for layer in layers:
        xs: list[float] = []
        ys: list[float | None] = []
        hover: list[str] = []
        count = len(layer["rates"])
        for group in _binned(layer["labels"], layer["rates"], num_bins or 10, keep):
            for position, (label, rate) in enumerate(group):
                x = layer["x"] + (position - len(group) // 2) / count
                xs.append(x)
                ys.append(finite(rate))
                hover.append(f"Generator: {label}<br>  rate: {rate}")
                if label in joined:
                    joined[label][0].append(x)
                    joined[label][1].append(rate)
                    joined[label][2].append(f"{layer['name']}<br>  gen.: {label}<br>  rate: {rate}")
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": xs,
                "y": ys,
                "hovertemplate": hover,
                "marker": {
                    "color": layer["color"],
                    "opacity": layer["opacity"],
                    "size": marker_size,
                },
                "name": layer["name"],
                "showlegend": False,
            }
        )
    for label, (line_x, line_y, line_hover) in joined.items():
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": line_x,
                "y": line_y,
                "name": label,
                "hovertemplate": line_hover,
            }
        )
    positions = [layer["x"] for layer in layers]
    layout = neutral_layout(
        width=width,
        height=height,
        yaxis={"title": {"text": "rates"}},
        xaxis={
            "range": [positions[0] - 1, positions[-1] + 1] if positions else None,
            "showgrid": False,
            "zeroline": False,
            "title": {"text": "layers"},
            "tickvals": positions,
            "ticktext": [layer["name"] for layer in layers],
        },
    )
    return {"data": data, "layout": layout}


def _colour(scale: Sequence[str], value: float, no_data: str, out_of_scale: str) -> str:
    if value > 1:
        return out_of_scale
    if value == 1:
        return scale[-1]
    if value == 0:
        return no_data
    return scale[int(np.round(value, 3) * len(scale))]  # the official rounding, 1000 hues


def _pie_slice(start: float, stop: float, x: float, y: float, radius: float) -> str:
    import math

    steps = [math.radians(start + (stop - start) * k / 9) for k in range(10)]
    points = [(x + radius * math.cos(t), y + radius * math.sin(t)) for t in steps]
    path = f"M {points[0][0]},{points[0][1]}"
    path += "".join(f" L{px},{py}" for px, py in points[1:])
    return path + f"L{x},{y} Z"


#: The pie slice of each one-body Pauli: (start angle, legend colour).
_SLICES = {"Z": (-30, "lightgreen"), "X": (90, "dodgerblue"), "Y": (210, "khaki")}


def _edge_traces(
    xy: tuple[float, float, float, float], rates: dict[str, float], scale: Any, opts: dict[str, Any]
) -> list[dict[str, Any]]:
    x0, y0, x1, y1 = xy
    line = {"type": "scatter", "mode": "lines", "showlegend": False, "name": ""}
    if not rates:
        return [
            {
                **line,
                "x": [x0, x1],
                "y": [y0, y1],
                "hovertemplate": "No data",
                "line": {"color": opts["no_data"], "width": opts["edge_width"]},
            }
        ]
    low, high = min(rates.values()), min(max(rates.values()), 1)
    count = opts["segments"]
    hover = "".join(f"<br>{pauli}: {rate}" for pauli, rate in rates.items())
    traces = []
    for i in range(count):
        value = (low + (high - low) / count * i) / opts["highest"]
        colour = _colour(scale, value, opts["no_data"], opts["out_of_scale"])
        traces.append(
            {
                **line,
                "hovertemplate": hover,
                "line": {"color": colour, "width": opts["edge_width"]},
                "x": [x0 + (x1 - x0) / count * i, x0 + (x1 - x0) / count * (i + 1)],
                "y": [y0 + (y1 - y0) / count * i, y0 + (y1 - y0) / count * (i + 1)],
            }
        )
    return traces


def layer_error_map_figure(
    positions: Sequence[tuple[float, float]],
    edges: Sequence[tuple[int, int]],
    rates_1q: dict[int, dict[str, float]],
    rates_2q: dict[tuple[int, int], dict[str, float]],
    scale: Sequence[str],
    *,
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
) -> dict[str, Any]:
    """A layer's Pauli-Lindblad rates on the device: pies per qubit, gradients per edge.

    Args:
        positions: ``(x, y)`` of every qubit.
        edges: The coupling edges ``(a, b)`` with ``a < b``.
        rates_1q: Per learned qubit, its one-body rates by Pauli (``X``, ``Y``, ``Z``).
        rates_2q: Per edge, its two-body rates by Pauli pair (``XY``...).
        scale: The colour scale sampled at 1000 points (low to high rate).
        colorscale: The plotly colorscale name of the node markers' colour bar.
        color_no_data: Colour of slices and edges without data.
        color_out_of_scale: Colour of rates above ``highest_rate``.
        num_edge_segments: Segments of each edge's gradient.
        edge_width: Edge width.
        height: Figure height in pixels.
        highest_rate: The rate at the top of the scale (the largest rate by default).
        background_color: Plot background.
        radius: Radius of the qubit pies.
        width: Figure width in pixels.
    """
    every = [r for d in (*rates_1q.values(), *rates_2q.values()) for r in d.values()]
    highest = highest_rate or max(every, default=0) or 1.0
    opts = {
        "no_data": color_no_data,
        "out_of_scale": color_out_of_scale,
        "highest": highest,
        "segments": num_edge_segments,
        "edge_width": edge_width,
    }
    data: list[dict[str, Any]] = []
    for a, b in edges:
        xy = (positions[a][0], positions[a][1], positions[b][0], positions[b][1])
        data += _edge_traces(xy, rates_2q.get((a, b), {}), scale, opts)
    shapes, hovers, annotations = [], [], []
    for qubit, (x, y) in enumerate(positions):
        rates = rates_1q.get(qubit, {})
        for pauli, (angle, _legend) in _SLICES.items():
            colour = _colour(
                scale, rates.get(pauli, 0) / highest, color_no_data, color_out_of_scale
            )
            shapes.append(
                {
                    "type": "path",
                    "path": _pie_slice(angle, angle + 120, x, y, radius),
                    "fillcolor": colour,
                    "line": {"color": "black", "width": 1},
                }
            )
        hovers.append("".join(f"<br>{p}: {rates[p]}" for p in _SLICES if rates.get(p)) or "No data")
        annotations.append({"x": x + 0.3, "y": y + 0.4, "text": str(qubit), "showarrow": False})
    markers = [min(max(r.values(), default=0), highest) for r in rates_1q.values()]
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": [p[0] for p in positions],
            "y": [p[1] for p in positions],
            "hovertemplate": hovers,
            "showlegend": False,
            "name": "",
            "marker": {"color": markers, "colorscale": colorscale, "showscale": True},
        }
    )
    xs, ys = [p[0] for p in positions], [p[1] for p in positions]
    legend_x, legend_y = max(xs) + 1, max(ys)
    for angle, legend in _SLICES.values():
        shapes.append(
            {
                "type": "path",
                "path": _pie_slice(angle, angle + 120, legend_x, legend_y, 0.5),
                "fillcolor": legend,
                "line": {"color": "black", "width": 1},
            }
        )
    annotations += [
        {"x": legend_x + 0.2, "y": legend_y, "text": "<b>Z</b>", "showarrow": False, "yshift": 10},
        {"x": legend_x - 0.2, "y": legend_y, "text": "<b>X</b>", "showarrow": False, "yshift": 10},
        {"x": legend_x, "y": legend_y - 0.45, "text": "<b>Y</b>", "showarrow": False, "yshift": 10},
    ]
    axis = {"showticklabels": False, "showgrid": False, "zeroline": False}
    layout = neutral_layout(
        width=width,
        height=height,
        shapes=shapes,
        annotations=annotations,
        plot_bgcolor=background_color,
        xaxis={**axis, "range": [min(xs) - 1, max(xs) + 2]},
        yaxis={**axis, "range": [min(ys) - 1, max(ys) + 1], "scaleanchor": "x", "scaleratio": 1},
    )
    return {"data": data, "layout": layout}
