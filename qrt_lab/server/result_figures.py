"""Figure JSON of one PUB of a result: a sampler histogram or estimator expectation values.

Tornado-free: ``handlers/figures.py`` parses nothing but the request and calls in here. A sampler
histogram comes from the result summary while it holds every outcome, otherwise from the packed
registers (``runtime.summaries.result_registers``), so any binding and any top-k can be drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..plots import (
    counts_histogram_figure,
    expectation_values_figure,
    histogram_figure,
    outcomes_from_bits,
)
from ..runtime.summaries import words
from ..runtime.summaries.estimator_labels import (
    EstimatorLabels,
    chosen_parameter,
    index_name,
    label_estimator_figure,
    line_points,
)
from .problems import ApiProblem

__all__ = [
    "FigureQuery",
    "needs_registers",
    "parse_at",
    "parse_index",
    "result_figure",
]

#: Longest ``index`` or ``at`` value read (a shape has at most a few dozen axes).
MAX_INDEX_CHARS = 200
#: Colour of the "other" bar (readable on both themes).
OTHER_COLOUR = "#9e9e9e"


def _bad_query(message: str, hint: str) -> ApiProblem:
    return ApiProblem(400, "bad_query", message, hint)


@dataclass(frozen=True)
class FigureQuery:
    """What ``GET jobs/{id}/figure`` asks for (see docs/server-api.md).

    Attributes:
        pub: PUB (or executor item) index.
        register: Classical register of a sampler PUB (``""``: the first one).
        top_k: Outcomes shown individually; the rest are one "other" bar.
        sort: ``"count"``, ``"key"``/``"bitstring"`` or ``"hamming"``.
        labels: ``"raw"`` bitstrings or ``"ket"`` labels.
        index: Raw ``index`` query (one binding of a sampler PUB; ``""``: all summed).
        axis: Legacy x-axis choice of a 2-D estimator shape (0: last axis, 1: first axis).
        x: Raw ``x`` query (the estimator axis along x; ``""``: use ``axis``).
        at: Raw ``at`` query (estimator: an index or ``:`` per axis; ``""``: all ``:``).
        param: Estimator parameter along x (``""``: the first one varying along the x axis).
    """

    pub: int = 0
    register: str = ""
    top_k: int = 16
    sort: str = "count"
    labels: str = "raw"
    index: str = ""
    axis: int = 0
    x: str = ""
    at: str = ""
    param: str = ""


def _entries(raw: str, name: str, shape: list[int], example: str) -> list[str]:
    """Comma-separated entries, one per axis of ``shape`` (400 naming ``name`` otherwise)."""
    if len(raw) > MAX_INDEX_CHARS:
        raise _bad_query(
            f"'{name}' is too long.", f"Send one entry per axis, e.g. {name}={example}."
        )
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != len(shape):
        raise _bad_query(
            f"'{name}' has {len(parts)} entr{'y' if len(parts) == 1 else 'ies'} but the PUB shape "
            f"{tuple(shape)} has {len(shape)} ax{'is' if len(shape) == 1 else 'es'}.",
            f"Send one entry per axis, e.g. {name}={example}.",
        )
    return parts


def _axis_index(text: str, name: str, axis: int, size: int, example: str) -> int:
    if not (text.isascii() and text.isdecimal() and len(text) <= 9) or int(text) >= size:
        raise _bad_query(
            f"'{name}' entry {axis} must be a whole number from 0 to {size - 1} "
            f"(axis {axis} has {size} values), not {text[:20]!r}.",
            f"For example {name}={example}.",
        )
    return int(text)


def parse_index(raw: str, shape: list[int]) -> tuple[int, ...] | None:
    """The ``index`` query: one parameter binding of the PUB shape, or None for all of them.

    Raises:
        ApiProblem: 400 ``bad_query`` for a malformed, out-of-range or wrong-rank index.
    """
    if raw == "":
        return None
    example = ",".join("0" for _ in shape) or "(empty: this PUB has no parameter axes)"
    if not shape:
        raise _bad_query(
            "'index' must be empty: this PUB has no parameter axes (shape ()).",
            "Leave index empty to plot every shot.",
        )
    parts = _entries(raw, "index", shape, example)
    return tuple(
        _axis_index(p, "index", i, n, example)
        for i, (p, n) in enumerate(zip(parts, shape, strict=True))
    )


def parse_at(raw: str, shape: list[int], x: int) -> tuple[int | None, ...]:
    """The ``at`` query: a fixed index or None (``:``, one line per index) for every axis.

    Raises:
        ApiProblem: 400 ``bad_query`` for a malformed or out-of-range entry, the wrong number of
            entries, or a fixed index on the x axis.
    """
    if raw == "":
        return tuple(None for _ in shape)
    example = ",".join(":" if i == x else "0" for i in range(len(shape)))
    parts = _entries(raw, "at", shape, example)
    fixed: list[int | None] = []
    for i, (part, size) in enumerate(zip(parts, shape, strict=True)):
        if part == ":":
            fixed.append(None)
        elif i == x:
            raise _bad_query(
                f"'at' entry {i} must be ':' because axis {i} runs along x.", f"at={example}"
            )
        else:
            fixed.append(_axis_index(part, "at", i, size, example))
    return tuple(fixed)


def needs_registers(summary: dict[str, Any], query: FigureQuery) -> bool:
    """Whether the summary alone cannot draw the histogram (a binding, or more outcomes)."""
    pubs = summary.get("pubs") or []
    if not 0 <= query.pub < len(pubs):
        return False
    registers = pubs[query.pub].get("registers") or {}
    if not registers:
        return False
    if query.index != "":
        return True
    reg = registers.get(query.register or next(iter(registers)))
    if reg is None:
        return False
    complete = int(reg.get("distinct") or 0) <= len(reg.get("top_counts") or {})
    return not complete and query.top_k > len(reg.get("top_counts") or {})


def result_figure(
    summary: dict[str, Any],
    pub: int,
    register: str,
    top_k: int,
    sort: str,
    axis: int,
    *,
    query: FigureQuery | None = None,
    registers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One PUB of a result summary as figure JSON (histogram or expectation values).

    Args:
        summary: The ``GET jobs/{id}/result`` body of a completed job.
        pub: PUB index.
        register: Classical register of a sampler PUB (``""``: the first one).
        top_k: Outcomes shown individually.
        sort: ``"count"``, ``"key"`` (``"bitstring"``) or ``"hamming"``.
        axis: Legacy x-axis choice of a 2-D estimator shape (0: last axis, 1: first axis).
        query: Further options (binding, labels, estimator ``x``/``at``); its ``pub``,
            ``register``, ``top_k``, ``sort`` and ``axis`` are replaced by the arguments.
        registers: ``result_registers`` of the result, needed when :func:`needs_registers`.

    Returns:
        ``{"kind", "pub", "register", "registers", "shape", "index", "figure"}`` (estimator:
        ``x`` and ``at`` instead of ``index``).

    Raises:
        ApiProblem: 400 for a PUB, register, index or axis the result does not have.
    """
    base = query or FigureQuery()
    query = FigureQuery(
        pub, register, top_k, sort, base.labels, base.index, axis, base.x, base.at, base.param
    )
    pubs = summary.get("pubs") or []
    if not 0 <= pub < len(pubs):
        raise _bad_query(
            f"The result has {words.plural(len(pubs), 'PUB')}, not {pub + 1}.", "pub=0"
        )
    entry = pubs[pub]
    if entry.get("registers"):
        bits = registers[pub] if registers is not None and pub < len(registers) else None
        return _sampler(entry, query, bits)
    if "evs" in (entry.get("arrays") or {}):
        return _estimator(entry, query)
    raise _bad_query(f"PUB {pub} has neither counts nor expectation values to plot.", "pub=0")


