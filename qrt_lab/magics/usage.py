"""``%qruntime usage``: quantum time used and left on the active instance."""

from __future__ import annotations

import argparse
from typing import Any

from ..runtime.summaries import words
from . import _active
from ._dispatch import subcommand
from ._display import Table

__all__: list[str] = []


def _shown(key: str, value: Any) -> Any:
    """Seconds read as durations (``43 s``, ``1 h 2 min``); everything else as it is."""
    if key.endswith("_seconds") and isinstance(value, int | float) and not isinstance(value, bool):
        return words.duration(value)
    return value


@subcommand("usage", help="Quantum seconds used and remaining on the active instance.")
def _usage(_args: argparse.Namespace) -> Table:
    service = _active.service()
    usage = service.usage()
    rows = sorted(
        (key, _shown(key, value))
        for key, value in usage.items()
        if not isinstance(value, dict | list)
    )
    hint = words.usage_hint(_active.current_choice().local)
    return Table(("field", "value"), rows, caption=f"usage of {service.active_instance()}. {hint}")
