"""The job view's result plots in real Chromium: parameter bindings, estimator axes, executor items.

Jobs are submitted to a real local service by this process (as a script would); the expected
counts come from the same job's result decoded in Python, never from literals.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Locator, Page, expect
from sidebar_lab import (
    LabStack,
    client_of,
    lab_with_service,
    only_section,
    open_lab,
    shoot,
)

BACKEND = "local_5q"
SWEEP = [0.0, math.pi / 2, math.pi, 3 * math.pi / 2]


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabStack]:
    """A local service and a lab whose extension uses it (and allows top_k up to 2048)."""
    with lab_with_service(
        tmp_path_factory.mktemp("results-lab"), kernels_use_it=False, figure_top_k_max=2048
    ) as running:
        yield running


@pytest.fixture(scope="module")
def service(runtime: LabStack) -> Any:
    """Our client of the module's local service."""
    return client_of(runtime.service)


def _isa(service: Any, circuit: Any) -> Any:
    from qiskit.transpiler import generate_preset_pass_manager

    backend = service.backend(BACKEND)
    return generate_preset_pass_manager(optimization_level=1, backend=backend).run(circuit)


def open_job(page: Page, runtime: LabStack, job_id: str) -> Locator:
    """Open the job's main-area view from the Jobs panel; return the view."""
    open_lab(page, runtime.lab)
    only_section(page, "Jobs")
    row = page.locator(f'#qrt-lab-jobs [data-job-id="{job_id}"]')
    expect(row).to_have_attribute("data-status", "completed", timeout=120_000)
    row.get_by_role("button", name=job_id, exact=True).click()
    view = page.locator(f'.qrt-JobView[data-job-id="{job_id}"]')
    expect(view.locator(".qrt-ResultPlot")).to_have_attribute("data-rendered", re.compile("."))
    return view


def bars(plot: Locator) -> dict[str, int]:
    """The bars plotly drew (``gd.data`` of the plot node): label → count."""
    trace = plot.evaluate("node => ({x: node.data[0].x, y: node.data[0].y})")
    return dict(zip(trace["x"], trace["y"], strict=True))


def lines(plot: Locator) -> list[dict[str, Any]]:
    return list(plot.evaluate("node => node.data.map(t => ({name: t.name, x: t.x, y: t.y}))"))


def test_sampler_parameter_binding_selector(
    page: Page, runtime: LabStack, service: Any, artifacts: Path
) -> None:
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter

    from qrt_lab.runtime import SamplerV2

    theta = Parameter("theta")
    qc = QuantumCircuit(2)
    qc.ry(theta, 0)
    qc.cx(0, 1)
    qc.measure_all()
    job = SamplerV2(mode=service.backend(BACKEND)).run(
        [(_isa(service, qc), [[v] for v in SWEEP])], shots=1000
    )
    meas = job.result()[0].data.meas
    assert meas.shape == (len(SWEEP),)
    view = open_job(page, runtime, job.job_id())
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-index", "all")
    assert bars(plot) == meas.get_counts()
    picker = view.locator("fieldset.qrt-Binding")
    expect(picker).to_contain_text("(4)")
    picker.get_by_label("Show").select_option("one")
    expect(plot).to_have_attribute("data-index", "0", timeout=30_000)
    assert bars(plot) == meas.get_counts(loc=0)
    index = picker.get_by_label("index on axis 0")
    # keyboard: focus the select and step to binding 2 (theta = pi)
    index.focus()
    page.keyboard.press("ArrowDown")
    expect(plot).to_have_attribute("data-index", "1", timeout=30_000)
    index.select_option("2")
    expect(plot).to_have_attribute("data-index", "2", timeout=30_000)
    expected = meas.get_counts(loc=2)
    assert bars(plot) == expected
    assert bars(plot) != meas.get_counts(loc=0)
    # hover percentages, sort by bitstring and ket labels
    total = sum(expected.values())
    custom = plot.evaluate("node => node.data[0].customdata")
    assert custom == [round(100 * v / total, 2) for v in bars(plot).values()]
    view.locator("select.qrt-SortSelect").select_option("key")
    expect(plot).to_have_attribute("data-index", "2")
    page.wait_for_function(
        "node => node.data[0].x.join() === [...node.data[0].x].sort().join()",
        arg=plot.element_handle(),
        timeout=30_000,
    )
    assert bars(plot) == expected
    view.locator("input.qrt-KetLabels").check()
    page.wait_for_function(
        "node => node.data[0].x.every(l => l.startsWith('|'))",
        arg=plot.element_handle(),
        timeout=30_000,
    )
    # hover the tallest bar (a bar of a few counts is too thin to hit reliably)
    heights = list(bars(plot).values())
    tallest = plot.locator(".barlayer .point").nth(heights.index(max(heights)))
    box = tallest.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = plot.locator(".hoverlayer .hovertext")
    expect(hover).to_contain_text("%)", timeout=10_000)
    expect(hover).to_contain_text("⟩")
    page.mouse.move(0, 0)
    shoot(
        page, artifacts / "results-sampler-binding", f'.qrt-JobView[data-job-id="{job.job_id()}"]'
    )