def _sampler(
    entry: dict[str, Any], query: FigureQuery, bits: dict[str, Any] | None
) -> dict[str, Any]:
    registers = entry["registers"]
    shape = [int(n) for n in entry.get("shape") or []]
    name = query.register or next(iter(registers))
    if name not in registers:
        raise _bad_query(
            f"PUB {query.pub} has no register {name[:40]!r}.",
            f"Choose one of: {', '.join(registers)}.",
        )
    index = parse_index(query.index, shape)
    sort = "bitstring" if query.sort == "key" else query.sort
    reg = registers[name]
    if index is not None and (bits is None or name not in bits):
        raise ApiProblem(
            502,
            "result_undecodable",
            f"The shots of register {name[:40]!r} of PUB {query.pub} could not be read.",
            "Leave index empty to plot every binding, or read the result in a notebook.",
        )
    if bits is not None and name in bits:
        outcomes = outcomes_from_bits(bits[name], loc=index)
        figure = histogram_figure(outcomes, top_k=query.top_k, sort=sort, labels=query.labels)
        shots = outcomes.shots
    else:
        figure = counts_histogram_figure(
            reg["top_counts"], top_k=query.top_k, sort=sort, labels=query.labels
        )
        _append_other(figure, int(reg.get("other") or 0))
        shots = int(reg.get("total_shots") or 0)
    _compact_hover(figure, shots)
    return {
        "kind": "sampler",
        "pub": query.pub,
        "register": name,
        "registers": list(registers),
        "shape": shape,
        "index": list(index) if index is not None else None,
        "shots": shots,
        "figure": figure,
    }


