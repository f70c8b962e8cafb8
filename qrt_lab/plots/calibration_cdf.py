"""Calibration distributions (CDF of T1, T2, readout and two-qubit error) to compare backends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._style import SERIES_COLOURS, neutral_layout

__all__ = ["CDF_METRICS", "calibration_cdf_figure"]

#: Metric key → (axis title, log scale): the panels of the figure, in order.
CDF_METRICS: dict[str, tuple[str, bool]] = {
    "T1": ("T1 (µs)", False),
    "T2": ("T2 (µs)", False),
    "readout_error": ("readout error", True),
    "two_qubit_error": ("2Q error", True),
}


def _clean(values: Sequence[Any] | None) -> list[float]:
    """Finite values; an error of 1 means stale or undefined data on IBM devices, so drop it."""
    array = np.asarray([v for v in values or [] if v is not None], dtype=float)
    finite: list[float] = np.sort(array[np.isfinite(array)]).tolist()
    return finite


def calibration_cdf_figure(
    backends: Mapping[str, Mapping[str, Sequence[Any]]],
    *,
    metrics: Sequence[str] = tuple(CDF_METRICS),
    title: str | None = None,
) -> dict[str, Any]:
    """Empirical CDFs of calibration metrics, one panel per metric, one line per backend.

    Args:
        backends: Backend name → metric key → values (per qubit or per edge; None/NaN skipped;
            errors of 1 and above are dropped as "no data").
        metrics: Which keys of :data:`CDF_METRICS` to draw, left to right.
        title: Optional figure title.

    Returns:
        A plotly figure dict with ``len(metrics)`` side-by-side panels.

    Raises:
        ValueError: An unknown metric.
    """
    unknown = [m for m in metrics if m not in CDF_METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; choose from {list(CDF_METRICS)}")
    data: list[dict[str, Any]] = []
    layout = neutral_layout(legend={"orientation": "h", "y": -0.25}, hovermode="x unified")
    gap = 0.06
    width = (1 - gap * (len(metrics) - 1)) / max(len(metrics), 1)
    for panel, metric in enumerate(metrics):
        suffix = "" if panel == 0 else str(panel + 1)
        axis_title, log = CDF_METRICS[metric]
        start = panel * (width + gap)
        layout[f"xaxis{suffix}"] = {
            "domain": [start, start + width],
            "title": {"text": axis_title},
            "type": "log" if log else "linear",
            "anchor": f"y{suffix}",
        }
        layout[f"yaxis{suffix}"] = {
            "range": [0, 1.02],
            "anchor": f"x{suffix}",
            "title": {"text": "fraction ≤ x" if panel == 0 else ""},
            "showticklabels": panel == 0,
        }
        for index, (name, values) in enumerate(backends.items()):
            points = _clean(values.get(metric))
            if metric != "T1" and metric != "T2":
                points = [p for p in points if 0 < p < 1]
            count = len(points)
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "line": {"shape": "hv", "color": SERIES_COLOURS[index % len(SERIES_COLOURS)]},
                    "x": points,
                    "y": [(i + 1) / count for i in range(count)],
                    "name": name,
                    "legendgroup": name,
                    "showlegend": panel == 0,
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                }
            )
    if title:
        layout["title"] = {"text": title}
    return {"data": data, "layout": layout}
