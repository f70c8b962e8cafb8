"""An estimator PUB drawn as the user wrote the job (shared by ``ExpectationPlot`` and magics).

The labels (parameter values along x, observables named on the virtual qubits, name=value
hovers) come from :mod:`qrt_lab.runtime.summaries.estimator_labels`, the same code the server's
job view uses; this module only joins them to :func:`qrt_lab.plots.expectation_values_figure`.
No ipywidgets import.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from qrt_lab.plots import expectation_values_figure
from qrt_lab.runtime.summaries.estimator_labels import (
    EstimatorLabels,
    chosen_parameter,
    index_name,
    label_estimator_figure,
    line_points,
)
from qrt_lab.runtime.summaries.results import summarize_result

__all__ = ["job_inputs", "labelled_expectation_figure", "pub_entry", "remember_inputs"]

#: id(result) → (weak reference to the result, the inputs of the job that made it).
_REMEMBERED: dict[int, tuple[weakref.ref[Any], dict[str, Any]]] = {}


def remember_inputs(result: Any, inputs: dict[str, Any] | None) -> None:
    """Tie a result to its job's inputs, so its rich display is labelled as the job was written.

    A ``PrimitiveResult`` does not know its job; the magics that make one (``estimate``,
    ``job ID``) tell it here. Forgotten when the result is garbage collected.
    """
    if inputs is None:
        return
    key = id(result)
    try:
        ref = weakref.ref(result, lambda _ref: _REMEMBERED.pop(key, None))
    except TypeError:
        return  # a result type without weak references keeps the plain labels
    _REMEMBERED[key] = (ref, inputs)


def job_inputs(source: Any) -> dict[str, Any] | None:
    """The decoded inputs (``params``) of a job of either client, or of a remembered result."""
    if not callable(getattr(source, "job_id", None)):
        known = _REMEMBERED.get(id(source))
        return known[1] if known is not None and known[0]() is source else None
    try:
        inputs = source.inputs
        inputs = inputs() if callable(inputs) else inputs
    except Exception:  # noqa: BLE001 - without inputs the plot falls back to indices
        return None
    return inputs if isinstance(inputs, dict) else None


def pub_entry(result: Any, inputs: dict[str, Any] | None, pub: int) -> dict[str, Any]:
    """The result summary of one PUB (observable labels and parameters from ``inputs``)."""
    pubs = summarize_result(result, inputs).get("pubs") or []
    return pubs[pub] if 0 <= pub < len(pubs) else {}


def labelled_expectation_figure(
    data: Any,
    entry: dict[str, Any],
    *,
    axis: int = -1,
    param: str = "",
    title: str | None = None,
) -> dict[str, Any]:
    """``evs ± stds`` of one PUB along ``axis`` with the labels of its summary ``entry``.

    Args:
        data: The PUB's ``DataBin`` (``evs``, optional ``stds``).
        entry: The PUB's result summary (see :func:`pub_entry`).
        axis: The axis of the PUB shape along x; the others are one line each.
        param: The parameter along x (``""``: the first varying along ``axis``).
        title: Figure title.

    Raises:
        ValueError: ``axis`` is out of range or ``param`` is not a parameter of the PUB.
    """
    evs = np.asarray(data.evs, dtype=float)
    raw_stds = getattr(data, "stds", None)
    stds = None if raw_stds is None else np.broadcast_to(np.asarray(raw_stds, float), evs.shape)
    shape = evs.shape
    if not shape:
        return expectation_values_figure(evs, stds, title=title)
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"axis {axis} is out of range for a PUB of shape {shape}")
    x = axis % len(shape)
    labels = EstimatorLabels.from_entry(entry, shape)
    chosen = chosen_parameter(labels, param, x)
    line_axes = [i for i in range(len(shape)) if i != x]
    at: tuple[int | None, ...] = tuple(None for _ in shape)
    lines = [
        line_points(line, line_axes, at, x, shape[x])
        for line in np.ndindex(*[shape[i] for i in line_axes])
    ]
    figure = expectation_values_figure(
        evs,
        stds,
        axis=x,
        title=title,
        x_title=f"index along axis {x}" if len(shape) >= 2 else "index",
        trace_names=[index_name(line[0], x) for line in lines] if len(shape) >= 2 else None,
    )
    label_estimator_figure(figure, labels, lines, x, chosen, stds, evs)
    return figure
