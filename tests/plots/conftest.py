"""Shared fixtures for the plots tests: the real IBM device documents, skipped when absent."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DEVICES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "devices"


@pytest.fixture
def configuration() -> Callable[[str], dict[str, Any]]:
    """Return a loader of ``conf_<name>.json`` that skips the test when the file is missing."""

    def load(name: str) -> dict[str, Any]:
        path = DEVICES / name / f"conf_{name}.json"
        if not path.exists():
            pytest.skip(f"device documents not available at {path}")
        return dict(json.loads(path.read_text()))

    return load
