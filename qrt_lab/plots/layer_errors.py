"""Learned layer noise: the Pauli-Lindblad generator rates of each layer as a swarm of points.

Each layer is a column of points (one per generator, spread sideways within rate bins so equal
rates do not overlap); generators named in ``connected`` are also joined across layers by a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._style import finite, neutral_layout

__all__ = ["layer_errors_swarm_figure"]


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
        xs, ys, hover = [], [], []
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
    for label, (xs, ys, hover) in joined.items():
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": xs,
                "y": ys,
                "name": label,
                "hovertemplate": hover,
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
