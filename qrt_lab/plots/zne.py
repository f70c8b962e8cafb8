"""Zero-noise extrapolation figures: per expectation value, and per extrapolator.

Both are grids of panels; each panel has the measured values per noise factor (markers with
error bars) and extrapolation fits (a line with ``num_stds`` bands of standard deviation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._style import finite, neutral_layout

__all__ = ["zne_evs_figure", "zne_extrapolators_figure"]

Array = Any


def _points(
    x: Sequence[float],
    y: Array,
    std: Array,
    name: str,
    colour: str,
    group: int | None,
    legend: bool,
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers",
        "x": list(x),
        "y": [finite(v) for v in y],
        "error_y": {"type": "data", "array": [finite(v) for v in std]},
        "name": name,
        "marker": {"color": colour},
        "legendgroup": group,
        "showlegend": legend,
    }


def _fit(
    x: Sequence[float],
    y: Array,
    std: Array,
    num_stds: int,
    name: str,
    colour: str,
    group: int | None,
    legend: bool,
) -> list[dict[str, Any]]:
    y, std = np.asarray(y, dtype=float), np.asarray(std, dtype=float)
    hover = f"extrapolator: {name}<br>noise_factor: %{{x}}<br>ev_extrap: %{{y:.4f}}"
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": list(x),
            "y": [finite(v) for v in y],
            "customdata": [finite(v) for v in std],
            "name": name,
            "line": {"color": colour},
            "hovertemplate": hover + "<br>std: %{customdata:.4f}<extra></extra>",
            "legendgroup": group,
            "showlegend": legend,
        }
    ]
    for k in range(1, num_stds + 1):
        upper, lower = (y + k * std).tolist(), (y - k * std).tolist()
        traces.append(
            {
                "type": "scatter",
                "x": list(x) + list(x)[::-1],
                "y": [finite(v) for v in upper + lower[::-1]],
                "fill": "toself",
                "fillcolor": colour,
                "line": {"color": "rgba(255,255,255,0)"},
                "opacity": 0.2,
                "legendgroup": group,
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    return traces


def _grid(
    panels: list[dict[str, Any]],
    num_cols: int,
    height: int,
    width: int,
    yrange: tuple[float, float] | None = None,
) -> dict[str, Any]:
    cols = max(1, min(num_cols, len(panels)))
    rows = max(1, -(-len(panels) // cols))
    gap_x, gap_y = 0.04, 0.08
    layout = neutral_layout(
        height=height, width=width, hoverlabel={"align": "right"}, annotations=[]
    )
    data: list[dict[str, Any]] = []
    for index, panel in enumerate(panels):
        row, col = divmod(index, cols)
        suffix = "" if index == 0 else str(index + 1)
        x0 = col / cols + (gap_x / 2 if col else 0)
        x1 = (col + 1) / cols - (gap_x / 2 if col < cols - 1 else 0)
        y1 = 1 - row / rows - (gap_y / 2 if row else 0)
        y0 = 1 - (row + 1) / rows + (gap_y / 2 if row < rows - 1 else 0)
        axis_style = {
            "mirror": True,
            "ticks": "outside",
            "showline": True,
            "gridcolor": "lightgrey",
        }
        layout[f"xaxis{suffix}"] = {"domain": [x0, x1], "anchor": f"y{suffix}", **axis_style}
        y_axis: dict[str, Any] = {"domain": [y0, y1], "anchor": f"x{suffix}", **axis_style}
        span = panel.get("yrange") or yrange
        if span is not None:
            y_axis["range"] = [finite(span[0]), finite(span[1])]
        layout[f"yaxis{suffix}"] = y_axis
        layout["annotations"].append(
            {
                "text": panel["title"],
                "x": (x0 + x1) / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        for trace in panel["traces"]:
            data.append({**trace, "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
    return {"data": data, "layout": layout}


def _fits_ok(evs: Array, stds: Array, max_mag: float, max_std: float) -> bool:
    return not (np.any(np.asarray(stds) > max_std) or np.any(np.abs(np.asarray(evs)) > max_mag))


def zne_evs_figure(
    zne: dict[str, Any],
    names: Sequence[str],
    colours: Sequence[str],
    *,
    num_stds: int = 1,
    max_mag: float = 10,
    max_std: float = 0.2,
    height: int = 500,
    width: int = 1000,
    num_cols: int = 4,
) -> dict[str, Any]:
    """One panel per expectation value: its noise-factor data and each extrapolator's fit.

    Args:
        zne: ``noise_factors``, ``extrapolated_noise_factors``, ``extrapolators`` (names) and,
            per shown value in order, ``evs_noise_factors``, ``stds_noise_factors`` (one row
            per value) and ``evs_extrapolated``, ``stds_extrapolated`` (value, extrapolator,
            extrapolated factor).
        names: One title per value.
        colours: One colour per extrapolator.
        num_stds: Standard-deviation bands around each fit.
        max_mag: Fits with a larger magnitude are left out.
        max_std: Fits with a larger standard deviation are left out.
        height: Figure height in pixels.
        width: Figure width in pixels.
        num_cols: Most panels per row.
    """
    factors, at = zne["noise_factors"], zne["extrapolated_noise_factors"]
    panels, shown = [], set()
    for i, name in enumerate(names):
        evs = np.asarray(zne["evs_noise_factors"][i], dtype=float)
        traces = [_points(factors, evs, zne["stds_noise_factors"][i], name, "black", None, False)]
        for m, model in enumerate(zne["extrapolators"]):
            fit, std = zne["evs_extrapolated"][i][m], zne["stds_extrapolated"][i][m]
            if _fits_ok(fit, std, max_mag, max_std):
                traces += _fit(at, fit, std, num_stds, model, colours[m], m, model not in shown)
                shown.add(model)
        bounds = (float(np.min(evs)) - max_std, float(np.max(evs)) + max_std)
        panels.append({"title": name, "traces": traces, "yrange": bounds})
    return _grid(panels, num_cols, height, width)


def zne_extrapolators_figure(
    zne: dict[str, Any],
    names: Sequence[str],
    colours: Sequence[str],
    *,
    num_stds: int = 1,
    max_mag: float = 10,
    max_std: float = 0.2,
    height: int = 500,
    width: int = 1000,
) -> dict[str, Any]:
    """One panel per extrapolator: every value's noise-factor data and that extrapolator's fit.

    Args: as ``zne_evs_figure``, with ``colours`` one per value.
    """
    factors, at = zne["noise_factors"], zne["extrapolated_noise_factors"]
    panels: list[dict[str, Any]] = [{"title": m, "traces": []} for m in zne["extrapolators"]]
    for i, name in enumerate(names):
        legend = True
        for m, model in enumerate(zne["extrapolators"]):
            fit, std = zne["evs_extrapolated"][i][m], zne["stds_extrapolated"][i][m]
            if not _fits_ok(fit, std, max_mag, max_std):
                continue
            panels[m]["traces"] += [
                _points(
                    factors,
                    zne["evs_noise_factors"][i],
                    zne["stds_noise_factors"][i],
                    name,
                    colours[i],
                    i,
                    legend,
                ),
                *_fit(at, fit, std, num_stds, model, colours[i], i, False),
            ]
            legend = False
    everything = np.asarray(zne["evs_noise_factors"], dtype=float)
    bounds = (float(np.min(everything)) - max_std, float(np.max(everything)) + max_std)
    return _grid(panels, len(panels), height, width, yrange=bounds)
