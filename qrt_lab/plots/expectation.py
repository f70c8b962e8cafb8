"""Estimator figures: ``evs ± stds`` along one axis of any broadcast shape, and ZNE data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._style import SERIES_COLOURS, finite, neutral_layout

__all__ = ["MAX_TRACES", "expectation_values_figure", "zne_figure"]

Array = np.ndarray[Any, Any]

#: More lines than this are unreadable; the figure keeps the first ones and says so in the title.
MAX_TRACES = 24
#: Up to this many points, an index x axis gets one tick per index.
MAX_INDEX_TICKS = 30


def _column(values: Array, axis: int) -> tuple[Array, list[tuple[int, ...]]]:
    """Move ``axis`` last and flatten the others: rows are traces, columns are points."""
    moved = np.moveaxis(values, axis, -1)
    others = moved.shape[:-1]
    return moved.reshape(-1, moved.shape[-1]), list(np.ndindex(*others)) if others else [()]


def _trace_name(row: int, index: tuple[int, ...], axis: int, ndim: int, names: Any) -> str:
    if names is not None:
        return str(names[row])
    parts = [str(i) for i in index]
    parts.insert(axis % ndim, ":")
    return "⟨O⟩" if ndim == 1 else f"[{', '.join(parts)}]"


def expectation_values_figure(
    evs: Any,
    stds: Any | None = None,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    *,
    x: Any | None = None,
    axis: int = -1,
    x_title: str | None = None,
    trace_names: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Expectation values with error bars along one axis of the PUB's broadcast shape.

    Every other axis becomes one trace each (for a ``(observables, parameters)`` shape and
    ``axis=-1``: one line per observable against the parameter values).

    Args:
        evs: Expectation values, any shape (a 0-d value is one point).
        stds: Standard deviations of the same shape, or None.
        labels: Category labels of the plotted axis (e.g. observable names); used when ``x`` is
            not given.
        title: Optional figure title.
        x: Values of the plotted axis (e.g. a parameter sweep); defaults to the index.
        axis: Which axis of ``evs`` runs along x.
        x_title: Title of the x axis.
        trace_names: Names of the traces, one per trace in row-major order of the other axes
            (e.g. observable labels for a ``(observables, parameters)`` shape); ignored unless
            there is exactly one per trace.

    Returns:
        A plotly figure dict.

    Raises:
        ValueError: ``stds`` or ``x`` do not match ``evs``, or ``axis`` is out of range.
    """
    values = np.atleast_1d(np.asarray(evs, dtype=float))
    errors = None if stds is None else np.broadcast_to(np.asarray(stds, dtype=float), values.shape)
    if not -values.ndim <= axis < values.ndim:
        raise ValueError(f"axis {axis} is out of range for evs of shape {values.shape}")
    rows, indices = _column(values, axis)
    err_rows = None if errors is None else _column(errors, axis)[0]
    width = rows.shape[1]
    if trace_names is not None and len(trace_names) != len(rows):
        trace_names = None
    categorical = x is None
    points: list[Any]
    if x is not None:
        points = [finite(v) for v in np.asarray(x, dtype=float).ravel()]
        if len(points) != width:
            raise ValueError(f"x has {len(points)} values but the plotted axis has {width}")
    elif labels is not None and len(labels) == width:
        points = [str(label) for label in labels]
    else:
        points = list(range(width))
    # a line between named observables (X to Y to Z) would read as values in between: points only
    joined = width > 1 and not isinstance(points[0], str)
    data = []
    for i, (row, index) in enumerate(zip(rows[:MAX_TRACES], indices[:MAX_TRACES], strict=False)):
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "lines+markers" if joined else "markers",
            "x": points,
            "y": [finite(v) for v in row],
            "name": _trace_name(i, index, axis, values.ndim, trace_names),
            "line": {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
            "marker": {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
        }
        if err_rows is not None:
            trace["error_y"] = {
                "type": "data",
                "array": [finite(v) for v in err_rows[i]],
                "visible": True,
            }
        data.append(trace)
    default_x = "index" if labels is None or len(labels) != width else "observable"
    xaxis: dict[str, Any] = {
        "title": {"text": x_title or ("parameter" if not categorical else default_x)},
        "type": "category" if categorical and isinstance(points[0], str) else "linear",
    }
    if categorical and not isinstance(points[0], str) and width <= MAX_INDEX_TICKS:
        # an index axis: whole-number ticks only, and no ticks before the first or after the last
        xaxis["dtick"] = 1
        xaxis["range"] = [-0.5, width - 0.5]
    layout = neutral_layout(
        xaxis=xaxis,
        yaxis={"title": {"text": "expectation value"}},
        showlegend=len(data) > 1,
    )
    text = title or ""
    if len(rows) > MAX_TRACES:
        text = f"{text} (first {MAX_TRACES} of {len(rows)} lines)".strip()
    if text:
        layout["title"] = {"text": text}
    return {"data": data, "layout": layout}


def zne_figure(
    noise_factors: Sequence[float],
    evs_noise_factors: Any,
    stds_noise_factors: Any | None = None,
    evs_extrapolated: Any | None = None,
    *,
    extrapolated_factors: Sequence[float] | None = None,
    names: Sequence[str] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Zero-noise extrapolation: measured values per noise factor and the extrapolated curve.

    Args:
        noise_factors: The amplification factors (x axis).
        evs_noise_factors: Values per factor, shape ``(..., len(noise_factors))``; leading axes
            are flattened into one line each.
        stds_noise_factors: Their standard deviations (same shape), or None.
        evs_extrapolated: Extrapolated values, shape ``(..., n_extrapolators,
            len(extrapolated_factors))`` or ``(...,)`` for the value at zero noise.
        extrapolated_factors: Where the extrapolation was evaluated (defaults to ``[0]``).
        names: One name per line (e.g. observables).
        title: Optional figure title.

    Returns:
        A plotly figure dict: markers with error bars per factor, dashed extrapolation.
    """
    factors = [float(f) for f in noise_factors]
    measured = np.asarray(evs_noise_factors, dtype=float).reshape(-1, len(factors))
    errors = None
    if stds_noise_factors is not None:
        errors = np.asarray(stds_noise_factors, dtype=float).reshape(-1, len(factors))
    at = [float(f) for f in (extrapolated_factors or [0.0])]
    extrapolated = None
    if evs_extrapolated is not None:
        extrapolated = np.asarray(evs_extrapolated, dtype=float).reshape(len(measured), -1)
    data: list[dict[str, Any]] = []
    for i, row in enumerate(measured[:MAX_TRACES]):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        name = str(names[i]) if names is not None and i < len(names) else f"observable {i}"
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "markers",
            "x": factors,
            "y": [finite(v) for v in row],
            "name": name,
            "marker": {"color": colour, "size": 9},
        }
        if errors is not None:
            trace["error_y"] = {"type": "data", "array": [finite(v) for v in errors[i]]}
        data.append(trace)
        if extrapolated is not None:
            # several extrapolators are laid out back to back along the last axis
            values = extrapolated[i][: len(at)] if extrapolated.shape[1] >= len(at) else []
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": at + factors[:1],
                    "y": [finite(v) for v in values] + [finite(row[0])],
                    "name": f"{name} extrapolated",
                    "line": {"color": colour, "dash": "dash"},
                    "marker": {"color": colour, "symbol": "star", "size": 11},
                }
            )
    layout = neutral_layout(
        xaxis={"title": {"text": "noise factor"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "expectation value"}},
        showlegend=True,
    )
    if title:
        layout["title"] = {"text": title}
    return {"data": data, "layout": layout}
