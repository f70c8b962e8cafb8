"""Shared look of every figure: theme-neutral layout, the palette, number formatting."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["NO_DATA_COLOUR", "PALETTE", "SERIES_COLOURS", "finite", "fmt", "neutral_layout"]

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
NO_DATA_COLOUR = "#9e9e9e"


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
