"""``python -m qrt_lab.local``: the local-service commands."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m qrt_lab.local"))
