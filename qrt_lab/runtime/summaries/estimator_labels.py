"""Estimator figures labelled as the user wrote the job: parameter values along x, observables.

The result summary of an estimator PUB carries ``observables`` (short labels),
``observables_full`` (whole operators) and ``parameters`` (``{names, values}`` with values of
shape ``(*bindings shape, n_params)``). Along the chosen axis the x values are the bound values of
one parameter (its name is the axis title); with no parameter varying there, an axis of
observables becomes one labelled point each, and otherwise the index remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import words

__all__ = [
    "EstimatorLabels",
    "chosen_parameter",
    "index_name",
    "label_estimator_figure",
    "line_points",
]

Array = np.ndarray[Any, Any]


def _grid(values: Any, shape: tuple[int, ...]) -> Array | None:
    """Nested labels broadcast to ``shape`` (object array), or None when they do not fit."""
    if values is None:
        return None
    try:
        grid = np.empty(np.shape(values), dtype=object)
        grid[...] = values
        return np.broadcast_to(grid, shape)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class EstimatorLabels:
    """What names the points of one estimator PUB.

    Attributes:
        short: Observable label per element of the PUB shape (≤ 24 characters), or None.
        full: Whole operator per element, or None.
        names: Parameter names (circuit order).
        values: Parameter values broadcast to ``(*shape, len(names))``, or None.
    """

    short: Array | None
    full: Array | None
    names: list[str]
    values: Array | None

    @classmethod
    def from_entry(cls, entry: dict[str, Any], shape: tuple[int, ...]) -> EstimatorLabels:
        """Read the labels of one PUB of a result summary."""
        short = _grid(entry.get("observables"), shape)
        full = _grid(entry.get("observables_full"), shape)
        params = entry.get("parameters") or {}
        names = [str(n) for n in params.get("names") or []]
        values: Array | None = None
        if names:
            try:
                raw = np.asarray(params.get("values"), dtype=float)
                values = np.broadcast_to(raw, (*shape, len(names)))
            except (ValueError, TypeError):
                names, values = [], None
        return cls(short, full if full is not None else short, names, values)

    def varying(self, x: int) -> list[str]:
        """Parameters whose value changes along axis ``x``."""
        if self.values is None or not self.values.shape[x]:
            return []
        spread = np.ptp(self.values, axis=x) if self.values.shape[x] > 1 else None
        if spread is None:
            return []
        return [n for i, n in enumerate(self.names) if bool(np.any(spread[..., i] > 0))]

    def axis_name(self, axis: int) -> str:
        """What changes along ``axis``: parameters (``"θ, φ"``), ``"observables"``, or ``""``."""
        names = self.varying(axis)
        if names:
            shown = ", ".join(names[:3])
            return shown + (f" +{len(names) - 3}" if len(names) > 3 else "")
        return "observables" if self.observables_along(axis) else ""

    def observables_along(self, x: int) -> bool:
        """Whether the observable changes along axis ``x`` (and is known)."""
        if self.short is None or self.short.shape[x] < 2:
            return False
        first = np.take(self.short, [0], axis=x)
        return bool(np.any(self.short != first))


def _point_hover(labels: EstimatorLabels, index: tuple[int, ...], y: float, err: Any) -> str:
    """``⟨ZZ⟩ = 0.988 ± 0.012<br>θ = 0.3142`` (the whole operator, every parameter)."""
    value = words.expectation(y, err)
    parts = [f"⟨{labels.full[index]}⟩ = {value}" if labels.full is not None else value]
    if labels.values is not None:
        parts += [
            f"{n} = {words.number(v, 4)}"
            for n, v in zip(labels.names, labels.values[index], strict=True)
        ]
    return "<br>".join(parts)


def _line_name(labels: EstimatorLabels, line: list[tuple[int, ...]], param: str | None) -> str:
    """The observable of one line and any other parameter fixed along it (``ZZ, φ = 0.5``)."""
    parts: list[str] = []
    if labels.short is not None:
        along = {str(labels.short[i]) for i in line}
        if len(along) == 1:
            parts.append(along.pop())
    if labels.values is not None:
        for k, name in enumerate(labels.names):
            seen = {float(labels.values[i][k]) for i in line}
            if name != param and len(seen) == 1:
                parts.append(f"{name} = {words.number(seen.pop(), 3)}")
    return ", ".join(parts)


def label_estimator_figure(
    figure: dict[str, Any],
    labels: EstimatorLabels,
    lines: list[list[tuple[int, ...]]],
    x: int,
    param: str | None,
    stds: Array | None,
    evs: Array,
) -> None:
    """Put parameter values along x, observable names on lines and name=value hovers.

    Args:
        figure: From ``expectation_values_figure`` (one trace per entry of ``lines``).
        labels: The PUB's labels.
        lines: Per trace, the full PUB index of each of its points.
        x: The axis along x.
        param: The parameter along x, or None (index or observables).
        stds: Standard deviations of the PUB shape, or None.
        evs: Expectation values of the PUB shape.
    """
    traces = figure["data"]
    layout = figure["layout"]
    k = labels.names.index(param) if param is not None and labels.values is not None else None
    by_observable = k is None and labels.observables_along(x)
    names = [_line_name(labels, line, param) for line in lines[: len(traces)]]
    distinct = len(set(names)) == len(names) and all(names)
    for trace, line, name in zip(traces, lines, names, strict=False):
        if k is not None and labels.values is not None:
            trace["x"] = [float(labels.values[i][k]) for i in line]
        elif by_observable and labels.short is not None:
            trace["x"] = [str(labels.short[i]) for i in line]
            trace["mode"] = "markers"
        trace["text"] = [
            _point_hover(labels, i, float(evs[i]), None if stds is None else float(stds[i]))
            for i in line
        ]
        trace["hovertemplate"] = "%{text}<extra></extra>"
        if distinct:
            trace["name"] = name
    if k is not None:
        layout["xaxis"] = {**layout["xaxis"], "title": {"text": param}, "type": "linear"}
        layout["xaxis"].pop("dtick", None)
    elif by_observable:
        layout["xaxis"] = {"title": {"text": "observable"}, "type": "category"}
    layout["showlegend"] = len(traces) > 1


def chosen_parameter(labels: EstimatorLabels, wanted: str, x: int) -> str | None:
    """The parameter along x: the one asked for, else the first that varies along axis ``x``.

    Raises:
        ValueError: ``wanted`` is not a parameter of the PUB (the message names them).
    """
    if wanted:
        if wanted not in labels.names:
            known = ", ".join(labels.names[:20]) or "none (this PUB binds no parameters)"
            raise ValueError(
                f"{wanted[:40]!r} is not a parameter of this PUB; choose one of: {known}."
            )
        return wanted
    varying = labels.varying(x)
    return varying[0] if varying else None


def index_name(point: tuple[int, ...], x: int) -> str:
    """``[2, :, 1]``: the full index of one line, ``:`` on the x axis."""
    return "[" + ", ".join(":" if i == x else str(v) for i, v in enumerate(point)) + "]"


def line_points(
    line: tuple[int, ...], line_axes: list[int], at: tuple[int | None, ...], x: int, width: int
) -> list[tuple[int, ...]]:
    """The full PUB index of every point of one line (``x`` running, the rest fixed)."""
    values = dict(zip(line_axes, line, strict=True))
    base = [values.get(i, at[i]) for i in range(len(at))]
    return [tuple(j if i == x else int(v or 0) for i, v in enumerate(base)) for j in range(width)]
