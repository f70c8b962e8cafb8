"""Outputs that survive the kernel: plotly JSON and an HTML table beside every live widget."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell
from nbclient import NotebookClient
from qiskit import QuantumCircuit
from qiskit.primitives import StatevectorEstimator, StatevectorSampler
from qiskit.quantum_info import SparsePauliOp

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.widgets import CouplingMapView, ExpectationPlot, JobMonitor, ResultHistogram, reprs
from qrt_lab.widgets.static import PLOTLY_MIME, STATIC_CLASS

WIDGET = "application/vnd.jupyter.widget-view+json"


def bell_result() -> Any:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    return StatevectorSampler(seed=7).run([qc], shots=400).result()


def sweep_result() -> Any:
    qc = QuantumCircuit(1)
    qc.h(0)
    observables = [SparsePauliOp("X"), SparsePauliOp("Z"), SparsePauliOp("Y")]
    return StatevectorEstimator().run([(qc, observables)]).result()


def strict_json(value: Any) -> Any:
    return json.loads(json.dumps(value, allow_nan=False))


def test_histogram_bundle_has_the_figure_and_its_counts() -> None:
    result = bell_result()
    counts = result[0].data.meas.get_counts()
    bundle = ResultHistogram(result)._repr_mimebundle_()
    assert WIDGET in bundle
    figure = strict_json(bundle[PLOTLY_MIME])
    assert dict(zip(figure["data"][0]["x"], figure["data"][0]["y"], strict=True)) == counts
    page = bundle["text/html"]
    assert f"class='{STATIC_CLASS}' data-qrt-figure='histogram'" in page
    for key, n in counts.items():
        assert f"<td>{key}</td><td>{n}</td>" in page
    assert bundle["text/plain"] == "ResultHistogram: counts: 400 shots, 2 outcomes"


def test_expectation_bundle_has_values_with_errors() -> None:
    result = sweep_result()
    bundle = ExpectationPlot(result, observables=["X", "Z", "Y"])._repr_mimebundle_()
    figure = strict_json(bundle[PLOTLY_MIME])
    assert figure["data"][0]["y"] == pytest.approx(list(result[0].data.evs))
    page = bundle["text/html"]
    assert "data-qrt-figure='expectation'" in page
    assert re.search(r"<td>X</td><td>1 ± [0-9.e-]+</td>", page)


def test_include_and_exclude_are_honoured() -> None:
    widget = ResultHistogram(bell_result())
    assert PLOTLY_MIME not in widget._repr_mimebundle_(exclude=[PLOTLY_MIME])
    assert set(widget._repr_mimebundle_(include=["text/html"])) <= {
        "text/html",
        "text/plain",
        WIDGET,
    }


def test_results_draw_outside_a_kernel() -> None:
    """A terminal IPython (no kernel) still gets plotly JSON and the HTML table of a result."""
    shell = InteractiveShell.instance()
    reprs.register_ipython(shell)
    sampled, estimated = bell_result(), sweep_result()
    data, _ = shell.display_formatter.format(sampled)
    assert WIDGET not in data and PLOTLY_MIME in data
    assert "data-qrt-figure='histogram'" in data["text/html"]
    assert data["text/plain"].startswith("PrimitiveResult(")
    data, _ = shell.display_formatter.format(estimated)
    assert "data-qrt-figure='expectation'" in data["text/html"]
    strict_json(data)


def test_monitors_and_maps_carry_tables(
    service: QiskitRuntimeService, backend: Any, bell: Any
) -> None:
    from qrt_lab.runtime import SamplerV2

    view = CouplingMapView(backend, qubit_metric="readout_error")
    bundle = view._repr_mimebundle_()
    assert strict_json(bundle[PLOTLY_MIME])["data"]
    page = bundle["text/html"]
    assert f"<td>qubits</td><td>{backend.num_qubits}</td>" in page
    assert "readout error median" in page
    job = SamplerV2(mode=backend).run([bell], shots=20)
    job.wait_for_final_state(timeout=120)
    monitor = JobMonitor(job, show_results=False)
    try:
        page = monitor._repr_mimebundle_()["text/html"]
    finally:
        monitor.close()
    assert job.job_id() in page and "DONE" in page and "data-qrt-figure='jobs'" in page


NOTEBOOK = [
    "%load_ext qrt_lab",
    "from qiskit import QuantumCircuit\n"
    "from qiskit.primitives import StatevectorSampler, StatevectorEstimator\n"
    "from qiskit.quantum_info import SparsePauliOp\n"
    "from qrt_lab.widgets import ResultHistogram, ExpectationPlot, CouplingMapView, JobMonitor\n"
    "qc = QuantumCircuit(2); qc.h(0); qc.cx(0, 1); qc.measure_all()\n"
    "sampled = StatevectorSampler(seed=1).run([qc], shots=64).result()\n"
    "sampled",
    "ResultHistogram(sampled)",
    "one = QuantumCircuit(1); one.h(0)\n"
    "estimated = StatevectorEstimator().run([(one, [SparsePauliOp('X'), SparsePauliOp('Z')])])\n"
    "ExpectationPlot(estimated.result())",
    "from qrt_lab.runtime import QiskitRuntimeService, SamplerV2\n"
    "from qiskit.transpiler import generate_preset_pass_manager\n"
    "backend = QiskitRuntimeService(channel='local').backend('{backend}')\n"
    "CouplingMapView(backend)",
    "isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)\n"
    "job = SamplerV2(mode=backend).run([isa], shots=32); job.result(); JobMonitor(job)",
    "%qruntime backend {backend}",
]
#: Figures the notebook above shows (cell index → data-qrt-figure kinds).
FIGURES = {
    1: ["histogram"],
    2: ["histogram"],
    3: ["expectation"],
    4: ["coupling map"],
    5: ["jobs", "histogram"],
}


def test_an_exported_notebook_shows_every_figure(
    local_service: LocalServiceInfo, backend: Any, tmp_path: Path
) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(cell.replace("{backend}", backend.name)) for cell in NOTEBOOK
    ]
    env = {**os.environ, "QRT_LAB_LOCAL_DIR": str(local_service.state_dir)}
    saved = os.environ.get("QRT_LAB_LOCAL_DIR")
    os.environ["QRT_LAB_LOCAL_DIR"] = str(local_service.state_dir)
    try:
        # as JupyterLab saves by default: no widget state (nbconvert would otherwise pick the
        # widget views, which need the widget manager's scripts)
        client = NotebookClient(
            notebook, timeout=300, kernel_name="python3", store_widget_state=False
        )
        client.execute()
    finally:
        if saved is None:
            os.environ.pop("QRT_LAB_LOCAL_DIR", None)
        else:
            os.environ["QRT_LAB_LOCAL_DIR"] = saved
    for index, kinds in FIGURES.items():
        data = notebook.cells[index].outputs[-1]["data"]
        assert WIDGET in data and PLOTLY_MIME in data, index
        assert [k for k in kinds if f"data-qrt-figure='{k}'" not in data["text/html"]] == []
    path = tmp_path / "outputs.ipynb"
    nbformat.write(notebook, path)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(path)],
        check=True,
        capture_output=True,
        env=env,
    )
    page = (tmp_path / "outputs.html").read_text()
    found = re.findall(r"data-qrt-figure=[\"']([a-z ]+)", page)
    expected = [kind for kinds in FIGURES.values() for kind in kinds]
    for kind in set(expected):
        assert found.count(kind) >= expected.count(kind), (kind, found)
    # the magic's backend summary and coupling map
    assert "Basis gates" in page
    assert found.count("coupling map") == 2


def test_account_setup_keeps_the_saved_names_never_a_key(tmp_path: Path) -> None:
    from qrt_lab.widgets import AccountSetup

    accounts = tmp_path / "accounts.json"
    QiskitRuntimeService.save_account(
        channel="ibm_quantum_platform",
        token="not-a-real-key-0123456789",
        url="http://127.0.0.1:9",
        instance="my-instance",
        name="lab",
        filename=str(accounts),
    )
    bundle = AccountSetup(filename=str(accounts))._repr_mimebundle_()
    page = bundle["text/html"]
    assert "data-qrt-figure='accounts'" in page and "<td>lab</td>" in page
    assert "not-a-real-key" not in json.dumps(bundle)
