"""Figure of a compiled circuit's schedule: one row per channel, one box per instruction.

The layout and traces follow qiskit-ibm-runtime's ``draw_circuit_schedule_timing``: boxes of
finite instructions (``then``/``else`` branches in the upper/lower half of the row), diamonds
for zero-duration ``shift_phase`` pulses drawn on top, annotations that a dropdown shows or
hides, and a range slider on the cycle axis.
"""

from __future__ import annotations

from itertools import cycle
from typing import Any

from .schedule_data import BARRIER, ScheduleRow

__all__ = ["circuit_schedule_figure"]

#: Plotly's qualitative palette, as the official figure colours instructions.
_INSTRUCTION_COLOURS = [
    "#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A",
    "#19D3F3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52",
]  # fmt: skip
#: (box bottom, box top, annotation) offsets within a channel row, per branch.
_BOX_SHIFT = {"main": (-0.4, 0.4, 0.0), "then": (0.0, 0.4, 0.25), "else": (-0.4, 0.0, -0.25)}
_DIAMOND_SHIFT = {"main": 0.0, "then": 0.2, "else": -0.2}
_AXIS = {"showline": True, "linewidth": 1, "linecolor": "black", "mirror": True}


def _hover(row: ScheduleRow) -> str:
    return "<br>".join(
        [
            f"Instruction: {row.instruction}",
            f"Pulse: {row.pulse}",
            f"Start: {row.start}",
            f"Finish: {row.finish}",
            f"Duration: {row.finish - row.start}",
        ]
    )


def _trace(
    row: ScheduleRow, x: list[Any], y: list[Any], colour: str, shown: bool
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers",
        "marker": {"size": 0.01},
        "hoverinfo": "x+text",
        "name": row.gate,
        "text": _hover(row),
        "legendgroup": row.gate,
        "line": {"color": "black"},
        "fill": "toself",
        "fillcolor": colour,
        "showlegend": shown,
    }


def _box(row: ScheduleRow, level: int) -> tuple[list[Any], list[Any], dict[str, Any]]:
    low, high, note = _BOX_SHIFT[row.branch]
    t_i, t_f, mid = row.start, row.finish, (row.start + row.finish) / 2
    y_low, y_high = level + low, level + high
    x = [t_i, mid, t_f, t_f, mid, t_i, t_i, None]
    y = [y_low, y_low, y_low, y_high, y_high, y_high, y_low, None]
    text = "" if row.gate == BARRIER else f"{row.gate}_{row.pulse}"
    return x, y, _annotation(mid, level + note, text, arrow=False)


def _diamond(row: ScheduleRow, level: int) -> tuple[list[Any], list[Any], dict[str, Any]]:
    t_i, y_mid = row.start, level + _DIAMOND_SHIFT[row.branch]
    x = [t_i, t_i + 1, t_i, t_i - 1, t_i, None]
    y = [y_mid - 0.2, y_mid, y_mid + 0.2, y_mid, y_mid - 0.2, None]
    mid = (row.start + row.finish) / 2
    return x, y, _annotation(mid, y_mid, f"{row.gate}_{row.pulse}", arrow=True)


def _annotation(x: float, y: float, text: str, *, arrow: bool) -> dict[str, Any]:
    font = {"color": "black", "size": 10}
    return {"x": x, "y": y, "showarrow": arrow, "font": font, "text": text, "textangle": 0}


def _layout(channels: list[str], max_time: int, width: int, notes: list[Any]) -> dict[str, Any]:
    menu = {
        "type": "dropdown",
        "direction": "down",
        "buttons": [
            {"args": [{"annotations": notes}], "label": "Show Annotations", "method": "relayout"},
            {"args": [{"annotations": []}], "label": "Hide Annotations", "method": "relayout"},
        ],
        "pad": {"r": 10, "t": 10},
        "showactive": True,
        "x": 0,
        "xanchor": "left",
        "y": 1 + 1 / len(channels),
        "yanchor": "top",
    }
    return {
        "width": width,
        "height": 200 + 60 * len(channels),
        "title": {"text": "Payload Schedule", "font": {"size": 20}, "x": 0.5},
        "paper_bgcolor": "rgba(255,255,255,1)",
        "plot_bgcolor": "rgba(255,255,255,1)",
        "xaxis": {
            **_AXIS,
            "range": [0, max_time + 1],
            "type": "linear",
            "title": {"text": "Cycles"},
            "rangeselector": {"buttons": []},
            "rangeslider": {"visible": True},
        },
        "yaxis": {
            **_AXIS,
            "gridcolor": "rgba(38,38,38,0.15)",
            "title": {"text": "Channels"},
            "tickmode": "array",
            "tickvals": list(range(len(channels))),
            "ticktext": channels,
        },
        "annotations": notes,
        "updatemenus": [menu],
    }


def circuit_schedule_figure(
    rows: list[ScheduleRow], channels: list[str], width: int = 1400
) -> dict[str, Any]:
    """The schedule figure (a plotly dict).

    Args:
        rows: Instructions in drawing order (``schedule_data.schedule_rows``).
        channels: Channel names from the bottom row up; every row's channel is among them.
        width: Figure width in pixels.
    """
    gates = sorted({row.gate for row in rows})
    colours = dict(zip(gates, cycle(_INSTRUCTION_COLOURS), strict=False))
    finite = [r for r in rows if "shift_phase" not in r.pulse]
    zero = [r for r in rows if "shift_phase" in r.pulse]
    traces: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    legend: set[str] = set()
    for shape, group in ((_box, finite), (_diamond, zero)):
        for row in group:
            x, y, note = shape(row, channels.index(row.channel))
            traces.append(_trace(row, x, y, colours[row.gate], row.gate not in legend))
            notes.append(note)
            legend.add(row.gate)
    max_time = max(row.finish for row in rows)
    return {"data": traces, "layout": _layout(channels, max_time, width, notes)}
