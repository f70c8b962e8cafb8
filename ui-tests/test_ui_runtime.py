"""The Qiskit Runtime sidebar against a real local service, a real kernel and real Chromium.

One local service and one ``jupyter lab`` serve the whole module; the tests run in file order
(the account test leaves the local simulator active for the rest).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import running_lab
from labserver import Lab
from playwright.sync_api import Page, expect

from qrt_lab.runtime.api.discovery import LocalServiceInfo, find_running

REPO = Path(__file__).resolve().parents[1]
DEVICE_DOCS = REPO.parent / "shared" / "data" / "devices"
TAB = '.jp-SideBar.jp-mod-left li[data-id="qrt-lab-sidebar"]'
PANEL = "#qrt-lab-sidebar"
DEVICE = "local_heron156"
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}

SETUP = """\
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qrt_lab.runtime import QiskitRuntimeService, SamplerV2, EstimatorV2
service = QiskitRuntimeService(channel="local")
backend = service.backend("local_5q")
pm = generate_preset_pass_manager(optimization_level=1, backend=backend)
print("READY")
"""
SAMPLER = """\
qc = QuantumCircuit(3)
qc.h(0); qc.cx(0, 1); qc.cx(1, 2); qc.measure_all()
job = SamplerV2(mode=backend).run([pm.run(qc)], shots=2000)
print("JOB", job.job_id())
"""
ESTIMATOR = """\
theta = Parameter("theta")
c = QuantumCircuit(1); c.ry(theta, 0)
isa = pm.run(c)
obs = SparsePauliOp("Z").apply_layout(isa.layout)
sweep = [[0.5 * k] for k in range(8)]
ejob = EstimatorV2(mode=backend).run([(isa, obs, sweep)])
print("JOB", ejob.job_id())
"""


@dataclass(frozen=True)
class Runtime:
    """The module's lab and local service."""

    lab: Lab
    service: LocalServiceInfo
    root: Path


