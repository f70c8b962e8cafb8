"""qrt-lab's figure widget (``qrt_lab.widgets.figure``) in real JupyterLab and Notebook 7, Chromium.

One notebook, run by a real kernel: a ``ResultHistogram`` whose figure is drawn by plotly.js;
hover shows the bar's text, a drag zooms, a click reaches ``on_click`` in the kernel, and an update
from Python restyles the drawn plot (same SVG node) instead of drawing a new one.

JupyterLab lends the labextension's plotly.js to the widget; Notebook 7 runs with qrt-lab's
labextension disabled, so plotly.js comes from the kernel as it does in VS Code (whose widget
renderer has no qrt-lab extension either). Screenshots go to ``ui-tests/artifacts/``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import _free_port, _wait_until_up, _write_settings
from labserver import Lab
from playwright.sync_api import Locator, Page, expect
from test_ui_widgets import click_menu

CELLS = [
    (
        "from qrt_lab.widgets import ResultHistogram\n"
        "clicked = []\n"
        "view = ResultHistogram({'00': 600, '11': 400})\n"
        "view.figure.data[0].on_click(lambda trace, points, state: clicked.append("
        "(trace.name, points.point_inds, points.xs)))\n"
        "view"
    ),
    "print('clicked', clicked)",
    "view.values = 'probabilities'",
]
MARK = "el => { el.__qrtMark = 'first draw'; return el.__qrtMark; }"


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """``jupyter notebook`` (Notebook 7) with qrt-lab's labextension disabled; stopped by pid."""
    root = tmp_path_factory.mktemp("notebook7")
    config = root / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"qrt-lab": True}})
    )
    _write_settings(root / "settings")
    (root / "notebooks").mkdir()
    token, log = secrets.token_hex(16), root / "notebook.log"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config)}
    process: subprocess.Popen[bytes] | None = None
    try:
        # a free port taken by another process before the server bound it: start on another
        for _ in range(5):
            port = _free_port()
            command = [sys.executable, "-m", "notebook", "--no-browser", "--allow-root",
                       "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                       "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                       f"--ServerApp.root_dir={root / 'notebooks'}"]  # fmt: skip
            with log.open("wb") as sink:
                process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
            running = Lab(f"http://127.0.0.1:{port}", token, log)
            if _wait_until_up(running, process, port_taken_ok=True):
                break
        else:
            pytest.fail("5 free ports were taken in turn")
        yield running
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def upload(server: Lab, name: str) -> str:
    cells = [nbformat.v4.new_code_cell(code) for code in CELLS]
    document = nbformat.v4.new_notebook(cells=cells)
    document.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    with server.api() as client:
        client.put(
            f"/api/contents/{name}",
            json={"type": "notebook", "format": "json",
                  "content": json.loads(nbformat.writes(document))},
        ).raise_for_status()  # fmt: skip
    return name


def shut_kernels(server: Lab) -> None:
    with server.api() as client:
        for kernel in client.get("/api/kernels").json():
            client.delete(f"/api/kernels/{kernel['id']}")


