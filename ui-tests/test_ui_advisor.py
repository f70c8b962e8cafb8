"""BackendAdvisor in real JupyterLab + Chromium on the local service: rank, pick, use.

The notebook's kernel ranks two local backends with the real ``rank_backends``; the test clicks
the second row, sees its layout highlighted on the coupling map, presses "Use …" and finds the
transpile code in the cell below, then runs that cell. Screenshots of the widget, light and
dark, go to ``ui-tests/artifacts/advisor-*.png``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from labserver import Lab
from playwright.sync_api import Page, expect
from sidebar_lab import shoot, start_service, stop_service

from qrt_lab.widgets.static import PLOTLY_MIME

SETUP = """\
import os
os.environ["QRT_LAB_LOCAL_DIR"] = {state!r}
from qiskit import QuantumCircuit
from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.widgets import BackendAdvisor
service = QiskitRuntimeService(channel="local")
ghz = QuantumCircuit(4)
ghz.h(0)
for i in range(3):
    ghz.cx(i, i + 1)
ghz.measure_all()
"""
ADVISE = (
    "BackendAdvisor(ghz, service, backends=['local_5q', 'local_falcon27'], top=3, "
    "optimization_level=1)"
)
WIDGET = ".jp-Notebook .jp-Cell >> nth=1"
OUTPUT = f"{WIDGET} >> .jp-OutputArea"


@pytest.fixture(scope="module")
def notebook(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private local service and a notebook on it; kernels stop before the service does."""
    state = tmp_path_factory.mktemp("qrt-advisor-service")
    _info, proc = start_service(state)
    cells = [
        nbformat.v4.new_code_cell(SETUP.format(state=str(state))),
        nbformat.v4.new_code_cell(ADVISE),
    ]
    document = nbformat.v4.new_notebook(cells=cells)
    document.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    try:
        with lab.api() as client:
            client.put(
                "/api/contents/advisor.ipynb",
                json={
                    "type": "notebook",
                    "format": "json",
                    "content": json.loads(nbformat.writes(document)),
                },
            ).raise_for_status()
        yield "advisor.ipynb"
    finally:
        with lab.api() as client:
            for kernel in client.get("/api/kernels").json():
                client.delete(f"/api/kernels/{kernel['id']}")
            # the shared lab must not reopen this notebook for the next module's test
            client.delete("/api/contents/advisor.ipynb")
            client.delete("/lab/api/workspaces/default")
        stop_service(proc)


def test_rank_pick_and_use_a_layout(page: Page, lab: Lab, notebook: str, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 1100})  # the whole widget in one shot
    page.goto(f"{lab.base}/lab/tree/{notebook}?token={lab.token}")
    expect(page.locator(".jp-Notebook")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=90_000)
    page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first.click()
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    widget = page.locator(WIDGET)
    rows = widget.locator(".qrt-adv-row")
    expect(rows.first).to_be_visible(timeout=240_000)
    errors = widget.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    assert not errors.count(), errors.first.inner_text()
    count = rows.count()
    assert 2 <= count <= 3, f"{count} candidates for two backends, top 3"
    chosen = rows.nth(1)
    backend = chosen.get_attribute("data-backend")
    assert backend in ("local_5q", "local_falcon27")
    layout = chosen.locator("td").nth(2).inner_text()
    chosen.click()
    expect(chosen).to_have_attribute("aria-selected", "true")
    expect(widget.locator(".widget-html", has_text=backend or "")).to_be_visible()
    # the map: the chosen layout's qubits are labelled on the plot, used edges have a key
    plot = widget.locator(".js-plotly-plot")
    expect(plot.locator(".legendtext").first).to_be_visible(timeout=60_000)
    expect(plot.locator(".gtitle")).to_have_text(f"{backend}: layout {layout}", timeout=60_000)
    labels = plot.locator(".textpoint text")
    shown = set(labels.evaluate_all("texts => texts.map(t => t.textContent)"))
    assert {q.strip() for q in layout.split(",")} <= shown, (layout, shown)
    page.locator(OUTPUT).scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    shoot(page, artifacts / "advisor", OUTPUT)
    # the other row too: a bigger device's map, for the eye (artifacts/advisor-first-*.png)
    rows.first.click()
    first = rows.first.get_attribute("data-backend")
    expect(plot.locator(".gtitle")).to_contain_text(f"{first}: layout", timeout=60_000)
    page.wait_for_timeout(500)
    shoot(page, artifacts / "advisor-first", OUTPUT)
    chosen.click()
    expect(plot.locator(".gtitle")).to_have_text(f"{backend}: layout {layout}", timeout=60_000)
    button = widget.locator("button.qrt-adv-use")
    expect(button).to_contain_text(backend or "")
    button.click()
    expect(widget.locator(".qrt-adv-use-note")).to_have_text("Inserted in the cell below.")
    inserted = page.locator(".jp-Notebook .jp-Cell").nth(2)
    source = inserted.locator(".jp-InputArea .cm-content")
    expect(source).to_contain_text(f"backend = service.backend('{backend}')")
    expect(source).to_contain_text("generate_preset_pass_manager")
    # what the ranking assumed for this row: its level, its layout, the ranking's seed
    expect(source).to_contain_text("optimization_level=1,")
    expect(source).to_contain_text(f"initial_layout=[{layout}],")
    expect(source).to_contain_text("seed_transpiler=11,")
    expect(source).to_contain_text("isa = pm.run(ghz)")
    # the code runs as written
    inserted.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    expect(inserted.locator(".jp-InputPrompt")).to_have_text("[3]:", timeout=120_000)
    assert not inserted.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()
    # in an output view there is no cell below the widget: the button shows the code instead
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    widget.locator(".jp-InputPrompt").click()  # the widget's cell is the active one
    widget.locator(".jp-OutputArea-output").first.click(button="right")
    page.locator(".lm-Menu-itemLabel", has_text="Create New View for Cell Output").click()
    view = page.locator(".jp-LinkedOutputView")
    view.locator("button.qrt-adv-use").click(timeout=60_000)
    expect(view.locator(".qrt-adv-use-note")).to_contain_text("copy the code below")
    expect(view.locator(".qrt-adv-code")).to_contain_text("isa = pm.run(ghz)")
    fallback = view.locator(".qrt-adv-code").locator("xpath=../..")  # the button, note and code
    fallback.screenshot(path=artifacts / "advisor-copy-fallback.png")
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells, "no cell was inserted"
    # the saved notebook keeps the ranked table, not the "Ranking…" taken when it was shown,
    # and the row chosen last (the second), not the first: its map, its numbers, its code
    page.keyboard.press("Control+s")
    expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=30_000)
    with lab.api() as client:
        saved = client.get(f"/api/contents/{notebook}").json()["content"]
    outputs = saved["cells"][1]["outputs"]
    assert len(outputs) == 1, outputs
    static = outputs[0]["data"]
    assert "Ranking" not in static["text/html"] and backend in static["text/html"]
    assert "generate_preset_pass_manager" in static["text/plain"]
    assert static[PLOTLY_MIME]["layout"]["title"]["text"] == f"{backend}: layout {layout}"
    assert "<td>2 (chosen)</td>" in static["text/html"]
    assert f"Chosen: row 2, {backend} on qubits {layout}" in static["text/html"]
    assert f"initial_layout=[{layout}]," in static["text/plain"]
