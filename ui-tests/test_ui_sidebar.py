"""The "Qiskit Runtime" sidebar in real JupyterLab and real Chromium."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from labserver import Lab
from playwright.sync_api import Page, Route, expect

import qrt_lab

TAB = '.jp-SideBar.jp-mod-left li[data-id="qrt-lab-sidebar"]'
PANEL = "#qrt-lab-sidebar"
STATUS = f"{PANEL} .qrt-ServerStatus"
VERSION_ROUTE = re.compile(r".*/qrt-lab/api/version(\?.*)?$")


def open_lab(page: Page, lab: Lab) -> None:
    page.goto(lab.url)
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=60_000)
    expect(page.locator(TAB)).to_be_visible(timeout=30_000)


def open_sidebar(page: Page) -> None:
    if not page.locator(PANEL).is_visible():
        page.locator(TAB).click()
    expect(page.locator(PANEL)).to_be_visible()


@pytest.mark.parametrize(
    ("theme", "light"), [("JupyterLab Light", "true"), ("JupyterLab Dark", "false")]
)
def test_sidebar_shows_the_server_version(
    page: Page, lab: Lab, set_theme: object, artifacts: Path, theme: str, light: str
) -> None:
    set_theme(theme)  # type: ignore[operator]
    open_lab(page, lab)
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", light, timeout=30_000)
    open_sidebar(page)
    expect(page.locator(f"{PANEL} .qrt-Sidebar-header")).to_have_text("Qiskit Runtime")
    expect(page.locator(STATUS)).to_have_attribute("data-state", "ok", timeout=30_000)
    expect(page.locator(f'{STATUS} dd[data-field="server"]')).to_have_text(qrt_lab.__version__)
    expect(page.locator(f'{STATUS} dd[data-field="frontend"]')).to_have_text(qrt_lab.__version__)
    expect(page.locator(f"{STATUS} .qrt-ServerStatus-fix")).to_be_hidden()
    name = "light" if light == "true" else "dark"
    page.screenshot(path=artifacts / f"sidebar-{name}.png")


def test_version_request_carries_no_token_in_the_url(page: Page, lab: Lab) -> None:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    open_lab(page, lab)
    open_sidebar(page)
    expect(page.locator(STATUS)).to_have_attribute("data-state", "ok", timeout=30_000)
    version_calls = [url for url in urls if VERSION_ROUTE.match(url)]
    assert version_calls, "the sidebar never called the version endpoint"
    assert all(lab.token not in url for url in version_calls)


def test_sidebar_is_restored_after_reload(page: Page, lab: Lab) -> None:
    open_lab(page, lab)
    open_sidebar(page)
    expect(page.locator(STATUS)).to_have_attribute("data-state", "ok", timeout=30_000)
    # The layout restorer saves the workspace after layout changes; wait for that save.
    saved = page.expect_response(
        lambda r: "/lab/api/workspaces" in r.url and r.request.method == "PUT"
    )
    with saved:
        page.locator(TAB).click()
        page.locator(TAB).click()
    page.reload()
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=60_000)
    expect(page.locator(PANEL)).to_be_visible(timeout=30_000)


def test_missing_server_extension_says_how_to_enable_it(
    page: Page, lab_without_server_extension: Lab, artifacts: Path
) -> None:
    lab = lab_without_server_extension
    with lab.api() as client:
        assert client.get("/qrt-lab/api/version").status_code == 404
    open_lab(page, lab)
    open_sidebar(page)
    expect(page.locator(STATUS)).to_have_attribute("data-state", "not-enabled", timeout=30_000)
    expect(page.locator(STATUS)).to_contain_text("server extension is not enabled")
    expect(page.locator(f"{STATUS} .qrt-ServerStatus-fix")).to_have_text(
        "jupyter server extension enable qrt_lab"
    )
    page.locator(PANEL).screenshot(path=artifacts / "sidebar-not-enabled.png")


def test_version_mismatch_says_how_to_upgrade(page: Page, lab: Lab, artifacts: Path) -> None:
    # A real mismatch needs two installed versions; the browser is handed an older server's answer.
    def older_server(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps({"version": "0.0.1", "python": "3.11.0"}),
        )

    page.route(VERSION_ROUTE, older_server)
    open_lab(page, lab)
    open_sidebar(page)
    expect(page.locator(STATUS)).to_have_attribute("data-state", "mismatch", timeout=30_000)
    expect(page.locator(STATUS)).to_contain_text("differ")
    expect(page.locator(f"{STATUS} .qrt-ServerStatus-fix")).to_have_text(
        "pip install --upgrade qrt-lab"
    )
    expect(page.locator(f'{STATUS} dd[data-field="server"]')).to_have_text("0.0.1")
    page.locator(PANEL).screenshot(path=artifacts / "sidebar-mismatch.png")


def test_poll_interval_setting_reaches_the_sidebar(page: Page, lab: Lab) -> None:
    settings = "/lab/api/settings/qrt-lab:plugin"
    with lab.api() as client:
        client.put(settings, json={"raw": json.dumps({"pollInterval": 5})}).raise_for_status()
    try:
        calls: list[float] = []
        page.on(
            "request",
            lambda r: calls.append(time.monotonic()) if VERSION_ROUTE.match(r.url) else None,
        )
        open_lab(page, lab)
        open_sidebar(page)
        expect(page.locator(STATUS)).to_have_attribute("data-state", "ok", timeout=30_000)
        deadline = time.monotonic() + 15
        while len(calls) < 3 and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        # With the default of 30 s there would be one call in this window, not three.
        assert len(calls) >= 3, f"{len(calls)} version checks in 15 s with pollInterval=5"
    finally:
        with lab.api() as client:
            client.put(settings, json={"raw": "{}"}).raise_for_status()
