"""Work done over time: cumulative size of execution spans or executor chunks, one line per job.

The figure of ``draw_execution_spans`` (sampler/estimator ``ExecutionSpans``) and
``draw_chunk_timings`` (executor ``ChunkTiming``): each span is a horizontal segment from its
start to its stop at the height of the work completed so far.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ._style import SERIES_COLOURS, neutral_layout

__all__ = ["progress_figure"]

_EPOCH = dt.datetime(1970, 1, 1)


def _naive(value: dt.datetime, tz: dt.tzinfo | None, local: bool) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if local:
        return value.astimezone(tz).replace(tzinfo=None)
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _series(
    spans: Sequence[Mapping[str, Any]],
    common_start: bool,
    normalize_y: bool,
    tz: dt.tzinfo | None,
    local: bool,
) -> tuple[list[Any], list[Any], list[Any]]:
    ordered = sorted(enumerate(spans), key=lambda pair: pair[1]["start"])
    offset = dt.timedelta()
    if common_start and ordered:
        offset = _naive(ordered[0][1]["start"], tz, local) - _EPOCH
    total = sum(float(span["size"]) for span in spans) if normalize_y else 1.0
    xs: list[Any] = []
    ys: list[Any] = []
    texts: list[Any] = []
    done = 0.0
    for _index, span in ordered:
        done += float(span["size"]) / (total or 1.0)
        start = _naive(span["start"], tz, local) - offset
        stop = _naive(span["stop"], tz, local) - offset
        xs += [start.isoformat(), stop.isoformat(), None]
        ys += [done, done, None]
        texts += [span.get("text", "")] * 3
    return xs, ys, texts


def progress_figure(
    collections: Sequence[Sequence[Mapping[str, Any]]],
    names: Sequence[str],
    *,
    common_start: bool = False,
    normalize_y: bool = False,
    line_width: int = 4,
    show_legend: bool = False,
    tz: dt.tzinfo | None = None,
    local_time: bool = False,
    y_title: str = "shots completed",
) -> dict[str, Any]:
    """Cumulative work over time, one trace per collection of spans.

    Args:
        collections: Per job, its spans ``{"start": datetime, "stop": datetime, "size": int,
            "text": hover text}`` (naive datetimes are UTC).
        names: One trace name per collection.
        common_start: Shift each collection so its first span starts at t=0.
        normalize_y: Show the fraction of the collection's work instead of the running size.
        line_width: Segment thickness.
        show_legend: Show the legend.
        tz: Time zone of the x axis when ``local_time`` (None: the system's).
        local_time: Show local times (``tz``) instead of UTC.
        y_title: The y axis title when not normalized.

    Returns:
        A plotly figure dict.
    """
    data = []
    for index, (spans, name) in enumerate(zip(collections, names, strict=True)):
        if not spans:
            continue
        xs, ys, texts = _series(spans, common_start, normalize_y, tz, local_time)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "text": texts,
                "hoverinfo": "text",
                "name": name,
                "line": {"width": line_width, "color": SERIES_COLOURS[index % len(SERIES_COLOURS)]},
            }
        )
    time_title = (
        "time since start" if common_start else ("local time" if local_time else "time (UTC)")
    )
    x_axis: dict[str, Any] = {"type": "date", "title": {"text": time_title}}
    if common_start:
        x_axis["tickformat"] = "%H:%M:%S.%L"
    layout = neutral_layout(
        xaxis=x_axis,
        yaxis={
            "title": {"text": "fraction of work completed" if normalize_y else y_title},
            "tickformat": ".0%" if normalize_y else None,
        },
        showlegend=show_legend,
    )
    return {"data": data, "layout": layout}