def wait_for_idle_kernel(server: Lab, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    with server.api() as client:
        while time.monotonic() < deadline:
            response = client.get("/api/kernels")
            # while the server starts, the answer can be an error document: ask again
            kernels = response.json() if response.status_code == 200 else []
            states = [k.get("execution_state") for k in kernels if isinstance(k, dict)]
            if "idle" in states:
                return
            time.sleep(0.3)
    pytest.fail(f"no kernel became idle in {timeout} s:\n{server.log_tail()}")


def run_cell(page: Page, index: int) -> Locator:
    cell = page.locator(".jp-Notebook:visible .jp-Cell").nth(index)
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    return cell.locator(".jp-OutputArea")


def exercise(page: Page, artifacts: Path, app: str, source: str) -> None:
    """Render, hover, zoom, click, update; ``source`` is where plotly.js must have come from."""
    expect(page.locator(".jp-Notebook:visible .jp-Cell").first).to_be_visible(timeout=90_000)
    page.wait_for_timeout(1500)  # the kernel connects
    area = run_cell(page, 0)
    plot = area.locator(".qrt-figure.js-plotly-plot")
    expect(plot.locator(".trace.bars")).to_be_attached(timeout=180_000)
    assert page.evaluate("globalThis.__qrtPlotlySource") == source
    loaded = page.evaluate("globalThis.__qrtPlotlyLoadMs")
    print(f"{app}: plotly.js from the {source}" + (f" in {loaded:.0f} ms" if loaded else ""))
    assert plot.evaluate("el => el.data[0].x") == ["00", "11"]
    assert plot.evaluate("el => el.data[0].y") == [600, 400]
    area.screenshot(path=artifacts / f"figure-{app}.png")

    # plotly's drag layer lies over the bars: point the mouse at the bar's middle
    bar = plot.locator(".trace.bars .point").first.bounding_box()
    assert bar is not None
    middle = (bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.mouse.move(*middle)
    hover = plot.locator(".hoverlayer .hovertext")
    expect(hover).to_be_visible(timeout=10_000)
    assert "600" in (hover.text_content() or "")
    area.screenshot(path=artifacts / f"figure-{app}-hover.png")

    page.mouse.click(*middle)
    printed = run_cell(page, 1)
    expect(printed).to_contain_text("clicked [(", timeout=30_000)
    assert "[0], ['00']" in printed.inner_text()

    svg = plot.locator(".main-svg").first
    assert svg.evaluate(MARK) == "first draw"
    draws = int(plot.get_attribute("data-qrt-draws") or 0)
    run_cell(page, 2)
    expect(plot).to_have_attribute("data-qrt-draws", str(draws + 1), timeout=30_000)
    assert plot.evaluate("el => el.data[0].y") == [0.6, 0.4]
    assert svg.evaluate("el => el.__qrtMark") == "first draw", "the update drew a new plot"

    box = plot.locator(".nsewdrag").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    expect(plot.locator(".xaxislayer-above")).to_be_attached()
    assert plot.evaluate("el => el.layout.xaxis.autorange") is False, "the drag did not zoom"
    area.screenshot(path=artifacts / f"figure-{app}-zoomed.png")


def test_figure_widget_in_jupyterlab(
    page: Page, lab: Lab, artifacts: Path, set_theme: object
) -> None:
    name = upload(lab, "figure-lab.ipynb")
    try:
        page.goto(f"{lab.base}/lab/tree/{name}?token={lab.token}")
        expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=90_000)
        exercise(page, artifacts, "jupyterlab", "labextension")
        click_menu(page, "Settings", "Theme", "JupyterLab Dark")
        expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
        run_cell(page, 1)
        plot = page.locator(".jp-Notebook:visible .qrt-figure.js-plotly-plot").first
        expect(plot).to_have_attribute("data-qrt-draws", re.compile(r"^[3-9]$"), timeout=30_000)
        page.wait_for_timeout(500)
        assert plot.evaluate("el => el._fullLayout.paper_bgcolor") == "rgba(0,0,0,0)"
        assert plot.evaluate("el => el._fullLayout.font.color") == "#f2f5fa"  # plotly_dark
        assert (plot.bounding_box() or {}).get("height", 0) > 300
        plot.screenshot(path=artifacts / "figure-jupyterlab-dark.png")
    finally:
        shut_kernels(lab)


def test_figure_widget_in_notebook7_without_our_labextension(
    page: Page, notebook7: Lab, artifacts: Path
) -> None:
    name = upload(notebook7, "figure-nb7.ipynb")
    try:
        page.goto(f"{notebook7.base}/notebooks/{name}?token={notebook7.token}")
        expect(page.locator(".jp-Notebook:visible .jp-Cell").first).to_be_visible(timeout=90_000)
        wait_for_idle_kernel(notebook7)
        exercise(page, artifacts, "notebook7", "kernel")
    finally:
        shut_kernels(notebook7)