def test_estimator_2d_broadcast_switches_the_x_axis(
    page: Page, runtime: LabStack, service: Any, artifacts: Path
) -> None:
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp

    from qrt_lab.runtime import EstimatorV2

    theta = Parameter("theta")
    qc = QuantumCircuit(1)
    qc.ry(theta, 0)
    isa = _isa(service, qc)
    observables = [[SparsePauliOp(p).apply_layout(isa.layout)] for p in ("Z", "X")]
    values = [[v] for v in SWEEP[:3]]
    job = EstimatorV2(mode=service.backend(BACKEND)).run([(isa, observables, values)])
    evs = np.asarray(job.result()[0].data.evs)
    assert evs.shape == (2, 3)
    view = open_job(page, runtime, job.job_id())
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-x", "1", timeout=30_000)
    drawn = lines(plot)
    assert [len(t["y"]) for t in drawn] == [3, 3]
    np.testing.assert_allclose([t["y"] for t in drawn], evs)
    picker = view.locator("fieldset.qrt-AxisPicker")
    expect(picker).to_contain_text("(2, 3)")
    # each axis is named by what changes along it
    expect(picker.locator("select.qrt-XAxis option")).to_have_text(
        ["observables (axis 0), 2 values", "theta (axis 1), 3 values"]
    )
    picker.get_by_label("x axis").select_option("0")
    expect(plot).to_have_attribute("data-x", "0", timeout=30_000)
    drawn = lines(plot)
    assert [len(t["y"]) for t in drawn] == [2, 2, 2]
    np.testing.assert_allclose([t["y"] for t in drawn], evs.T)
    assert drawn[1]["name"] == "theta = 1.57"  # the binding each line holds, by name
    # fix axis 1 at index 2: one line, the column of the last binding
    picker.locator('select.qrt-FixedIndex[data-axis="1"]').select_option("2")
    page.wait_for_function("node => node.data.length === 1", arg=plot.element_handle())
    np.testing.assert_allclose(lines(plot)[0]["y"], evs[:, 2])
    shoot(page, artifacts / "results-estimator-axes", f'.qrt-JobView[data-job-id="{job.job_id()}"]')


def _executor_body(service: Any) -> str:
    """An ``executor`` job encoded by the official client's v2.0 params converter."""
    import json

    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit_ibm_runtime import QuantumProgram
    from qiskit_ibm_runtime.options_models import ExecutorOptions
    from qiskit_ibm_runtime.quantum_program.params_converters import (
        QUANTUM_PROGRAM_PARAMS_CONVERTERS,
    )

    theta = Parameter("theta")
    qc = QuantumCircuit(2)
    qc.rx(theta, 0)
    qc.cx(0, 1)
    qc.measure_all()
    program = QuantumProgram(shots=500)
    program.append_circuit_item(
        _isa(service, qc), circuit_arguments=np.array([[0.0], [math.pi], [math.pi / 2]])
    )
    params = QUANTUM_PROGRAM_PARAMS_CONVERTERS["v2.0"].encoder(program, ExecutorOptions())
    body = {"program_id": "executor", "backend": BACKEND, "params": params.model_dump(mode="json")}
    return json.dumps(body)


def test_executor_item_histogram(
    page: Page, runtime: LabStack, service: Any, artifacts: Path
) -> None:
    from qrt_lab.runtime import codec
    from qrt_lab.runtime.accounts import Account
    from qrt_lab.runtime.api.connection import RuntimeConnection
    from qrt_lab.runtime.api.rest import RuntimeRest
    from qrt_lab.runtime.summaries.executor_results import decode_bool_tensor

    info = runtime.service
    account = Account(token=info.api_key, url=info.url, instance=info.instance)
    with RuntimeRest(RuntimeConnection.from_account(account)) as rest:
        job_id = str(rest.create_job(_executor_body(service))["id"])
        open_lab(page, runtime.lab)
        only_section(page, "Jobs")
        row = page.locator(f'#qrt-lab-jobs [data-job-id="{job_id}"]')
        expect(row).to_have_attribute("data-status", "completed", timeout=120_000)
        document = codec.decode_result(rest.job_results(job_id))
    bools = decode_bool_tensor(document["data"][0]["results"]["meas"])
    assert bools.shape == (3, 500, 2)

    def counts(rows: Any) -> dict[str, int]:
        labels = ["".join("1" if b else "0" for b in reversed(r)) for r in rows.tolist()]
        return {k: labels.count(k) for k in set(labels)}

    view = open_job(page, runtime, job_id)
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-rendered", "sampler")
    assert bars(plot) == counts(bools.reshape(-1, 2))
    picker = view.locator("fieldset.qrt-Binding")
    picker.get_by_label("Show").select_option("one")
    picker.get_by_label("index on axis 0").select_option("1")
    expect(plot).to_have_attribute("data-index", "1", timeout=30_000)
    assert bars(plot) == counts(bools[1])
    shoot(page, artifacts / "results-executor-item", f'.qrt-JobView[data-job-id="{job_id}"]')


def test_top_k_past_the_summary_draws_every_outcome(
    page: Page, runtime: LabStack, service: Any, artifacts: Path
) -> None:
    from qiskit import QuantumCircuit

    from qrt_lab.runtime import SamplerV2

    qc = QuantumCircuit(10)
    qc.h(range(10))
    qc.measure_all()
    # h and measure are native on the all-to-all ideal simulator: the circuit is already ISA
    job = SamplerV2(mode=service.backend("local_ideal")).run([qc], shots=3000)
    counts = job.result()[0].data.meas.get_counts()
    assert len(counts) > 16
    view = open_job(page, runtime, job.job_id())
    plot = view.locator(".qrt-ResultPlot")
    expect(plot).to_have_attribute("data-rendered", "sampler")
    first = bars(plot)
    assert len(first) == 17 and first["other"] == 3000 - sum(
        v for k, v in first.items() if k != "other"
    )
    view.locator("input.qrt-TopK").fill("1024")
    page.wait_for_function(
        "node => node.data[0].x.length > 17", arg=plot.element_handle(), timeout=30_000
    )
    assert bars(plot) == counts
    shoot(page, artifacts / "results-top-k-1024", f'.qrt-JobView[data-job-id="{job.job_id()}"]')
