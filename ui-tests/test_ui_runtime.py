"""The Qiskit LabStack sidebar against a real local service, a real kernel and real Chromium.

One local service and one ``jupyter lab`` serve the whole module; the tests run in file order
(the account test leaves the local simulator active for the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labserver import Lab
from playwright.sync_api import Page, expect
from sidebar_lab import (
    DEVICE_DOCS,
    LabStack,
    client_of,
    lab_with_service,
    only_section,
    open_lab,
    shoot,
)

DEVICE = "local_heron156"

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


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabStack]:
    """A local service (one worker, so later jobs queue) and a lab whose extension uses it."""
    with lab_with_service(tmp_path_factory.mktemp("runtime-lab")) as running:
        yield running


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


def test_add_account_good_and_bad_key(page: Page, runtime: LabStack, artifacts: Path) -> None:
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
    shoot(page, artifacts / "runtime-account-bad-key", "#qrt-lab-account")
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
    shoot(page, artifacts / "runtime-account", "#qrt-lab-account")


def test_backends_and_coupling_map(page: Page, runtime: LabStack, artifacts: Path) -> None:
    open_lab(page, runtime.lab)
    only_section(page, "Backends")
    backends = page.locator("#qrt-lab-backends")
    row = backends.locator(f'tr[data-backend="{DEVICE}"]')
    expect(row).to_be_visible(timeout=30_000)
    expect(backends.locator(".qrt-LeastBusy")).to_have_count(1)
    backends.get_by_label("Filter backends").fill("heron")
    expect(backends.locator("tbody tr")).not_to_have_count(0)
    with runtime.lab.api() as client:
        listing = client.get("/qrt-lab/api/backends").json()["backends"]
    processors = {b["name"]: str(b.get("processor_type") or "") for b in listing}
    for name in backends.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.backend)"
    ):
        # the filter matches the name or the processor (a column the width may not show)
        assert "heron" in name or "heron" in processors[name].lower(), name
    backends.get_by_role("button", name=re.compile("^Qubits")).click()
    # a header cut to fit ("2Q err.") says its full words where the user points, as the magic does
    two_q = backends.locator('th[data-column="two_q_error_median"] button')
    expect(two_q).to_have_text("2Q err.")
    expect(two_q).to_have_attribute("title", "Sort by Median 2Q error")
    expect(row.locator('td[data-column="two_q_error_median"]')).to_have_attribute(
        "title", re.compile("^Median 2Q error: ")
    )
    shoot(page, artifacts / "runtime-backends", "#qrt-lab-backends")
    row.get_by_role("button", name=DEVICE).click()
    view = page.locator(f'.qrt-BackendView[data-backend="{DEVICE}"]')
    plot = view.locator(".qrt-CouplingMap")
    expect(plot).to_have_attribute("data-rendered", re.compile(r"^T1\|"), timeout=60_000)
    expect(view.locator('dd[data-field="calibration-age"]')).to_contain_text("ago")
    # calibrated hours ago: no stale mark (a real device's document is, below)
    expect(view.locator('[data-field="calibration-stale"]')).to_have_count(0)
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
    # the colour keys follow the metrics: the qubit bar's title, the edge buckets' title
    expect(view.locator(".qrt-ColourBar .qrt-ColourBar-title")).to_contain_text("Readout")
    edge_key = view.locator(".qrt-EdgeKey")
    expect(edge_key.locator("li").nth(1)).to_contain_text(re.compile("[≤≥]"))
    edge_select = view.locator("select.qrt-EdgeMetric")
    other = edge_select.locator("option").evaluate_all(
        "options => options.map(o => [o.value, o.textContent])"
    )[-1]
    edge_select.select_option(other[0])
    expect(edge_key.locator("figcaption")).to_have_text(other[1])
    shoot(page, artifacts / "runtime-coupling-map", ".qrt-BackendView")
    view.get_by_role("button", name="Table").click()
    table = view.locator('table[aria-label="Qubit calibration"]')
    expect(table.locator("tbody tr")).to_have_count(156)
    shoot(page, artifacts / "runtime-calibration-table", ".qrt-BackendView")
    if DEVICE_DOCS.is_dir():
        # ibm_fez's document was calibrated in 2025: over a week old, marked, and says why
        backends.get_by_label("Filter backends").fill("ibm_fez")
        backends.locator('tr[data-backend="ibm_fez"]').get_by_role("button", name="ibm_fez").click()
        fez = page.locator('.qrt-BackendView[data-backend="ibm_fez"]')
        stale = fez.locator('[data-field="calibration-stale"]')
        expect(stale).to_have_text(re.compile("stale"), timeout=30_000)
        expect(stale).to_have_attribute("title", re.compile("more than 7 days old.*may be off"))


def test_sampler_job_from_a_kernel_shows_up_live(
    page: Page, runtime: LabStack, artifacts: Path
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
    shoot(page, artifacts / "runtime-histogram", f'.qrt-JobView[data-job-id="{job_id}"]')
    shoot(page, artifacts / "runtime-jobs", "#qrt-lab-jobs")

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
    shoot(page, artifacts / "runtime-estimator", f'.qrt-JobView[data-job-id="{estimator_id}"]')


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


def test_cancel_a_queued_job(page: Page, runtime: LabStack, artifacts: Path) -> None:
    service = client_of(runtime.service)
    blocker = _submit_blocker(service)
    queued = _submit(service, 3, 100)
    open_lab(page, runtime.lab)
    only_section(page, "Jobs")
    jobs = page.locator("#qrt-lab-jobs")
    row = jobs.locator(f'[data-job-id="{queued}"]')
    expect(row).to_have_attribute("data-status", "queued", timeout=15_000)
    expect(page.locator(".qrt-StatusItem")).to_contain_text("1 queued")
    shoot(page, artifacts / "runtime-jobs-queued", "#qrt-lab-jobs")
    cancel = row.get_by_role("button", name=f"Cancel job {queued}")
    assert cancel.get_attribute("title"), "the cancel button has a tooltip"
    cancel.click()
    # it asks first: keeping the job leaves it queued
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(f"Cancel job {queued}?")
    dialog.get_by_role("button", name="Keep it running").click()
    expect(dialog).to_be_hidden()
    expect(row).to_have_attribute("data-status", "queued")
    cancel.click()
    page.locator(".jp-Dialog").get_by_role("button", name="Cancel job").click()
    expect(row).to_have_attribute("data-status", "cancelled", timeout=30_000)
    expect(page.locator(".Toastify__toast", has_text=queued)).to_contain_text("cancelled")
    with runtime.lab.api() as client:
        client.post(f"/qrt-lab/api/jobs/{blocker}/cancel")


def test_close_a_session(page: Page, runtime: LabStack, artifacts: Path) -> None:
    from qrt_lab.runtime import Batch

    service = client_of(runtime.service)
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
    # "open" was unclear for jobs: the words SessionMonitor uses
    expect(row.locator('dd[data-field="jobs"]')).to_have_text(
        re.compile(r"^\d+ \(\d+ queued or running\)$"), timeout=20_000
    )
    shoot(page, artifacts / "runtime-sessions", "#qrt-lab-sessions")
    row.get_by_role("button", name=f"Close session {sid}").click()
    expect(row.locator('dd[data-field="accepting"]')).to_have_text("no", timeout=30_000)
