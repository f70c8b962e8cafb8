"""Every qrt-lab widget rendered by a real kernel in real JupyterLab and Chromium, light and dark.

A private local runtime service runs for the test (stopped by pid); the notebook's kernel talks
to it over loopback HTTP. Screenshots of each widget go to ``ui-tests/artifacts/``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from labserver import Lab
from playwright.sync_api import Locator, Page, expect

from qrt_lab.runtime.api.discovery import find_running

REPO = Path(__file__).resolve().parents[1]
DEVICES = REPO.parent / "shared" / "data" / "devices"

SETUP = """\
import os
os.environ["QRT_LAB_LOCAL_DIR"] = {state!r}
import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.primitives import StatevectorEstimator, StatevectorSampler
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager
from qrt_lab.runtime import Batch, QiskitRuntimeService, SamplerV2
from qrt_lab.widgets import (AccountSetup, BackendBrowser, CouplingMapView, ExpectationPlot,
                             JobMonitor, ResultHistogram, SessionMonitor)
service = QiskitRuntimeService(channel="local")
backend = service.backend("local_5q")
big = max(service.backends(), key=lambda b: b.num_qubits)
qc = QuantumCircuit(3); qc.h(0); qc.cx(0, 1); qc.cx(1, 2); qc.measure_all()
isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)
job = SamplerV2(mode=backend).run([isa], shots=2000)
"""

WIDGETS = {
    "account": "AccountSetup(filename={accounts!r})",
    "backends": "BackendBrowser(service)",
    "coupling-map": "CouplingMapView(big, qubit_metric='T1')",
    "job-monitor": "JobMonitor(job)",
    "session-monitor": (
        "batch = Batch(backend=backend)\n"
        "SamplerV2(mode=batch).run([isa], shots=100).wait_for_final_state()\n"
        "SessionMonitor(batch)"
    ),
    "histogram": (
        "ideal = StatevectorSampler(seed=1).run([qc], shots=2000).result()\n"
        "ResultHistogram({'ideal': ideal, 'local_5q': job.result()}, values='probabilities')"
    ),
    "expectation": (
        "t = Parameter('t'); one = QuantumCircuit(1); one.ry(t, 0)\n"
        "sweep = np.linspace(0, np.pi, 9)\n"
        "obs = [[SparsePauliOp('Z')], [SparsePauliOp('X')]]\n"
        "result = StatevectorEstimator(seed=1).run([(one, obs, sweep)], precision=0.05).result()\n"
        "ExpectationPlot(result, x=sweep, observables=['Z', 'X'])"
    ),
}


@pytest.fixture(scope="module")
def service_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private local runtime service for the notebook's kernel; stopped by pid."""
    state = tmp_path_factory.mktemp("qrt-widgets-service")
    args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0", "--state-dir",
            str(state), "--workers", "1"]  # fmt: skip
    if DEVICES.is_dir():
        args += ["--devices", str(DEVICES)]
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    )
    with (state / "service.log").open("wb") as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        while (info := find_running(state)) is None or info.pid != proc.pid:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"local service did not start: {(state / 'service.log').read_text()}")
            time.sleep(0.2)
        yield state
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def notebook(
    lab: Lab, service_state: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Upload the notebook with one cell per widget; yields its path in the lab.

    Afterwards its kernels are shut down before the service stops: a kernel still polling would
    start the service again (the client follows a service that went away) and leave it running.
    """
    accounts = tmp_path_factory.mktemp("accounts") / "qiskit-ibm.json"
    cells = [nbformat.v4.new_code_cell(SETUP.format(state=str(service_state)))]
    cells += [
        nbformat.v4.new_code_cell(code.replace("{accounts!r}", repr(str(accounts))))
        for code in WIDGETS.values()
    ]
    document = nbformat.v4.new_notebook(cells=cells)
    document.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    with lab.api() as client:
        response = client.put(
            "/api/contents/widgets.ipynb",
            json={
                "type": "notebook",
                "format": "json",
                "content": json.loads(nbformat.writes(document)),
            },
        )
        response.raise_for_status()
    yield "widgets.ipynb"
    with lab.api() as client:
        for kernel in client.get("/api/kernels").json():
            client.delete(f"/api/kernels/{kernel['id']}")


def click_menu(page: Page, *path: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{path[0]}$")).click()
    for label in path[1:-1]:
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$")).hover()
        page.wait_for_timeout(500)
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(path[-1])}$")).click()


def output_of(page: Page, index: int) -> Locator:
    return page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea")


def test_every_widget_renders_in_light_and_dark(
    page: Page, lab: Lab, notebook: str, artifacts: Path, set_theme: object
) -> None:
    set_theme("JupyterLab Light")  # type: ignore[operator]
    # ?reset: only this notebook, whatever an earlier test of the shared lab left open
    page.goto(f"{lab.base}/lab/tree/{notebook}?reset&token={lab.token}")
    expect(page.locator(".jp-Notebook")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=90_000)
    page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first.click()
    for _ in range(len(WIDGETS) + 1):
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(200)
    names = list(WIDGETS)
    for index, name in enumerate(names, start=1):
        area = output_of(page, index)
        expect(area.locator(".widget-box, .widget-vbox").first).to_be_visible(timeout=240_000)
        errors = area.locator("[data-mime-type='application/vnd.jupyter.stderr']")
        assert not errors.count(), f"{name}: {errors.first.inner_text()}"
    monitor = output_of(page, names.index("job-monitor") + 1)
    expect(monitor.locator(".qrt-status.qrt-DONE")).to_be_visible(timeout=240_000)
    page.wait_for_timeout(1500)
    for theme, light in (("light", "true"), ("dark", "false")):
        if theme == "dark":
            click_menu(page, "Settings", "Theme", "JupyterLab Dark")
            expect(page.locator("body")).to_have_attribute("data-jp-theme-light", light)
            page.wait_for_timeout(2000)
        for index, name in enumerate(names, start=1):
            area = output_of(page, index)
            area.scroll_into_view_if_needed()
            area.screenshot(path=artifacts / f"widget-{name}-{theme}.png")
    for name in ("backends", "coupling-map", "histogram", "expectation", "job-monitor"):
        area = output_of(page, names.index(name) + 1)
        expect(area.locator(".js-plotly-plot").first).to_be_attached(timeout=120_000)
        expect(area.locator(".js-plotly-plot .trace").first).to_be_attached(timeout=60_000)
    histogram = output_of(page, names.index("histogram") + 1)
    expect(histogram.locator(".legendtext", has_text="local_5q")).to_be_visible()
