"""The tests run in an empty home of their own (see ``pytest_configure`` in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_home_of_tests_and_their_processes_is_their_own() -> None:
    home = Path(os.environ["HOME"])
    assert home.name.startswith("qrt-lab-test-home-") and Path.home() == home
    child = subprocess.run(
        [sys.executable, "-c", "import pathlib; print(pathlib.Path.home())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(child.stdout.strip()) == home
