"""Browser-test fixtures: our own ``jupyter lab`` on a free loopback port, system Chromium.

Playwright never downloads a browser here: it launches ``$CHROMIUM_PATH`` (default
``/usr/bin/chromium``).
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from labserver import Lab
from playwright.sync_api import expect

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


def pytest_configure(config: pytest.Config) -> None:
    """Every test, and every kernel, server and service it starts, runs in an empty home.

    A developer's saved accounts (``~/.qiskit/qiskit-ibm.json``, perhaps with a real IBM token)
    must neither change a verdict nor be used or edited by a test. The home is removed at exit,
    after whatever still writes there (IPython's history) is done.
    """
    home = tempfile.mkdtemp(prefix="qrt-lab-test-home-")
    os.environ["HOME"] = home
    atexit.register(shutil.rmtree, home, ignore_errors=True)


# An expect without a timeout waits Playwright's default 5 s for the page to get there, which a
# busy 2-core machine can exceed by chance. Waiting longer changes nothing for a passing check
# (it returns as soon as the condition holds); only a failure is reported later.
expect.set_options(timeout=30_000)
THEMES_SETTINGS = "@jupyterlab/apputils-extension:themes"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--reverse``: run the collected tests in reverse order (they must not need each other)."""
    parser.addoption(
        "--reverse",
        action="store_true",
        default=False,
        help="run the browser tests in reverse order, to prove each makes what it needs",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Reverse the collected tests under ``--reverse``."""
    if config.getoption("--reverse"):
        items.reverse()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_settings(settings_dir: Path) -> None:
    # The news toast would cover the lower-right corner of every screenshot.
    notification = settings_dir / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


@contextmanager
def running_lab(
    root: Path, *extra_args: str, port: int | None = None, token: str | None = None
) -> Iterator[Lab]:
    """Run ``jupyter lab`` in ``root`` until the block ends; stop it by pid.

    ``port`` and ``token`` start it again where an earlier one ran (a server restart).
    """
    settings = root / "settings"
    _write_settings(settings)
    (root / "notebooks").mkdir(exist_ok=True)
    token = token or secrets.token_hex(16)
    # A free port can be taken by another process before the lab binds it (seconds later); the
    # lab then exits at once. A port we chose is chosen again; a given one (a restart) is kept.
    for attempt in range(PORT_ATTEMPTS):
        chosen = port or _free_port()
        with _lab_process(root, settings, chosen, token, extra_args) as (running, process):
            if _wait_until_up(running, process, port_taken_ok=port is None):
                yield running
                return
        assert attempt < PORT_ATTEMPTS - 1, f"{PORT_ATTEMPTS} free ports were taken in turn"


PORT_ATTEMPTS = 5


@contextmanager
def _lab_process(
    root: Path, settings: Path, port: int, token: str, extra_args: tuple[str, ...]
) -> Iterator[tuple[Lab, subprocess.Popen[bytes]]]:
    log = root / "lab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root / 'notebooks'}",
        "--LabApp.extension_manager=readonly",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",
        *extra_args,
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        yield Lab(f"http://127.0.0.1:{port}", token, log), process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(
    lab: Lab, process: subprocess.Popen[bytes], timeout: float = 90, port_taken_ok: bool = False
) -> bool:
    """True when the lab answers; False when it exited because its port was taken (and
    ``port_taken_ok``); any other early exit or a timeout fails the test."""
    deadline = time.monotonic() + timeout
    with lab.api() as client:
        while True:
            if process.poll() is not None:
                if port_taken_ok and "is already in use" in lab.log_tail():
                    return False
                pytest.fail(f"jupyter lab exited early:\n{lab.log_tail()}")
            try:
                if client.get("/api/status").status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer in {timeout} s:\n{lab.log_tail()}")
            time.sleep(0.3)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab with qrt-lab as installed, for the whole session."""
    with running_lab(tmp_path_factory.mktemp("lab")) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh_workspace(request: pytest.FixtureRequest) -> None:
    """Each test on the shared lab starts from an empty workspace (no notebook of an earlier test
    reopened, the default panels), whatever order the tests run in."""
    if "lab" not in request.fixturenames:
        return
    shared: Lab = request.getfixturevalue("lab")
    with shared.api() as client:
        for workspace in (
            client.get("/lab/api/workspaces").json().get("workspaces", {}).get("ids", [])
        ):
            client.delete(f"/lab/api/workspaces/{workspace}")


@pytest.fixture(scope="session")
def lab_without_server_extension(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab whose qrt_lab server extension is disabled (the frontend is still installed)."""
    root = tmp_path_factory.mktemp("lab-no-server-ext")
    config = root / "disable_qrt_lab.py"
    config.write_text('c.ServerApp.jpserver_extensions = {"qrt_lab": False}\n')
    with running_lab(root, f"--config={config}") as running:
        yield running


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system Chromium (pytest-playwright hook); never a downloaded browser."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A fixed viewport so screenshots are comparable between runs."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def set_theme(lab: Lab) -> Iterator[Any]:
    """Switch the JupyterLab theme through the settings API; restore the light theme afterwards."""

    def apply(theme: str) -> None:
        with lab.api() as client:
            response = client.put(
                f"/lab/api/settings/{THEMES_SETTINGS}",
                json={"raw": json.dumps({"theme": theme})},
            )
            response.raise_for_status()

    yield apply
    apply("JupyterLab Light")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The git-ignored folder for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
