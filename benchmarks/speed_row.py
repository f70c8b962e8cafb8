"""One row of issue 23's speed table, written to ``benchmarks/results/speed/<key>.json``.

Not a benchmark itself: the benchmarks that measure a row before and after call
:func:`save_speed_row`; one command prints the whole table from these files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SPEED_DIR = Path(__file__).resolve().parent / "results" / "speed"


def save_speed_row(key: str, **row: Any) -> Path:
    """Write ``{"where", "before", "now", "target", "met", "command", ...}`` for ``key``."""
    missing = {"where", "before", "now", "target", "met", "command"} - set(row)
    if missing:
        raise ValueError(f"a speed row needs {sorted(missing)}")
    SPEED_DIR.mkdir(parents=True, exist_ok=True)
    out = SPEED_DIR / f"{key}.json"
    out.write_text(json.dumps(row, indent=1) + "\n")
    print(f"row: {out}")
    return out