def _append_other(figure: dict[str, Any], other: int) -> None:
    """Add the summary's "other" (outcomes it did not keep) to the figure's own "other"."""
    trace = figure["data"][0]
    if not other:
        return
    if trace["x"] and trace["x"][-1] == "other":
        trace["y"][-1] += other
    else:
        trace["x"].append("other")
        trace["y"].append(other)


def _compact_hover(figure: dict[str, Any], shots: int) -> None:
    """Hover "outcome, count (percent)" from a template: a number per bar, not a string."""
    total = shots or 1
    for trace in figure["data"]:
        labels, values = trace["x"], trace["y"]
        trace.pop("hovertext", None)
        trace.pop("hoverinfo", None)
        trace["customdata"] = [round(100 * v / total, 2) for v in values]
        trace["hovertemplate"] = "%{x}<br>%{y} (%{customdata:.2f}%)<extra></extra>"
        colour = trace["marker"]["color"]
        first = colour[0] if isinstance(colour, list) and colour else colour
        trace["marker"]["color"] = [OTHER_COLOUR if lb == "other" else first for lb in labels]


def _legacy_x(axis: int, ndim: int) -> int:
    """``axis=0`` put the last axis along x and ``axis=1`` the first one."""
    return 0 if axis == 1 and ndim >= 2 else max(ndim - 1, 0)


def _estimator(entry: dict[str, Any], query: FigureQuery) -> dict[str, Any]:
    arrays = entry["arrays"]
    evs = np.asarray(arrays["evs"]["values"], dtype=float)
    stds_raw = (arrays.get("stds") or {}).get("values")
    stds = None if stds_raw is None else np.asarray(stds_raw, dtype=float)
    if stds is not None and stds.shape != evs.shape:
        stds = np.broadcast_to(stds, evs.shape) if stds.ndim == 0 else None
    shape = list(evs.shape)
    ndim = len(shape)
    x = _legacy_x(query.axis, ndim)
    if query.x != "":
        if ndim == 0:
            raise _bad_query("'x' must be empty: this PUB has a single value.", "Leave x empty.")
        x = _axis_index(query.x, "x", 0, ndim, str(ndim - 1))
    at = parse_at(query.at, shape, x)
    picked = tuple(slice(None) if i is None else i for i in at)
    sub_evs = evs[picked] if ndim else evs
    sub_stds = stds[picked] if stds is not None and ndim else stds
    kept_axes = [i for i in range(ndim) if at[i] is None]
    sub_x = kept_axes.index(x) if ndim else -1
    line_axes = [i for i in kept_axes if i != x]
    labels = EstimatorLabels.from_entry(entry, tuple(shape))
    param = _parameter(labels, query.param, x) if ndim else None
    lines = [
        line_points(line, line_axes, at, x, shape[x] if ndim else 1)
        for line in np.ndindex(*[shape[i] for i in line_axes])
    ]
    figure = expectation_values_figure(
        sub_evs,
        sub_stds,
        axis=sub_x,
        x_title=f"index along axis {x}" if ndim >= 2 else "index",
        trace_names=[index_name(line[0], x) for line in lines] if ndim >= 2 else None,
    )
    if ndim:
        label_estimator_figure(figure, labels, lines, x, param, stds, evs)
    return {
        "kind": "estimator",
        "pub": query.pub,
        "register": "",
        "registers": [],
        "shape": shape,
        "x": x,
        "at": [":" if i is None else i for i in at],
        "parameters": labels.names,
        "axes": [labels.axis_name(axis) for axis in range(ndim)],
        "param": param,
        "figure": figure,
    }


def _parameter(labels: EstimatorLabels, wanted: str, x: int) -> str | None:
    try:
        return chosen_parameter(labels, wanted, x)
    except ValueError as err:
        known = ", ".join(labels.names[:20]) or "leave param empty"
        raise _bad_query(f"'param' {err}", f"Choose one of: {known}.") from None
