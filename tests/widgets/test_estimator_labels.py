"""``ExpectationPlot(job)`` reads the job's inputs: θ along x, observables named as written."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from traitlets import TraitError

from qrt_lab.runtime import EstimatorV2
from qrt_lab.widgets import ExpectationPlot


def sweep_job(backend: Any, observables: list[str], *, two: bool = False) -> Any:
    theta, phi = Parameter("θ"), Parameter("φ")
    qc = QuantumCircuit(2)
    qc.ry(theta, 0)
    if two:
        qc.rz(phi, 0)
    qc.cx(0, 1)
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)
    mapped = [[SparsePauliOp(o).apply_layout(isa.layout)] for o in observables]
    values = np.linspace(0, 2 * np.pi, 6)
    bound = np.stack([values, np.full(6, 0.25)], axis=-1) if two else values[:, None]
    return EstimatorV2(mode=backend).run([(isa, mapped, bound)], precision=0.05)


def test_expectation_plot_of_a_job_has_theta_along_x_and_observables_as_written(
    backend: Any,
) -> None:
    job = sweep_job(backend, ["ZZ", "XX"])
    plot = ExpectationPlot(job)
    data = plot.figure.data
    assert [t.name for t in data] == ["ZZ", "XX"]
    assert plot.figure.layout.xaxis.title.text == "θ"
    assert list(data[0].x) == pytest.approx(np.linspace(0, 2 * np.pi, 6).tolist())
    assert data[0].text[1].startswith("⟨ZZ⟩ = ") and "θ = 1.257" in data[0].text[1]
    assert " ± " in data[0].text[1] and plot.error == ""
    # the layout-applied operator is 5 qubits wide on local_5q: named on the virtual qubits
    assert all(len(t.name) <= 24 for t in data)


def test_expectation_plot_of_a_two_parameter_job_chooses_x(backend: Any) -> None:
    job = sweep_job(backend, ["ZZ"], two=True)
    plot = ExpectationPlot(job)
    assert plot.figure.layout.xaxis.title.text == "θ"
    assert "φ = 0.2500" in plot.figure.data[0].text[0]
    plot.param = "φ"
    assert plot.figure.layout.xaxis.title.text == "φ"
    with pytest.raises(TraitError, match="Invalid selection"):
        plot.param = "nope"  # the chooser offers the PUB's parameters only


def test_expectation_plot_of_a_result_keeps_x_and_observables(backend: Any) -> None:
    result = sweep_job(backend, ["ZZ", "XX"]).result()
    plot = ExpectationPlot(result, x=np.arange(6), observables=["a", "b"])
    assert [t.name for t in plot.figure.data] == ["a", "b"]
    assert list(plot.figure.data[0].x) == list(range(6))


def test_expectation_plot_titles_given_x_as_told_or_by_the_jobs_parameter(backend: Any) -> None:
    """``x=`` no longer titles the axis "parameter" when the job or the caller names it."""
    job = sweep_job(backend, ["ZZ"])
    thetas = np.linspace(0, 2 * np.pi, 6)
    assert ExpectationPlot(job, x=thetas).figure.layout.xaxis.title.text == "θ"
    result = job.result()
    assert ExpectationPlot(result, x=thetas).figure.layout.xaxis.title.text == "parameter"
    told = ExpectationPlot(result, x=thetas, x_title="θ")
    assert told.figure.layout.xaxis.title.text == "θ" and told.error == ""
    assert ExpectationPlot(job, x_title="angle").figure.layout.xaxis.title.text == "angle"
