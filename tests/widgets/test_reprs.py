"""Rich display through IPython's formatters: qrt-lab objects, official and reference results."""

from __future__ import annotations

import os
from typing import Any

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell
from nbclient import NotebookClient
from qiskit import QuantumCircuit

from qrt_lab.runtime import Batch, QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.widgets import reprs

WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def shell() -> InteractiveShell:
    shell = InteractiveShell.instance()
    reprs.register_ipython(shell)
    return shell


def formatted(shell: InteractiveShell, obj: Any) -> dict[str, Any]:
    data, _metadata = shell.display_formatter.format(obj)
    return dict(data)


def test_qrt_lab_objects_get_html_summaries(
    shell: InteractiveShell,
    service: QiskitRuntimeService,
    backend: Any,
    bell: QuantumCircuit,
    local_service: LocalServiceInfo,
) -> None:
    data = formatted(shell, backend)
    assert f"Backend {backend.name}" in data["text/html"]
    assert data["text/plain"] == repr(backend)
    assert WIDGET not in data  # no kernel: no live widget
    job = SamplerV2(mode=backend).run([bell], shots=10)
    job.wait_for_final_state(timeout=120)
    data = formatted(shell, job)
    assert job.job_id() in data["text/html"] and "<b>Completed</b>" in data["text/html"]
    assert "status=Completed" in data["text/plain"]
    batch = Batch(backend=backend)
    assert str(batch.session_id) in formatted(shell, batch)["text/html"]
    batch.close()
    data = formatted(shell, service)
    assert local_service.url in data["text/html"]
    assert local_service.api_key not in str(data)


def test_without_a_registered_formatter_the_text_repr_stays(
    backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qrt_lab.runtime import display

    monkeypatch.setattr(display, "_DEFAULTS", [])  # nor the package root's default formatters
    display.unregister_formatter("backend")
    try:
        assert backend._repr_mimebundle_() == {"text/plain": repr(backend)}
    finally:
        reprs.register()


CELLS = [
    "%load_ext qrt_lab",
    "from qiskit import QuantumCircuit\n"
    "from qiskit.primitives import StatevectorSampler, StatevectorEstimator\n"
    "from qiskit.quantum_info import SparsePauliOp\n"
    "qc = QuantumCircuit(2); qc.h(0); qc.cx(0, 1); qc.measure_all()\n"
    "StatevectorSampler(seed=1).run([qc], shots=50).result()",
    "est = QuantumCircuit(1); est.h(0)\n"
    "StatevectorEstimator().run([(est, [SparsePauliOp('X'), SparsePauliOp('Z')])]).result()",
    "from qrt_lab.runtime import QiskitRuntimeService, SamplerV2\n"
    "from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager\n"
    "service = QiskitRuntimeService(channel='local')\n"
    "backend = service.backend('{backend}')\n"
    "isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)\n"
    "job = SamplerV2(mode=backend).run([isa], shots=20); job",
    "job.result()",
    "backend",
    "print(repr(job))",
    "import os\n"
    "from qiskit_ibm_runtime import QiskitRuntimeService as Official, SamplerV2 as TheirSampler\n"
    "url = os.environ['IAM_URL']\n"
    "theirs = Official(channel='ibm_quantum_platform', token=os.environ['TEST_KEY'],\n"
    "    instance=os.environ['TEST_INSTANCE'], url=url,\n"
    "    url_resolver=lambda *a, **k: url + '/api/v1')\n"
    "TheirSampler(mode=theirs.backend('{backend}')).run([isa], shots=20).result()",
]


def test_widgets_in_a_real_kernel(local_service: LocalServiceInfo, backend: Any) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(cell.replace("{backend}", backend.name)) for cell in CELLS
    ]
    env = {
        "QRT_LAB_LOCAL_DIR": str(local_service.state_dir),
        "IAM_URL": local_service.url,
        "GLOBAL_SEARCH_URL": local_service.url,
        "GLOBAL_CATALOG_URL": f"{local_service.url}/globalcatalog/api/v1",
        "TEST_KEY": local_service.api_key,
        "TEST_INSTANCE": local_service.instance,
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    outputs = [cell.outputs for cell in notebook.cells]
    sampler, estimator, job, result, shown_backend = (outputs[i][-1]["data"] for i in range(1, 6))
    assert WIDGET in sampler and "PrimitiveResult" in sampler["text/plain"]
    assert WIDGET in estimator
    assert WIDGET in job and "Job " in job["text/html"]
    assert WIDGET in result
    assert WIDGET in shown_backend and backend.name in shown_backend["text/html"]
    assert outputs[6][0]["text"].startswith("<RuntimeJobV2(")
    official = outputs[7][-1]["data"]
    assert WIDGET in official and "PrimitiveResult" in official["text/plain"]


def test_objects_are_rich_without_load_ext(local_service: LocalServiceInfo, backend: Any) -> None:
    """A new user's kernel: no ``%load_ext``, no widgets import, and a backend still shows HTML."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import sys\n"
            "from qrt_lab.runtime import QiskitRuntimeService\n"
            "service = QiskitRuntimeService(channel='local')\n"
            f"backend = service.backend('{backend.name}')\n"
            "before = 'qrt_lab.widgets' in sys.modules\n"
            "backend"
        ),
        nbformat.v4.new_code_cell("print(before)"),
    ]
    saved = os.environ.get("QRT_LAB_LOCAL_DIR")
    os.environ["QRT_LAB_LOCAL_DIR"] = str(local_service.state_dir)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    finally:
        if saved is None:
            os.environ.pop("QRT_LAB_LOCAL_DIR", None)
        else:
            os.environ["QRT_LAB_LOCAL_DIR"] = saved
    shown = notebook.cells[0].outputs[-1]["data"]
    assert f"Backend {backend.name}" in shown["text/html"]
    assert WIDGET in shown
    assert notebook.cells[1].outputs[0]["text"].strip() == "False"