def _start_service(state: Path) -> tuple[LocalServiceInfo, subprocess.Popen[bytes]]:
    args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0", "--workers", "1"]
    args += ["--state-dir", str(state)]
    if DEVICE_DOCS.is_dir():
        args += ["--devices", str(DEVICE_DOCS)]
    state.mkdir(parents=True)
    log = (state / "service.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        info = find_running(state)
        if info is not None and info.pid == proc.pid:
            return info, proc
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"local service did not start:\n{(state / 'service.log').read_text()[-2000:]}")


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A local service (one worker, so later jobs queue) and a lab whose extension uses it."""
    root = tmp_path_factory.mktemp("runtime-lab")
    info, proc = _start_service(root / "service")
    config = root / "qrt_lab_config.py"
    config.write_text(
        "c.QrtLabConfig.local_autostart = False\n"
        f"c.QrtLabConfig.local_state_dir = {str(info.state_dir)!r}\n"
        f"c.QrtLabConfig.account_file = {str(root / 'accounts.json')!r}\n"
        f"c.QrtLabConfig.active_account_file = {str(root / 'active.json')!r}\n"
    )
    saved = {k: os.environ.get(k) for k in ("QRT_LAB_LOCAL_DIR", "QISKIT_IBM_TOKEN")}
    # the kernels inherit this: QiskitRuntimeService(channel="local") finds the same service
    os.environ["QRT_LAB_LOCAL_DIR"] = str(info.state_dir)
    os.environ.pop("QISKIT_IBM_TOKEN", None)
    try:
        with running_lab(root, f"--config={config}") as lab:
            yield Runtime(lab, info, root)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def open_lab(page: Page, lab: Lab, path: str = "") -> None:
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


def shoot(page: Page, lab: Lab, artifacts: Path, name: str, target: str | None = None) -> None:
    """Screenshot ``target`` (or the page) in the light and the dark theme."""
    for key, theme in THEMES.items():
        light = "true" if key == "light" else "false"
        if page.locator("body").get_attribute("data-jp-theme-light") != light:
            switch_theme(page, theme)
        expect(page.locator("body")).to_have_attribute("data-jp-theme-light", light, timeout=30_000)
        page.wait_for_timeout(500)
        shot = artifacts / f"runtime-{name}-{key}.png"
        if target:
            page.locator(target).first.screenshot(path=shot)
        else:
            page.screenshot(path=shot)
    switch_theme(page, THEMES["light"])
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "true", timeout=30_000)


def write_notebook(lab: Lab, name: str, cells: list[str]) -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": c,
                "outputs": [],
                "execution_count": None,
            }
            for c in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    with lab.api() as client:
        client.put(
            f"/api/contents/{name}", json={"type": "notebook", "content": notebook}
        ).raise_for_status()


def run_cell(page: Page, index: int, notebook: str = "sampler.ipynb") -> None:
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=notebook).click()
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")


def job_id_of(page: Page, index: int, timeout: float = 180_000) -> str:
    output = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea-output")
    expect(output).to_contain_text("JOB ", timeout=timeout)
    match = re.search(r"JOB (\S+)", output.inner_text())
    assert match, output.inner_text()
    return match.group(1)


def test_add_account_good_and_bad_key(page: Page, runtime: Runtime, artifacts: Path) -> None:
    open_lab(page, runtime.lab)
    only_section(page, "Account")
    account = page.locator("#qrt-lab-account")
    expect(account.locator('dd[data-field="account"]')).to_have_text("Local simulator")
    account.get_by_role("button", name="Add account…").click()
    form = account.locator("form.qrt-AccountForm")
    form.get_by_label("Name", exact=True).fill("bench")
    form.get_by_label("API key").fill("not-the-key")
    form.get_by_label("Instance (CRN or name)").fill(runtime.service.instance)
    form.get_by_label("Service URL (optional)").fill(runtime.service.url)
    expect(form.get_by_label("API key")).to_have_attribute("type", "password")
    form.get_by_role("button", name="Save account").click()
    expect(form.locator(".qrt-Error")).to_contain_text("IAM rejected the API key", timeout=30_000)
    shoot(page, runtime.lab, artifacts, "account-bad-key", "#qrt-lab-account")
    form.get_by_label("API key").fill(runtime.service.api_key)
    form.get_by_role("button", name="Save account").click()
    expect(form).to_be_hidden(timeout=30_000)
    account.locator("summary", has_text="Saved accounts").click()
    expect(account.locator(".qrt-Accounts li", has_text="bench")).to_be_visible()
    with runtime.lab.api() as client:
        listing = client.get("/qrt-lab/api/accounts").json()
    assert "bench" in [a["name"] for a in listing["accounts"]]
    assert runtime.service.api_key not in page.content()
    # back to the local simulator for the rest of the module
    account.get_by_label("Switch account").select_option("local")
    expect(account.locator('dd[data-field="account"]')).to_have_text(
        "Local simulator", timeout=30_000
    )
    shoot(page, runtime.lab, artifacts, "account", "#qrt-lab-account")


def test_backends_and_coupling_map(page: Page, runtime: Runtime, artifacts: Path) -> None:
    open_lab(page, runtime.lab)
    only_section(page, "Backends")
    backends = page.locator("#qrt-lab-backends")
    row = backends.locator(f'tr[data-backend="{DEVICE}"]')
    expect(row).to_be_visible(timeout=30_000)
    expect(backends.locator(".qrt-LeastBusy")).to_have_count(1)
    backends.get_by_label("Filter backends").fill("heron")
    expect(backends.locator("tbody tr")).not_to_have_count(0)
    for name in backends.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.backend)"
    ):
        assert "heron" in name or "Heron" in row.inner_text()
    backends.get_by_role("button", name=re.compile("^Qubits")).click()
    shoot(page, runtime.lab, artifacts, "backends", "#qrt-lab-backends")
    row.get_by_role("button", name=DEVICE).click()
    view = page.locator(f'.qrt-BackendView[data-backend="{DEVICE}"]')
    plot = view.locator(".qrt-CouplingMap")
    expect(plot).to_have_attribute("data-rendered", re.compile(r"^T1\|"), timeout=60_000)
    expect(view.locator('dd[data-field="calibration-age"]')).to_contain_text("ago")
    qubits = plot.locator(".scatterlayer .trace").filter(has=page.locator("path.point"))
    assert plot.locator(".scatterlayer path.point").count() >= 156
    view.locator("select.qrt-QubitMetric").select_option("readout_error")
    expect(plot).to_have_attribute("data-rendered", re.compile(r"^readout_error\|"), timeout=30_000)
    assert qubits.count() >= 1
    # hover qubit 0: plotly listens on its drag layer, so move the mouse to the point itself
    point = plot.locator(".scatterlayer .trace").last.locator("path.point").first
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = plot.locator(".hoverlayer .hovertext")
    expect(hover).to_contain_text("Q", timeout=10_000)
    expect(hover).to_contain_text("T1")
    shoot(page, runtime.lab, artifacts, "coupling-map", ".qrt-BackendView")
    view.get_by_role("button", name="Table").click()
    table = view.locator('table[aria-label="Qubit calibration"]')
    expect(table.locator("tbody tr")).to_have_count(156)
    shoot(page, runtime.lab, artifacts, "calibration-table", ".qrt-BackendView")


def test_sampler_job_from_a_kernel_shows_up_live(
    page: Page, runtime: Runtime, artifacts: Path
) -> None:
    write_notebook(runtime.lab, "sampler.ipynb", [SETUP, SAMPLER, ESTIMATOR])
    open_lab(page, runtime.lab, "sampler.ipynb")
    only_section(page, "Jobs")
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=60_000)
    run_cell(page, 0)
    expect(page.locator(".jp-Notebook .jp-Cell").nth(0)).to_contain_text("READY", timeout=180_000)
    run_cell(page, 1)
    job_id = job_id_of(page, 1)
    jobs = page.locator("#qrt-lab-jobs")
    row = jobs.locator(f'[data-job-id="{job_id}"]')
    # the monitor polls every poll_interval_idle (3 s) while the sidebar listens
    expect(row).to_be_visible(timeout=5_000)
    expect(row).to_have_attribute("data-status", "completed", timeout=120_000)
    toast = page.locator(".Toastify__toast", has_text=job_id)
    expect(toast).to_contain_text("completed", timeout=15_000)
    expect(toast.get_by_role("button", name="Copy job ID")).to_be_visible()
    page.locator(".jp-StatusBar-Widget .qrt-StatusItem").wait_for()
    toast.get_by_role("button", name="Open result").click()
    view = page.locator(f'.qrt-JobView[data-job-id="{job_id}"]')
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-rendered", "sampler", timeout=60_000)
    assert plot.locator(".barlayer .point").count() >= 2
    shoot(page, runtime.lab, artifacts, "histogram", f'.qrt-JobView[data-job-id="{job_id}"]')
    shoot(page, runtime.lab, artifacts, "jobs", "#qrt-lab-jobs")

    run_cell(page, 2)
    estimator_id = job_id_of(page, 2)
    erow = jobs.locator(f'[data-job-id="{estimator_id}"]')
    expect(erow).to_be_visible(timeout=5_000)
    expect(erow).to_have_attribute("data-status", "completed", timeout=120_000)
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="sampler.ipynb").click()
    erow.get_by_role("button", name=f"Insert job {estimator_id} in the notebook").click()
    expect(page.locator(".jp-Notebook")).to_contain_text(f'job = service.job("{estimator_id}")')
    erow.get_by_role("button", name=estimator_id, exact=True).click()
    eview = page.locator(f'.qrt-JobView[data-job-id="{estimator_id}"]')
    eplot = eview.locator(".qrt-ResultPlot")
    expect(eplot).to_have_attribute("data-rendered", "estimator", timeout=60_000)
    eview.locator("summary", has_text="Values as a table").click()
    expect(eview.locator(".qrt-FigureTable tbody tr")).to_have_count(8)
    shoot(page, runtime.lab, artifacts, "estimator", f'.qrt-JobView[data-job-id="{estimator_id}"]')


def _service(info: LocalServiceInfo) -> Any:
    """A client of the local service from this process, as any script would use."""
    from qrt_lab.runtime import QiskitRuntimeService

    return QiskitRuntimeService(
        channel="ibm_quantum_platform", token=info.api_key, instance=info.instance, url=info.url
    )


def _submit(service: Any, qubits: int, shots: int, mode: Any = None) -> str:
    """Submit an H-on-every-qubit sampler job to local_falcon27 (or into ``mode``)."""
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2

    backend = service.backend("local_falcon27")
    qc = QuantumCircuit(qubits)
    qc.h(range(qubits))
    qc.measure_all()
    isa = generate_preset_pass_manager(optimization_level=0, backend=backend).run(qc)
    return str(SamplerV2(mode=mode or backend).run([isa], shots=shots).job_id())


def _submit_blocker(service: Any) -> str:
    """Submit an entangling, non-Clifford 16-qubit job that keeps the one worker busy for minutes.

    Noisy shots of such a circuit are trajectories on every simulation method, so no method
    finishes it quickly (an H layer, by contrast, is a product state that MPS finishes at once).
    """
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2

    backend = service.backend("local_falcon27")
    qc = QuantumCircuit(16)
    for layer in range(4):
        qc.rx(0.3 + 0.1 * layer, range(16))
        for qubit in range(15):
            qc.cx(qubit, qubit + 1)
    qc.measure_all()
    isa = generate_preset_pass_manager(optimization_level=0, backend=backend).run(qc)
    return str(SamplerV2(mode=backend).run([isa], shots=20_000).job_id())


def test_cancel_a_queued_job(page: Page, runtime: Runtime, artifacts: Path) -> None:
    service = _service(runtime.service)
    blocker = _submit_blocker(service)
    queued = _submit(service, 3, 100)
    open_lab(page, runtime.lab)
    only_section(page, "Jobs")
    jobs = page.locator("#qrt-lab-jobs")
    row = jobs.locator(f'[data-job-id="{queued}"]')
    expect(row).to_have_attribute("data-status", "queued", timeout=15_000)
    expect(page.locator(".qrt-StatusItem")).to_contain_text("1 queued")
    shoot(page, runtime.lab, artifacts, "jobs-queued", "#qrt-lab-jobs")
    row.get_by_role("button", name=f"Cancel job {queued}").click()
    expect(row).to_have_attribute("data-status", "cancelled", timeout=30_000)
    expect(page.locator(".Toastify__toast", has_text=queued)).to_contain_text("cancelled")
    with runtime.lab.api() as client:
        client.post(f"/qrt-lab/api/jobs/{blocker}/cancel")


def test_close_a_session(page: Page, runtime: Runtime, artifacts: Path) -> None:
    from qrt_lab.runtime import Batch

    service = _service(runtime.service)
    batch = Batch(backend=service.backend("local_falcon27"))
    job_id = _submit(service, 3, 100, mode=batch)
    sid = str(batch.session_id)
    open_lab(page, runtime.lab)
    only_section(page, "Sessions")
    sessions = page.locator("#qrt-lab-sessions")
    row = sessions.locator(f'[data-session-id="{sid}"]')
    expect(row).to_be_visible(timeout=20_000)
    row.get_by_role("button", name=f"Batch {sid}").click()
    expect(row.locator('dd[data-field="time-left"]')).to_be_visible(timeout=20_000)
    expect(row.locator(".qrt-SessionJobs")).to_contain_text(job_id, timeout=20_000)
    shoot(page, runtime.lab, artifacts, "sessions", "#qrt-lab-sessions")
    row.get_by_role("button", name=f"Close session {sid}").click()
    expect(row.locator('dd[data-field="accepting"]')).to_have_text("no", timeout=30_000)
