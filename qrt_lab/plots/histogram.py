"""Sampler histograms: outcomes counted with numpy, top-k + "other", several results overlaid.

Counting starts from the packed shot rows of a ``BitArray`` (``uint8``, shape ``(..., shots,
bytes)``, big-endian), never from a counts dictionary: rows become integer keys, and keys are
counted with ``numpy.bincount`` (up to :data:`BINCOUNT_BITS` bits) or ``numpy.unique``. Only the
``top_k`` kept outcomes are ever turned into label strings, so a million shots of 20 bits is a
few tens of milliseconds. Anything with ``.array`` and ``.num_bits`` works (Qiskit's
``BitArray`` from any client); nothing here imports qiskit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._style import NO_DATA_COLOUR, SERIES_COLOURS, neutral_layout

__all__ = [
    "SORTS",
    "TOP_K",
    "Outcomes",
    "aggregate_counts",
    "counts_histogram_figure",
    "histogram_figure",
    "outcomes_from_bits",
    "outcomes_from_counts",
]

Array = np.ndarray[Any, Any]

#: Outcomes shown individually unless told otherwise: the sidebar's ``histogramTopK`` default
#: (``schema/plugin.json``) is the same number, so a widget and the sidebar show the same bars.
TOP_K = 16

#: Sort orders of the kept outcomes: by count (high → low), bitstring (a-z), Hamming weight.
SORTS = ("count", "bitstring", "hamming")
#: Up to this many bits, outcomes are counted with one ``bincount`` (a 4-million-entry table).
BINCOUNT_BITS = 22
#: Integer keys fit in int64 up to this many bits; wider outcomes use Python ints.
INT64_BITS = 62


@dataclass(frozen=True)
class Outcomes:
    """Distinct measurement outcomes of one result and how often each was seen.

    Attributes:
        keys: Outcome values as integers (bit ``i`` of the key is classical bit ``i``), sorted
            ascending; int64, or Python ints (object array) past 62 bits.
        counts: How many shots gave each key (int64), aligned with ``keys``.
        widths: Bit widths of the registers, most significant first (label spacing).
    """

    keys: Array
    counts: Array
    widths: tuple[int, ...]

    @property
    def num_bits(self) -> int:
        """Total number of bits of an outcome."""
        return sum(self.widths)

    @property
    def shots(self) -> int:
        """Total number of shots."""
        return int(self.counts.sum())

    def as_dict(self) -> dict[int, int]:
        """``{key: count}`` (integer keys)."""
        return {
            int(k): int(c) for k, c in zip(self.keys.tolist(), self.counts.tolist(), strict=True)
        }


def _packed_keys(array: Array, num_bits: int, loc: Any) -> Array:
    """One integer key per shot of a packed ``(..., shots, bytes)`` array."""
    data = np.asarray(array, dtype=np.uint8)
    if loc is not None:
        data = data[loc]
    width = data.shape[-1] if data.ndim else 0
    rows = data.reshape(-1, width) if width else np.zeros((data.size, 0), np.uint8)
    if num_bits <= INT64_BITS:
        keys = np.zeros(rows.shape[0], dtype=np.int64)
        for column in range(width):
            keys = (keys << 8) | rows[:, column]
        return keys & ((1 << num_bits) - 1) if num_bits else keys
    mask = (1 << num_bits) - 1
    return np.array([int.from_bytes(row, "big") & mask for row in rows.tolist()], dtype=object)


def _count(keys: Array, num_bits: int) -> tuple[Array, Array]:
    if keys.dtype == np.int64 and num_bits <= BINCOUNT_BITS:
        table = np.bincount(keys, minlength=1 << num_bits)
        seen = np.flatnonzero(table)
        return seen.astype(np.int64), table[seen].astype(np.int64)
    unique, counts = np.unique(keys, return_counts=True)
    return unique, counts.astype(np.int64)


def outcomes_from_bits(
    registers: Sequence[Any] | Any,
    *,
    loc: int | tuple[int, ...] | None = None,
) -> Outcomes:
    """Count the outcomes of one or several registers (``BitArray``-like objects).

    Args:
        registers: One object with ``.array`` (packed ``uint8`` rows) and ``.num_bits``, or a
            sequence of them with equal shot counts (most significant register first, as in
            Qiskit's ``join_data``).
        loc: Index into the parameter (broadcast) dimensions; None counts all of them.

    Returns:
        The distinct outcomes and their counts.

    Raises:
        ValueError: Registers with different numbers of shots, or no register.
    """
    items: list[Any] = list(registers) if isinstance(registers, (list, tuple)) else [registers]
    if not items:
        raise ValueError("no register to count: pass at least one BitArray")
    widths = tuple(int(item.num_bits) for item in items)
    total = sum(widths)
    combined: Array | None = None
    for item, width in zip(items, widths, strict=True):
        keys = _packed_keys(item.array, width, loc)
        if total > INT64_BITS:
            keys = keys.astype(object)
        if combined is None:
            combined = keys
        elif combined.shape != keys.shape:
            raise ValueError("registers have different numbers of shots; pick one register")
        else:
            combined = (combined << width) | keys
    assert combined is not None
    unique, counts = _count(combined, total)
    return Outcomes(unique, counts, widths)


def _parse_key(key: Any) -> tuple[int, int]:
    """(value, bit width) of a counts key: bitstring, bitstrings with spaces, hex or int."""
    if isinstance(key, (int, np.integer)):
        return int(key), 0
    text = str(key).strip()
    if text.startswith(("0x", "0X")):
        return int(text, 16), 0
    digits = text.replace(" ", "")
    if not digits or set(digits) - {"0", "1"}:
        raise ValueError(f"counts key {key!r} is not a bitstring, a hex string or an integer")
    return int(digits, 2), len(digits)


def outcomes_from_counts(counts: Mapping[Any, Any]) -> Outcomes:
    """Outcomes of a plain counts dictionary (``{"0101": 12, ...}``, hex or integer keys).

    Raises:
        ValueError: A key that is not a bitstring, hex string or integer, or a negative count.
    """
    parsed: dict[int, int] = {}
    width = 0
    spaces: tuple[int, ...] | None = None
    for key, value in counts.items():
        number, bits = _parse_key(key)
        amount = int(value)
        if amount < 0:
            raise ValueError(f"count of {key!r} is negative ({amount})")
        parsed[number] = parsed.get(number, 0) + amount
        width = max(width, bits, number.bit_length())
        if spaces is None and isinstance(key, str) and " " in key.strip():
            spaces = tuple(len(part) for part in key.split())
    widths = spaces if spaces and sum(spaces) == width else (width,)
    dtype: Any = np.int64 if width <= INT64_BITS else object
    keys = np.array(list(parsed), dtype=dtype)
    order = np.argsort(keys, kind="stable")
    return Outcomes(keys[order], np.array(list(parsed.values()), dtype=np.int64)[order], widths)


def _popcount(keys: Array) -> Array:
    """Hamming weights of the (few) kept keys."""
    return np.array([bin(int(k)).count("1") for k in keys.tolist()], dtype=np.int64)


def _label(key: int, widths: tuple[int, ...], style: str) -> str:
    bits = format(int(key), f"0{sum(widths)}b") if sum(widths) else ""
    parts, start = [], 0
    for width in widths:
        parts.append(bits[start : start + width])
        start += width
    text = " ".join(parts)
    return f"|{text}⟩" if style == "ket" else text


def _kept_keys(series: Sequence[Outcomes], top_k: int, sort: str) -> Array:
    """The ``top_k`` keys with the highest total probability over every series, sorted."""
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if len(series) == 1:
        unique, totals = series[0].keys, series[0].counts.astype(float)
    else:
        wide = any(s.keys.dtype == object for s in series)
        keys = np.concatenate([s.keys.astype(object) if wide else s.keys for s in series])
        weights = np.concatenate([s.counts / max(s.shots, 1) for s in series])
        unique, inverse = np.unique(keys, return_inverse=True)
        totals = np.bincount(inverse.ravel(), weights=weights, minlength=len(unique))
    if len(unique) > top_k:
        # keep every key tied with the k-th so the lexsort below breaks ties by key
        threshold = np.partition(totals, len(totals) - top_k)[len(totals) - top_k]
        candidates = np.flatnonzero(totals >= threshold)
        unique, totals = unique[candidates], totals[candidates]
    order = np.lexsort((unique, -totals))[:top_k]
    kept, kept_totals = unique[order], totals[order]
    if sort == "bitstring":
        return kept[np.argsort(kept, kind="stable")]
    if sort == "hamming":
        return kept[np.lexsort((kept, _popcount(kept)))]
    return kept[np.lexsort((kept, -kept_totals))]


def _values_for(outcomes: Outcomes, kept: Array) -> tuple[Array, int]:
    """Counts of ``kept`` in ``outcomes`` (0 when unseen) and the sum of the rest."""
    if outcomes.keys.dtype == object or kept.dtype == object:
        lookup = outcomes.as_dict()
        values = np.array([lookup.get(int(k), 0) for k in kept], dtype=np.int64)
    elif len(outcomes.keys) == 0:
        values = np.zeros(len(kept), dtype=np.int64)
    else:
        where = np.clip(np.searchsorted(outcomes.keys, kept), 0, len(outcomes.keys) - 1)
        values = np.where(outcomes.keys[where] == kept, outcomes.counts[where], 0)
    return values.astype(np.int64), int(outcomes.shots - values.sum())


def histogram_figure(
    series: Outcomes | Sequence[Outcomes] | Mapping[str, Outcomes],
    *,
    top_k: int = TOP_K,
    sort: str = "count",
    labels: str = "raw",
    values: str = "counts",
    title: str | None = None,
) -> dict[str, Any]:
    """A bar chart of sampler outcomes: top-k + "other", one bar trace per compared result.

    Args:
        series: One result's outcomes, or several to overlay (a mapping names them: ``{"ideal":
            ..., "noisy": ..., "device": ...}``). With several, the kept outcomes are the
            ``top_k`` most probable over all of them.
        top_k: Outcomes shown individually; the rest are summed into one "other" bar.
        sort: ``"count"`` (high → low), ``"bitstring"`` (a-z) or ``"hamming"`` (weight, then
            bitstring).
        labels: ``"raw"`` bitstrings or ``"ket"`` labels (``|0101⟩``).
        values: ``"counts"`` or ``"probabilities"``.
        title: Optional figure title.

    Returns:
        A plotly figure dict (hover shows count and percentage).

    Raises:
        ValueError: An unknown option, ``top_k < 1`` or no series.
    """
    named = _named(series)
    if labels not in ("raw", "ket"):
        raise ValueError(f"labels must be 'raw' or 'ket', not {labels!r}")
    if values not in ("counts", "probabilities"):
        raise ValueError(f"values must be 'counts' or 'probabilities', not {values!r}")
    kept = _kept_keys(list(named.values()), top_k, sort)
    widths = next(iter(named.values())).widths
    names = [_label(k, widths, labels) for k in kept.tolist()]
    data = []
    for index, (name, outcomes) in enumerate(named.items()):
        data.append(_bar_trace(name, outcomes, kept, names, values, index, len(named) > 1))
    layout = neutral_layout(
        # automargin: long rotated bitstrings push the plot up instead of covering the title
        xaxis={
            "type": "category",
            "title": {"text": "outcome"},
            "categoryorder": "trace",
            "automargin": True,
        },
        yaxis={"title": {"text": "probability" if values == "probabilities" else "count"}},
        bargap=0.15,
        barmode="group",
        showlegend=len(named) > 1,
    )
    if title:
        layout["title"] = {"text": title}
    return {"data": data, "layout": layout}


def _named(series: Outcomes | Sequence[Outcomes] | Mapping[str, Outcomes]) -> dict[str, Outcomes]:
    if isinstance(series, Outcomes):
        return {"counts": series}
    if isinstance(series, Mapping):
        named = {str(k): v for k, v in series.items()}
    else:
        named = {f"result {i}": s for i, s in enumerate(series)}
    if not named:
        raise ValueError("no result to plot")
    return named


def _bar_trace(
    name: str,
    outcomes: Outcomes,
    kept: Array,
    names: list[str],
    values: str,
    index: int,
    several: bool,
) -> dict[str, Any]:
    counts, other = _values_for(outcomes, kept)
    x, y = list(names), counts.tolist()
    if other > 0:
        x.append("other")
        y.append(other)
    shots = max(outcomes.shots, 1)
    shown = [v / shots for v in y] if values == "probabilities" else y
    hover = [f"{name}<br>{lb}<br>{v} ({100 * v / shots:.2f}%)" for lb, v in zip(x, y, strict=True)]
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    bar_colour: Any = (
        colour if several else [NO_DATA_COLOUR if lb == "other" else colour for lb in x]
    )
    return {
        "type": "bar",
        "x": x,
        "y": shown,
        "hovertext": hover,
        "hoverinfo": "text",
        "marker": {"color": bar_colour},
        "name": name,
    }


def aggregate_counts(
    counts: Mapping[str, int], top_k: int = TOP_K, sort: str = "count"
) -> tuple[list[str], list[int], int]:
    """Keep the ``top_k`` most frequent outcomes of a counts dictionary and sum the rest.

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
    counts: Mapping[Any, int],
    top_k: int = TOP_K,
    sort: str = "count",
    title: str | None = None,
    *,
    labels: str = "raw",
    values: str = "counts",
) -> dict[str, Any]:
    """A histogram of a plain counts dictionary (see :func:`histogram_figure`).

    Args:
        counts: Outcome bitstring (or hex string, or int) → count.
        top_k: Outcomes shown individually.
        sort: ``"count"``, ``"bitstring"`` (``"key"`` is an alias) or ``"hamming"``.
        title: Optional figure title.
        labels: ``"raw"`` or ``"ket"``.
        values: ``"counts"`` or ``"probabilities"``.

    Returns:
        A plotly figure dict.
    """
    return histogram_figure(
        outcomes_from_counts(counts),
        top_k=top_k,
        sort="bitstring" if sort == "key" else sort,
        labels=labels,
        values=values,
        title=title,
    )
