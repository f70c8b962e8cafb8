"""What the sidebar's browser tests share: a local service, a lab on it, and page helpers.

The service runs with one worker, so a long job keeps later ones queued; the lab's extension
uses it (never autostarts its own) and keeps its account files under the test's folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from labserver import Lab
from playwright.sync_api import Page, expect

from qrt_lab.runtime.api.discovery import LocalServiceInfo, find_running

REPO = Path(__file__).resolve().parents[1]
DEVICE_DOCS = REPO.parent / "shared" / "data" / "devices"
TAB = '.jp-SideBar.jp-mod-left li[data-id="qrt-lab-sidebar"]'
PANEL = "#qrt-lab-sidebar"
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}


def start_service(state: Path) -> tuple[LocalServiceInfo, subprocess.Popen[bytes]]:
    """Start the local service on ``state`` (again after a stop: same jobs, new port)."""
    state.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0", "--workers", "1"]
    args += ["--state-dir", str(state)]
    if DEVICE_DOCS.is_dir():
        args += ["--devices", str(DEVICE_DOCS)]
    with (state / "service.log").open("ab") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        info = find_running(state)
        if info is not None and info.pid == proc.pid:
            return info, proc
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"local service did not start:\n{(state / 'service.log').read_text()[-2000:]}")


def stop_service(proc: subprocess.Popen[bytes]) -> None:
    """Stop the service by its pid: SIGTERM, then SIGKILL after 15 s."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass(frozen=True)
class LabStack:
    """A module's lab and the local service its extension uses."""

    lab: Lab
    service: LocalServiceInfo
    root: Path


@contextmanager
def lab_with_service(
    root: Path, *, kernels_use_it: bool = True, **settings: Any
) -> Iterator[LabStack]:
    """A local service (one worker, so later jobs queue) and a lab whose extension uses it.

    With ``kernels_use_it`` the lab's kernels inherit ``QRT_LAB_LOCAL_DIR``, so
    ``QiskitRuntimeService(channel="local")`` in a notebook finds the same service. No IBM token
    leaks in from the environment. ``settings`` are more ``QrtLabConfig`` settings.
    """
    from conftest import running_lab

    info, proc = start_service(root / "service")
    config = lab_config(root, info.state_dir, **settings)
    saved = {k: os.environ.get(k) for k in ("QRT_LAB_LOCAL_DIR", "QISKIT_IBM_TOKEN")}
    if kernels_use_it:
        os.environ["QRT_LAB_LOCAL_DIR"] = str(info.state_dir)
    os.environ.pop("QISKIT_IBM_TOKEN", None)
    try:
        with running_lab(root, f"--config={config}") as lab:
            yield LabStack(lab, info, root)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        stop_service(proc)


def client_of(info: LocalServiceInfo) -> Any:
    """qrt-lab's client of the local service from this process, as any script would use."""
    from qrt_lab.runtime import QiskitRuntimeService

    return QiskitRuntimeService(
        channel="ibm_quantum_platform", token=info.api_key, instance=info.instance, url=info.url
    )


def lab_config(root: Path, state: Path, **settings: Any) -> Path:
    """A config file for ``jupyter lab --config``: the extension on the service in ``state``.

    Args:
        root: The test's folder (the account files go there).
        state: The service's state folder.
        settings: More ``QrtLabConfig`` settings (Python literals).
    """
    config = root / "qrt_lab_config.py"
    lines = {
        "local_autostart": False,
        "local_state_dir": str(state),
        "account_file": str(root / "accounts.json"),
        "active_account_file": str(root / "active.json"),
        **settings,
    }
    config.write_text("".join(f"c.QrtLabConfig.{k} = {v!r}\n" for k, v in lines.items()))
    return config


def open_lab(page: Page, lab: Lab, path: str = "") -> None:
    """Open the lab (or a file in it) with the sidebar shown and connected."""
    url = f"{lab.base}/lab/tree/{path}?token={lab.token}" if path else lab.url
    page.goto(url)
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=60_000)
    expect(page.locator(TAB)).to_be_visible(timeout=30_000)
    # the workspace may restore the sidebar a moment later: give it that moment first
    page.wait_for_timeout(1000)
    if page.locator(TAB).get_attribute("aria-selected") != "true":
        page.locator(TAB).click()
    expect(page.locator(PANEL)).to_be_visible()
    expect(page.locator(f"{PANEL} .qrt-ServerStatus")).to_have_attribute(
        "data-state", "ok", timeout=30_000
    )


def only_section(page: Page, label: str) -> None:
    """Expand one sidebar section and collapse the others (more room, clearer screenshots)."""
    titles = page.locator(f"{PANEL} .jp-AccordionPanel-title")
    for i in range(titles.count()):
        title = titles.nth(i)
        expanded = title.get_attribute("aria-expanded") == "true"
        if ((title.text_content() or "").strip() == label) != expanded:
            title.click()


def switch_theme(page: Page, theme: str) -> None:
    """Switch the theme through the Settings menu, as a user would (views stay open)."""
    page.locator('.lm-MenuBar-itemLabel:text-is("Settings")').click()
    page.locator('.lm-Menu-itemLabel:text-is("Theme")').click()
    page.locator(f'.lm-Menu-itemLabel:text-is("{theme}")').click()
    light = "true" if theme == THEMES["light"] else "false"
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", light, timeout=30_000)


def shoot(page: Page, stem: Path, target: str | None = None) -> None:
    """Screenshot ``target`` (or the page) as ``{stem}-light.png`` and ``{stem}-dark.png``.

    The theme is switched through the menu as a user would, and is light again afterwards.
    """
    for key, theme in THEMES.items():
        light = "true" if key == "light" else "false"
        if page.locator("body").get_attribute("data-jp-theme-light") != light:
            switch_theme(page, theme)
        page.wait_for_timeout(500)
        shot = stem.parent / f"{stem.name}-{key}.png"
        if target:
            page.locator(target).first.screenshot(path=shot)
        else:
            page.screenshot(path=shot)
    switch_theme(page, THEMES["light"])
