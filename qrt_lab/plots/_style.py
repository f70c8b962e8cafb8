"""Shared look of every figure: theme-neutral layout, the palette, number formatting."""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "FAULTY_COLOUR",
    "MAP_SCALE",
    "NO_DATA_COLOUR",
    "PALETTE",
    "SERIES_COLOURS",
    "finite",
    "fmt",
    "neutral_layout",
]

#: Viridis samples (dark → bright), readable on light and dark backgrounds.
PALETTE = [
    "#440154",
    "#46327e",
    "#365c8d",
    "#277f8e",
    "#1fa187",
    "#4ac16d",
    "#a0da39",
    "#fde725",
]
#: Distinct colours for compared series (ideal, noisy, device, ...), readable in both themes.
SERIES_COLOURS = ["#277f8e", "#e8710a", "#8e44ad", "#2e9e44", "#d62728", "#8c6d31"]
#: The coupling maps' scale, **worse → better** for every metric, qubits and edges alike:
#: purple is the worse end, teal-green the better one. The colours run through hue at an even
#: lightness (an OKLCh ramp), so each keeps a WCAG contrast of at least 3.6:1 against white and
#: against JupyterLab Dark's #111 and #212121 (viridis' dark end vanishes on a dark page).
MAP_SCALE = [
    "#a855c8",
    "#8863d7",
    "#6370d9",
    "#347bd0",
    "#0084bd",
    "#0089a4",
    "#008a89",
    "#16876f",
]
#: Missing values: a mid grey with at least 3:1 contrast on light and dark pages.
NO_DATA_COLOUR = "#808080"
#: Faulty qubits (an ✕) and edges (dotted) on a coupling map: a red outside the scale's hues,
#: at least 3.9:1 against white and JupyterLab Dark's backgrounds.
FAULTY_COLOUR = "#e8384f"


def neutral_layout(**extra: Any) -> dict[str, Any]:
    """A layout with transparent backgrounds and no fixed text colour (both themes work)."""
    layout: dict[str, Any] = {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 50, "r": 20, "t": 40, "b": 50},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def finite(value: Any) -> float | None:
    """``value`` as a float, or None when it is missing, not a number or not finite."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def fmt(value: float | None) -> str:
    """Four significant digits, or ``n/a``."""
    return "n/a" if value is None else f"{value:.4g}"
