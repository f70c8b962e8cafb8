"""The job actions users reach for, in real JupyterLab, a real kernel and real Chromium.

Delete a job (asks first; the platform's ``DELETE /jobs/{id}``), find a job by ID, filter by
primitive and session, the job view's queue and run time, "insert in notebook" from the view
(code that runs on its own, in the empty active cell), the reason of a cancelled job shown once,
and "Open result" only for jobs that have one. Every test submits the jobs it needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sidebar_lab import (
    LabStack,
    client_of,
    lab_with_service,
    only_section,
    open_lab,
    shoot,
)

JOBS = "#qrt-lab-jobs"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabStack]:
    """A local service (one worker) and a lab whose extension and kernels use it."""
    with lab_with_service(tmp_path_factory.mktemp("jobs-lab")) as running:
        yield running


def service(stack: LabStack) -> Any:
    return client_of(stack.service)


def _isa(backend: Any, qubits: int = 2, heavy: bool = False) -> Any:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    qc = QuantumCircuit(16 if heavy else qubits)
    if heavy:  # entangling and non-Clifford: minutes of noisy trajectories for the one worker
        for layer in range(4):
            qc.rx(0.3 + 0.1 * layer, range(16))
            for q in range(15):
                qc.cx(q, q + 1)
    else:
        qc.h(range(qubits))
    qc.measure_all()
    return generate_preset_pass_manager(optimization_level=0, backend=backend).run(qc)


def sample(stack: LabStack, mode: Any = None, heavy: bool = False) -> str:
    from qrt_lab.runtime import SamplerV2

    backend = service(stack).backend("local_falcon27")
    shots = 20_000 if heavy else 100
    job = SamplerV2(mode=mode or backend).run([_isa(backend, heavy=heavy)], shots=shots)
    return str(job.job_id())


def estimate(stack: LabStack) -> str:
    from qiskit.quantum_info import SparsePauliOp

    from qrt_lab.runtime import EstimatorV2

    backend = service(stack).backend("local_falcon27")
    isa = _isa(backend).remove_final_measurements(inplace=False)
    obs = SparsePauliOp("ZZ").apply_layout(isa.layout)
    return str(EstimatorV2(mode=backend).run([(isa, obs)]).job_id())


def row(page: Page, job_id: str) -> Any:
    return page.locator(f'{JOBS} [data-job-id="{job_id}"]')


def wait_final(page: Page, job_id: str, status: str = "completed") -> None:
    expect(row(page, job_id)).to_have_attribute("data-status", status, timeout=120_000)


def test_delete_a_job_asks_first_and_removes_it_everywhere(
    page: Page, stack: LabStack, artifacts: Path
) -> None:
    keep, gone = sample(stack), sample(stack)
    open_lab(page, stack.lab)
    only_section(page, "Jobs")
    wait_final(page, keep)
    wait_final(page, gone)
    delete = row(page, gone).get_by_role("button", name=f"Delete job {gone}")
    assert delete.get_attribute("title")
    delete.click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(f"Delete job {gone}?")
    # a modal dialog blocks the theme menu: this one is shot in the light theme only
    page.locator(".jp-Dialog-content").screenshot(path=artifacts / "jobs-delete-dialog-light.png")
    dialog.get_by_role("button", name="Keep").click()
    expect(dialog).to_be_hidden()
    expect(row(page, gone)).to_be_visible()
    assert service(stack).job(gone).job_id() == gone, "kept: still on the service"
    delete.click()
    page.locator(".jp-Dialog").get_by_role("button", name="Delete").click()
    expect(row(page, gone)).to_have_count(0, timeout=15_000)
    expect(row(page, keep)).to_be_visible()
    from qrt_lab.runtime.exceptions import RuntimeJobNotFound

    with pytest.raises(RuntimeJobNotFound):
        service(stack).job(gone)
    # the server extension's route: unknown id → 404 with a clear body; hostile → 4xx
    with stack.lab.api() as api:
        reply = api.delete(f"/qrt-lab/api/jobs/{gone}")
        assert reply.status_code == 404, reply.text
        assert api.delete("/qrt-lab/api/jobs/..%2F..%2Fetc").status_code in (400, 404)
    assert service(stack).job(keep).status() == "DONE", "only the chosen job goes"


def test_find_by_id_and_filter_by_primitive_and_session(
    page: Page, stack: LabStack, artifacts: Path
) -> None:
    from qrt_lab.runtime import Batch

    sampled, estimated = sample(stack), estimate(stack)
    batch = Batch(backend=service(stack).backend("local_falcon27"))
    batched = sample(stack, mode=batch)
    session_id = str(batch.session_id)
    open_lab(page, stack.lab)
    only_section(page, "Jobs")
    jobs = page.locator(JOBS)
    for job_id in (sampled, estimated, batched):
        wait_final(page, job_id)
    ids = lambda: set(  # noqa: E731 - a one-line reader
        jobs.locator(".qrt-JobRow").evaluate_all("rows => rows.map(r => r.dataset.jobId)")
    )
    jobs.get_by_label("Filter by primitive").select_option("estimator")
    expect(row(page, estimated)).to_be_visible()
    expect(row(page, sampled)).to_have_count(0)
    assert all(
        t == "estimator"
        for t in jobs.locator('[data-field="program"]').evaluate_all(
            "spans => spans.map(s => s.textContent)"
        )
    )
    jobs.get_by_label("Filter by primitive").select_option("")
    jobs.get_by_label("Filter by session").select_option(session_id)
    expect(row(page, batched)).to_be_visible()
    assert ids() == {batched}
    shoot(page, artifacts / "jobs-filter-session", JOBS)
    jobs.get_by_label("Filter by session").select_option("")
    find = jobs.get_by_label("Find a job by ID")
    find.fill(sampled[-8:].upper())  # part of the id, any case
    expect(row(page, sampled)).to_be_visible()
    assert ids() == {sampled}
    find.fill("no-such-job")
    expect(jobs.locator(".qrt-JobRow")).to_have_count(0)
    find.fill("")
    expect(row(page, estimated)).to_be_visible()
    # one expectation value without parameters: its index axis reads 0 (not -1, 0, 1; not 0.000)
    row(page, estimated).get_by_role("button", name=estimated, exact=True).click()
    view = page.locator(f'.qrt-JobView[data-job-id="{estimated}"]')
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-rendered", "estimator", timeout=60_000)
    expect(plot.locator(".xtick text")).to_have_text(["0"])
    view.locator("summary", has_text="Values as a table").click()
    expect(view.locator(".qrt-FigureTable tbody td").first).to_have_text("0")
    # the jobs of a batch that complete while the page is open: one toast, counting them
    looped = Batch(backend=service(stack).backend("local_falcon27"))
    for job_id in [sample(stack, mode=looped) for _ in range(3)]:
        wait_final(page, job_id)
    toasts = page.locator(".Toastify__toast", has_text=str(looped.session_id))
    expect(toasts).to_have_count(1)
    # "batch" once the page has listed the new batch, "session" (the platform's word) before
    expect(toasts).to_contain_text(
        re.compile(f"3 jobs of (batch|session) {looped.session_id} completed")
    )


def test_job_view_times_and_insert_in_notebook_runs_on_its_own(
    page: Page, stack: LabStack, artifacts: Path
) -> None:
    job_id = sample(stack)
    with stack.lab.api() as api:  # an empty notebook with one empty cell
        api.put(
            "/api/contents/fresh.ipynb",
            json={
                "type": "notebook",
                "content": {
                    "cells": [
                        {
                            "cell_type": "code",
                            "metadata": {},
                            "source": "",
                            "outputs": [],
                            "execution_count": None,
                        }
                    ],
                    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                    "nbformat": 4,
                    "nbformat_minor": 5,
                },
            },
        ).raise_for_status()
    open_lab(page, stack.lab, "fresh.ipynb")
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=60_000)
    page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputArea-editor").click()
    only_section(page, "Jobs")
    wait_final(page, job_id)
    row(page, job_id).get_by_role("button", name=job_id, exact=True).click()
    view = page.locator(f'.qrt-JobView[data-job-id="{job_id}"]')
    expect(view).to_be_visible(timeout=30_000)
    # durations in the vocabulary's format: "1.0 ms", "240 ms", "2.4 s", "3 min 5 s"
    duration = re.compile(r"^\d+(\.\d+)? (ms|s|min|h)( \d+ (min|s))*$")
    expect(view.locator('dd[data-field="queue-time"]')).to_have_text(duration)
    expect(view.locator('dd[data-field="run-time"]')).to_have_text(duration)
    view.get_by_role("button", name="Insert in notebook").click()
    cells = page.locator(".jp-Notebook .jp-Cell")
    expect(cells).to_have_count(1)  # the empty active cell took the code
    expect(cells.first).to_contain_text("from qrt_lab.runtime import QiskitRuntimeService")
    expect(cells.first).to_contain_text(f'job = service.job("{job_id}")')
    # a fresh kernel runs it as it is
    cells.first.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("print('STATUS', job.status())")
    page.keyboard.press("Shift+Enter")
    expect(cells.first.locator(".jp-OutputArea-output")).to_contain_text(
        "STATUS DONE", timeout=120_000
    )
    # running the last cell added an empty one below, now active: it takes the code
    tab = page.locator(f'.lm-DockPanel-tabBar .lm-TabBar-tab:has-text("{job_id[:10]}")')
    tab.click()
    view.get_by_role("button", name="Insert in notebook").click()
    expect(cells).to_have_count(2)
    expect(cells.nth(1)).to_contain_text(f'job = service.job("{job_id}")')
    # a cell with code keeps it: the insert goes into a new cell below
    cells.first.locator(".jp-InputArea-editor").click()
    tab.click()
    view.get_by_role("button", name="Insert in notebook").click()
    expect(cells).to_have_count(3)
    expect(cells.first).to_contain_text("print('STATUS'")
    expect(cells.nth(1)).to_contain_text(f'job = service.job("{job_id}")')
    shoot(page, artifacts / "jobs-inserted", ".jp-Notebook")


def test_cancelled_job_reads_once_and_offers_no_result(
    page: Page, stack: LabStack, artifacts: Path
) -> None:
    blocker = sample(stack, heavy=True)
    queued = sample(stack)
    open_lab(page, stack.lab)
    only_section(page, "Jobs")
    expect(row(page, queued)).to_have_attribute("data-status", "queued", timeout=30_000)
    row(page, queued).get_by_role("button", name=f"Cancel job {queued}").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Cancel job").click()
    wait_final(page, queued, "cancelled")
    toast = page.locator(".Toastify__toast", has_text=queued)
    expect(toast).to_contain_text("cancelled", timeout=30_000)
    expect(toast.get_by_role("button", name="Open result")).to_have_count(0)
    toast.get_by_role("button", name="Open job").click()
    view = page.locator(f'.qrt-JobView[data-job-id="{queued}"]')
    expect(view).to_be_visible(timeout=30_000)
    expect(view.locator(".qrt-ResultPlot")).to_have_count(0)
    page.wait_for_timeout(1500)  # the result request has answered
    text = view.inner_text()
    assert text.count("Cancelled by the user") <= 1, text
    shoot(page, artifacts / "jobs-cancelled-view", f'.qrt-JobView[data-job-id="{queued}"]')
    with stack.lab.api() as api:
        api.post(f"/qrt-lab/api/jobs/{blocker}/cancel")


def estimate_two_observables(stack: LabStack) -> str:
    """An estimator sweep with two observables: two lines, so the plot has a legend."""
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import EstimatorV2

    backend = service(stack).backend("local_falcon27")
    theta = Parameter("theta")
    qc = QuantumCircuit(2)
    qc.ry(theta, 0)
    qc.cx(0, 1)
    isa = generate_preset_pass_manager(optimization_level=0, backend=backend).run(qc)
    observables = [[SparsePauliOp(p).apply_layout(isa.layout)] for p in ("ZZ", "XX")]
    sweep = [[0.4 * k] for k in range(6)]
    return str(EstimatorV2(mode=backend).run([(isa, observables, sweep)]).job_id())


@pytest.mark.parametrize("width", [1280, 760])
def test_estimator_legend_stays_visible_when_the_main_area_narrows(
    page: Page, stack: LabStack, artifacts: Path, width: int
) -> None:
    job_id = estimate_two_observables(stack)
    page.set_viewport_size({"width": width, "height": 800})
    open_lab(page, stack.lab)
    only_section(page, "Jobs")
    wait_final(page, job_id)
    row(page, job_id).get_by_role("button", name=job_id, exact=True).click()
    view = page.locator(f'.qrt-JobView[data-job-id="{job_id}"]')
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-rendered", "estimator", timeout=60_000)
    legend = plot.locator(".legend")
    expect(legend.locator(".traces")).to_have_count(2)
    box, frame = legend.bounding_box(), view.bounding_box()
    assert box and frame
    main = page.locator("#jp-main-dock-panel").bounding_box()
    assert main is not None
    for inner in legend.locator(".traces").all():
        item = inner.bounding_box()
        assert item is not None
        # every legend entry lies inside the view and the main area: nothing is cut off
        assert frame["x"] <= item["x"] and item["x"] + item["width"] <= frame["x"] + frame["width"]
        assert item["x"] + item["width"] <= main["x"] + main["width"]
    plot.scroll_into_view_if_needed()
    plot.screenshot(path=artifacts / f"jobs-estimator-legend-{width}.png")
