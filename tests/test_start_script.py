"""scripts/start.sh: what it installs and the ``jupyter lab`` command it builds (dry run)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START = REPO / "scripts" / "start.sh"


def dry_run(*args: str) -> list[str]:
    env = {**os.environ, "QRT_LAB_START_DRY_RUN": "1"}
    out = subprocess.run(
        ["bash", str(START), *args], env=env, capture_output=True, text=True, check=True
    )
    return shlex.split(out.stdout)


def test_opens_examples_on_loopback_and_passes_extra_arguments() -> None:
    command = dry_run("--port", "8899", "--no-browser", "--ServerApp.root_dir=/tmp/work space")
    assert command[:2] == ["jupyter", "lab"]
    assert "--ServerApp.ip=127.0.0.1" in command
    assert f"--ServerApp.root_dir={REPO / 'examples'}" in command
    # the user's arguments come last, unchanged, so a root_dir of theirs wins
    assert command[-4:] == [
        "--port",
        "8899",
        "--no-browser",
        "--ServerApp.root_dir=/tmp/work space",
    ]


def test_start_installs_no_test_or_dev_extras() -> None:
    text = START.read_text()
    assert 'QRT_LAB_EXTRAS="" bash "$REPO/scripts/install.sh"' in text
    install = (REPO / "scripts" / "install.sh").read_text()
    assert 'extras="${QRT_LAB_EXTRAS-test,dev}"' in install
