"""``%qruntime`` in a real notebook, kernel and Chromium: job monitor, histogram, coupling map."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import running_lab
from labserver import Lab
from playwright.sync_api import Page, expect
from sidebar_lab import shoot

from qrt_lab.runtime.api.discovery import ensure_running, stop_service

SAMPLE_CELL = """%%qruntime sample --backend local_5q --shots 500
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
cx q[0], q[1];
c = measure q;
"""

ESTIMATE_CELL = """%%qruntime estimate --backend local_ideal --observable ZZ --observable XX
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
h q[0];
cx q[0], q[1];
"""

# run the cells above the last one, then (once checked) the last one on its own
RUN_ABOVE_LAST = """() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  notebook.activeCellIndex = notebook.widgets.length - 1;
  return window.jupyterapp.commands.execute('notebook:run-all-above');
}"""
RUN_LAST = """() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  notebook.activeCellIndex = notebook.widgets.length - 1;
  return window.jupyterapp.commands.execute('notebook:run-cell');
}"""

KERNEL_IDLE = """() => {
  const session = window.jupyterapp.shell.currentWidget?.sessionContext?.session;
  return session?.kernel?.status === 'idle';
}"""


@pytest.fixture(scope="module")
def magic_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab whose kernels find a private local service (and no saved accounts)."""
    state = tmp_path_factory.mktemp("magics-local")
    home = tmp_path_factory.mktemp("magics-home")
    ensure_running(state)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("QRT_LAB_LOCAL_DIR", str(state))
            patch.setenv("HOME", str(home))
            patch.delenv("QISKIT_IBM_TOKEN", raising=False)
            root = tmp_path_factory.mktemp("magics-lab")
            with running_lab(root, "--LabApp.expose_app_in_browser=True") as lab:
                notebook = nbformat.v4.new_notebook()
                notebook.metadata["kernelspec"] = {
                    "name": "python3", "display_name": "Python 3", "language": "python"
                }  # fmt: skip
                notebook.cells = [
                    nbformat.v4.new_code_cell("%load_ext qrt_lab\n%qruntime watch"),
                    nbformat.v4.new_code_cell(SAMPLE_CELL),
                    nbformat.v4.new_code_cell("sum(_[0].data.c.get_counts().values())"),
                    nbformat.v4.new_code_cell("%qruntime backend local_5q --metric T1"),
                ]
                (root / "notebooks" / "sample.ipynb").write_text(json.dumps(notebook))
                notebook.cells = [
                    nbformat.v4.new_code_cell("%load_ext qrt_lab"),
                    nbformat.v4.new_code_cell(ESTIMATE_CELL),
                ]
                (root / "notebooks" / "estimate.ipynb").write_text(json.dumps(notebook))
                yield lab
    finally:
        stop_service(state)


def test_sample_watch_and_backend_magics(page: Page, magic_lab: Lab, artifacts: Path) -> None:
    page.goto(magic_lab.url.replace("/lab?", "/lab/tree/sample.ipynb?"))
    expect(page.locator(".jp-Notebook")).to_be_visible(timeout=60_000)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate(RUN_ABOVE_LAST)
    cells = page.locator(".jp-Notebook .jp-Cell")
    plot = cells.nth(1).locator(".js-plotly-plot")
    expect(plot).to_be_visible(timeout=180_000)
    bars = plot.locator(".barlayer .point")
    expect(bars.first).to_be_visible(timeout=30_000)
    assert bars.count() >= 2
    labels = plot.locator(".xtick text").all_text_contents()
    assert {"00", "11"} <= set(labels)
    expect(cells.nth(2).locator(".jp-OutputArea-output")).to_have_text("500", timeout=60_000)
    assert (
        cells.nth(1)
        .locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")
        .count()
        == 0
    )
    monitor = cells.nth(1).locator(".qrt-w", has_text="sampler on local_5q")
    expect(monitor.locator(".qrt-status")).to_have_text("Completed", timeout=30_000)
    # a finished job cannot be cancelled: its row shows no Cancel button (not a greyed-out one)
    expect(monitor.get_by_role("button", name="Result")).to_be_visible()
    expect(monitor.get_by_role("button", name="Cancel")).to_have_count(0)
    cells.nth(1).screenshot(path=artifacts / "magics-sample-histogram.png")
    page.evaluate(RUN_LAST)  # %qruntime backend: the summary table and a CouplingMapView
    cell = cells.nth(3)
    expect(cell.locator("table.qrt-table")).to_contain_text("Basis gates", timeout=180_000)
    view = cell.locator(".qrt-w")
    expect(view).to_contain_text("local_5q", timeout=60_000)
    expect(view.locator(".js-plotly-plot")).to_be_visible(timeout=60_000)
    expect(view.locator("select").first.locator("option:checked")).to_have_text("T1 (µs)")
    assert view.locator(".js-plotly-plot .scatterlayer .trace").count() >= 2
    cell.screenshot(path=artifacts / "magics-backend-coupling-map.png")


def test_estimate_magic_draws_one_labelled_point_per_observable(
    page: Page, magic_lab: Lab, artifacts: Path
) -> None:
    # a workspace of its own: the sample notebook of the test above is not restored over it
    fresh = "/lab/workspaces/estimate/tree/estimate.ipynb?reset&"
    page.goto(magic_lab.url.replace("/lab?", fresh))
    expect(page.locator(".jp-Notebook")).to_be_visible(timeout=60_000)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate(RUN_ABOVE_LAST)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate(RUN_LAST)
    cell = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(1)
    plot = cell.locator(".js-plotly-plot")
    expect(plot).to_be_visible(timeout=180_000)
    # the ExpectationPlot widget's figure fills in once its view has synced
    page.wait_for_function(
        "node => (node.data || []).length > 0", arg=plot.element_handle(), timeout=60_000
    )
    drawn = plot.evaluate(
        "node => node.data.map(t => ({x: t.x, mode: t.mode, error: !!t.error_y, text: t.text}))"
    )
    assert len(drawn) == 1  # one series of labelled points, not a line over "index 0-1"
    (trace,) = drawn
    assert trace["x"] == ["ZZ", "XX"] and trace["mode"] == "markers" and trace["error"]
    assert trace["text"][0].startswith("⟨ZZ⟩ = ")
    expect(plot.locator(".xtick text")).to_have_text(["ZZ", "XX"])
    expect(plot.locator(".g-xtitle")).to_have_text("observable")
    shoot(page, artifacts / "magics-estimate", ".jp-NotebookPanel:visible .jp-Cell >> nth=1")
