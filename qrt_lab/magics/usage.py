"""``%qruntime usage``: quantum time used and left on the active instance."""

from __future__ import annotations

import argparse

from . import _active
from ._dispatch import subcommand
from ._display import Table

__all__: list[str] = []


@subcommand("usage", help="Quantum seconds used and remaining on the active instance.")
def _usage(_args: argparse.Namespace) -> Table:
    service = _active.service()
    usage = service.usage()
    rows = sorted(
        (key, value) for key, value in usage.items() if not isinstance(value, dict | list)
    )
    return Table(("field", "value"), rows, caption=f"usage of {service.active_instance()}")
