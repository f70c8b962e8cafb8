"""Readable at a glance (issue 18 §1 to §3) in real Chromium: an estimator θ sweep labelled as the
user wrote it, the dashboard's status words, and a new session that shows up live.

The jobs and sessions are made here by this process (as a notebook would), on a local service of
this module's own; every expected label comes from the job's inputs, never from the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
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

BACKEND = "local_5q"
THETAS = np.linspace(0, 2 * math.pi, 9)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabStack]:
    """A local service and a lab whose extension uses it with default monitor settings."""
    with lab_with_service(
        tmp_path_factory.mktemp("vocabulary-lab"), kernels_use_it=False
    ) as running:
        yield running


@pytest.fixture(scope="module")
def service(runtime: LabStack) -> Any:
    return client_of(runtime.service)


def theta_sweep(service: Any) -> Any:
    """``ry(θ) cx`` with ``ZZ`` and ``XX`` applied to the ISA layout, θ from 0 to 2π."""
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import EstimatorV2

    backend = service.backend(BACKEND)
    qc = QuantumCircuit(2)
    qc.ry(Parameter("θ"), 0)
    qc.cx(0, 1)
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)
    observables = [[SparsePauliOp(p).apply_layout(isa.layout)] for p in ("ZZ", "XX")]
    assert len(observables[0][0].paulis[0]) == 5  # layout-applied: 5 physical qubits wide
    job = EstimatorV2(mode=backend).run([(isa, observables, THETAS[:, None])], precision=0.05)
    job.result()
    return job


def test_estimator_sweep_reads_as_written(
    page: Page, runtime: LabStack, service: Any, artifacts: Path
) -> None:
    job = theta_sweep(service)
    open_lab(page, runtime.lab)
    only_section(page, "Jobs")
    row = page.locator(f'#qrt-lab-jobs [data-job-id="{job.job_id()}"]')
    expect(row).to_have_attribute("data-status", "completed", timeout=120_000)
    expect(row).to_contain_text("Completed")
    expect(row.locator('[data-field="created"]')).to_have_text(re.compile(r"just now|\d+ s ago"))
    row.get_by_role("button", name=job.job_id(), exact=True).click()
    view = page.locator(f'.qrt-JobView[data-job-id="{job.job_id()}"]')
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-rendered", re.compile("."), timeout=60_000)
    drawn = plot.evaluate(
        "node => ({names: node.data.map(t => t.name), x: node.data[0].x,"
        " title: node.layout.xaxis.title.text, legend: [...node.querySelectorAll('.legendtext')]"
        ".map(e => e.textContent)})"
    )
    assert drawn["title"] == "θ"
    assert drawn["names"] == ["ZZ", "XX"] and drawn["legend"] == ["ZZ", "XX"]
    np.testing.assert_allclose(drawn["x"], THETAS)
    expect(plot.locator(".g-xtitle")).to_have_text("θ")
    # the table of values: the axis by name, each value with its std in one rounding
    view.locator("summary", has_text="Values as a table").click()
    table = view.locator(".qrt-FigureTable table").first
    expect(table.locator("th").first).to_have_text("θ")
    expect(table.locator("tbody tr").first.locator("td").nth(1)).to_contain_text(" ± ")
    # usage is explained where it is shown; timestamps are local times with an age
    expect(view.locator('dd[data-field="usage"]')).to_have_attribute(
        "title", re.compile("quantum time.*emulated")
    )
    expect(view.locator(".qrt-Timestamps")).not_to_contain_text("T")
    expect(view.locator(".qrt-Timestamps")).to_contain_text("Created")
    shoot(
        page,
        artifacts / "vocabulary-estimator-sweep",
        f'.qrt-JobView[data-job-id="{job.job_id()}"]',
    )


def test_a_new_session_shows_live_with_its_usage(
    page: Page, runtime: LabStack, service: Any, artifacts: Path
) -> None:
    from qrt_lab.runtime import Batch, Session

    open_lab(page, runtime.lab)
    only_section(page, "Sessions")
    sessions = page.locator("#qrt-lab-sessions")
    expect(sessions).to_be_visible()
    backend = service.backend(BACKEND)
    session = Session(backend, max_time=600)
    batch = Batch(backend, max_time=600)
    for opened, kind in ((session, "Session"), (batch, "Batch")):
        row = sessions.locator(f'[data-session-id="{opened.session_id}"]')
        # default settings, no refresh button: pushed by the monitor
        expect(row).to_be_visible(timeout=5_000)
        expect(row).to_contain_text(f"{kind} {opened.session_id}")
        expect(row.locator('dd[data-field="state"]')).to_have_text("Open")
        expect(row.locator('dd[data-field="usage"]')).to_have_text("0 s")
    shoot(page, artifacts / "vocabulary-sessions-live", "#qrt-lab-sessions")
    session.close()
    closed = sessions.locator(f'[data-session-id="{session.session_id}"]')
    expect(closed.locator('dd[data-field="accepting"]')).to_have_text("no", timeout=10_000)
    batch.cancel()
    cancelled = sessions.locator(f'[data-session-id="{batch.session_id}"]')
    expect(cancelled.locator('dd[data-field="state"]')).to_have_text("Closed", timeout=10_000)


def test_two_parameters_choose_which_runs_along_x(
    page: Page, runtime: LabStack, service: Any
) -> None:
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import EstimatorV2

    backend = service.backend(BACKEND)
    qc = QuantumCircuit(1)
    qc.ry(Parameter("θ"), 0)
    qc.rz(Parameter("φ"), 0)
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)
    grid = np.stack([np.linspace(0, 1, 4), np.linspace(2, 3, 4)], axis=-1)  # both vary
    observable = SparsePauliOp("Z").apply_layout(isa.layout)
    job = EstimatorV2(mode=backend).run([(isa, observable, grid)], precision=0.1)
    job.result()
    open_lab(page, runtime.lab)
    only_section(page, "Jobs")
    row = page.locator(f'#qrt-lab-jobs [data-job-id="{job.job_id()}"]')
    expect(row).to_have_attribute("data-status", "completed", timeout=120_000)
    row.get_by_role("button", name=job.job_id(), exact=True).click()
    view = page.locator(f'.qrt-JobView[data-job-id="{job.job_id()}"]')
    plot = view.locator(".qrt-ResultPlot")
    expect(plot.locator(".g-xtitle")).to_have_text("θ", timeout=60_000)
    view.locator("select.qrt-XParam").select_option("φ")
    expect(plot.locator(".g-xtitle")).to_have_text("φ", timeout=30_000)
    xs = plot.evaluate("node => node.data[0].x")
    np.testing.assert_allclose(xs, grid[:, 1])
