"""Execution timeline of a result: when each execution span ran and which PUBs it served."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ._style import SERIES_COLOURS, neutral_layout

__all__ = ["timeline_figure"]


def _iso(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def timeline_figure(
    spans: Sequence[Mapping[str, Any]], *, title: str | None = None
) -> dict[str, Any]:
    """A Gantt-like view of execution spans (one row per span, one trace in all).

    Args:
        spans: Each ``{"start": datetime|str, "stop": datetime|str, "size": int, "pubs":
            [pub indices]}``, e.g. from ``result.metadata["execution"]["execution_spans"]``.
        title: Optional figure title.

    Returns:
        A plotly figure dict with a date x axis; hover shows the duration, shots and PUBs.
    """
    xs: list[str | None] = []
    ys: list[str | None] = []
    hover: list[str | None] = []
    for index, span in enumerate(spans):
        start, stop = span["start"], span["stop"]
        label = f"span {index}"
        seconds = ""
        if isinstance(start, dt.datetime) and isinstance(stop, dt.datetime):
            seconds = f"{(stop - start).total_seconds():.3f} s<br>"
        pubs = ", ".join(str(p) for p in span.get("pubs", []))
        text = f"{label}<br>{seconds}{span.get('size', '?')} shots<br>PUBs {pubs or '-'}"
        xs += [_iso(start), _iso(stop), None]
        ys += [label, label, None]
        hover += [text, text, None]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": xs,
            "y": ys,
            "text": hover,
            "hoverinfo": "text",
            "line": {"width": 14, "color": SERIES_COLOURS[0]},
            "name": "execution spans",
            "showlegend": False,
        }
    ]
    layout = neutral_layout(
        xaxis={"type": "date", "title": {"text": "time (UTC)"}},
        yaxis={"type": "category", "autorange": "reversed"},
        height=max(160, 60 + 28 * len(spans)),
    )
    if title:
        layout["title"] = {"text": title}
    return {"data": data, "layout": layout}
