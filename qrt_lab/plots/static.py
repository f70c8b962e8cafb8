"""Outputs that survive the kernel: the static parts every qrt-lab figure carries (pure data).

A live widget needs a running kernel and the widget manager; a saved notebook viewed on GitHub,
nbviewer, in ``jupyter nbconvert --to html`` or with no kernel has neither. So each rich output
also carries:

- ``application/vnd.plotly.v1+json``: the plotly figure (JupyterLab, VS Code and nbviewer draw it);
- ``text/html``: the figure's key numbers as a table (shown where scripts do not run);
- ``text/plain``: one line for terminals and logs.

No image by default: plotly's static export (kaleido 1.x) drives a Chrome/Chromium browser, which
a kernel cannot count on having, and costs about a second per figure once the browser runs; no
other well-kept library draws a plotly figure without a browser. ``QRT_LAB_STATIC_IMAGES=1``
adds an SVG where kaleido and a browser are installed (see :mod:`qrt_lab.widgets.static`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ._style import fmt

__all__ = [
    "PLOTLY_MIME",
    "STATIC_CLASS",
    "figure_table",
    "json_safe",
    "rows_table",
    "static_bundle",
]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: The class of every static HTML block (tests count them in exported notebooks).
STATIC_CLASS = "qrt-static"
#: Rows of a key-numbers table before the rest is summarised as "… n more".
MAX_ROWS = 32


def json_safe(value: Any) -> Any:
    """``value`` with numpy arrays/scalars as lists/numbers and NaN/±inf as None (strict JSON)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return json_safe(value.tolist())
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _cell(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return html.escape("-" if value is None else str(value))
    return html.escape(str(value) if isinstance(value, int) else fmt(value))


def rows_table(kind: str, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A key-numbers table as HTML (``kind`` names the figure, e.g. ``histogram``)."""
    shown = list(rows[:MAX_ROWS])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in shown)
    if len(rows) > len(shown):
        body += f"<tr><td colspan='{len(columns)}'>… {len(rows) - len(shown)} more</td></tr>"
    return (
        f"<div class='{STATIC_CLASS}' data-qrt-figure='{html.escape(kind)}'>"
        f"<b>{html.escape(title)}</b><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _error_of(trace: Mapping[str, Any]) -> list[Any] | None:
    error = trace.get("error_y") or {}
    array = error.get("array") if isinstance(error, Mapping) else None
    return list(array) if array is not None else None


def _data_traces(figure: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Bar and scatter traces that carry data (not hover helpers or fitted lines' decorations)."""
    traces = []
    for trace in figure.get("data") or []:
        marker = trace.get("marker") or {}
        if marker.get("opacity") == 0 or trace.get("y") is None:
            continue
        traces.append(trace)
    return traces


def figure_table(kind: str, figure: Mapping[str, Any], title: str | None = None) -> str:
    """The x/y (± error) numbers of a bar or scatter figure, one column per trace."""
    traces = _data_traces(figure)
    if not traces:
        return rows_table(kind, title or kind, ["(no data)"], [])
    xs: list[Any] = []
    for trace in traces:
        for x in trace.get("x") or range(len(trace["y"])):
            if x not in xs:
                xs.append(x)
    columns = ["x"]
    lookups = []
    for i, trace in enumerate(traces):
        name = str(trace.get("name") or f"trace {i}")
        error = _error_of(trace)
        columns.append(name)
        points = list(trace.get("x") or range(len(trace["y"])))
        values = {x: y for x, y in zip(points, trace["y"], strict=False)}
        errors = dict(zip(points, error, strict=False)) if error is not None else {}
        lookups.append((values, errors))
    rows = []
    for x in xs:
        row: list[Any] = [x]
        for values, errors in lookups:
            y = values.get(x)
            error = errors.get(x)
            row.append(y if error is None or y is None else f"{fmt(y)} ± {fmt(error)}")
        rows.append(row)
    layout = figure.get("layout") or {}
    heading = title or _layout_title(layout) or kind
    return rows_table(kind, heading, columns, rows)


def _layout_title(layout: Mapping[str, Any]) -> str:
    title = layout.get("title")
    if isinstance(title, Mapping):
        return str(title.get("text") or "")
    return str(title or "")


def static_bundle(
    figure: Mapping[str, Any] | None, table_html: str, text: str | None = None
) -> dict[str, Any]:
    """The static mimebundle of a figure: plotly JSON, an HTML table, and text if given."""
    bundle: dict[str, Any] = {"text/html": table_html}
    if figure is not None:
        bundle[PLOTLY_MIME] = json_safe(
            {"data": figure.get("data", []), "layout": figure.get("layout", {})}
        )
    if text is not None:
        bundle["text/plain"] = text
    return bundle
