"""Fixtures for the ``%qruntime`` tests: a real IPython shell wired to the real local service.

``HOME`` points at an empty folder (no saved accounts, so the default rule picks the local
service) and ``QRT_LAB_LOCAL_DIR`` at the session's local service, which the magics then find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.displaypub import CapturingDisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from qrt_lab.magics import _active
from qrt_lab.magics.watch import watcher
from qrt_lab.runtime.api.discovery import LocalServiceInfo


@pytest.fixture(scope="module")
def magic_env(
    local_service: LocalServiceInfo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """An empty home and the session's local service for the magics; yields the home folder."""
    home = tmp_path_factory.mktemp("magics-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("QRT_LAB_LOCAL_DIR", str(local_service.state_dir))
        patch.delenv("QISKIT_IBM_TOKEN", raising=False)
        _active.forget()
        yield home
        watcher.disable()
        _active.forget()


@pytest.fixture(scope="module")
def shell(magic_env: Path) -> Iterator[InteractiveShell]:
    """A real in-process IPython shell with ``%load_ext qrt_lab``."""
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "qrt_lab")
    yield ip
    InteractiveShell.clear_instance()


@pytest.fixture
def displayed(shell: InteractiveShell) -> Iterator[list[dict[str, Any]]]:
    """Everything ``display()`` publishes during the test (mimebundles)."""
    original = shell.display_pub
    capture = CapturingDisplayPublisher()
    shell.display_pub = capture
    yield capture.outputs  # type: ignore[misc]
    shell.display_pub = original


@pytest.fixture
def qruntime(shell: InteractiveShell) -> Callable[..., Any]:
    """``qruntime("jobs --limit 3")`` runs the line magic; ``cell=`` runs the cell magic."""

    def run(line: str, cell: str | None = None) -> Any:
        if cell is None:
            return shell.run_line_magic("qruntime", line)
        return shell.run_cell_magic("qruntime", line, cell)

    return run
