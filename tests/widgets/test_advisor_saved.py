"""The advisor's saved copy follows the chosen row: a real kernel (nbclient), then nbconvert.

A notebook ranks two local backends with the real ``rank_backends``, a later cell chooses the
second row through the widget's model (what a click does), and the notebook is saved: the
advisor's output keeps that row's map, numbers and code (the display is updated in place), and
``jupyter nbconvert --to html`` shows them.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from qrt_lab.runtime.api.discovery import LocalServiceInfo
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
ADVISE = """\
advisor = BackendAdvisor(ghz, service, backends=["local_5q", "local_falcon27"], top=3)
advisor
"""
CHOOSE = """\
assert advisor.model.wait(180), "ranking took over 3 min"
assert advisor.model.state == "ready", advisor.model.error
advisor.select(1)
chosen = advisor.candidates[1]
print(json.dumps({"backend": chosen.backend_name, "layout": list(chosen.layout),
                  "first": advisor.candidates[0].backend_name}))
"""


def test_saved_copy_shows_the_chosen_row(local_service: LocalServiceInfo, tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(SETUP.format(state=str(local_service.state_dir))),
        nbformat.v4.new_code_cell(ADVISE),
        nbformat.v4.new_code_cell("import json\n" + CHOOSE),
    ]
    # as JupyterLab saves by default: no widget state, so nbconvert shows the static copy
    NotebookClient(notebook, timeout=300, kernel_name="python3", store_widget_state=False).execute()
    chosen = json.loads(notebook.cells[2].outputs[-1]["text"])
    backend, layout = chosen["backend"], ", ".join(map(str, chosen["layout"]))
    assert chosen["first"] != backend, "two backends, one row each: the rows differ"
    (output,) = notebook.cells[1].outputs
    data = output["data"]
    assert data[PLOTLY_MIME]["layout"]["title"]["text"] == f"{backend}: layout {layout}"
    page = data["text/html"]
    assert "<td>2 (chosen)</td>" in page and "<td>1 (chosen)</td>" not in page
    assert f"Chosen: row 2, {backend} on qubits {layout} — predicted success" in page
    assert f"initial_layout=[{layout}]," in page
    assert f"Chosen: row 2, {backend}" in data["text/plain"]
    path = tmp_path / "advised.ipynb"
    nbformat.write(notebook, path)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(path)],
        check=True,
        capture_output=True,
    )
    exported = html.unescape((tmp_path / "advised.html").read_text())
    assert f"Chosen: row 2, {backend} on qubits {layout}" in exported
    assert f"backend = service.backend('{backend}')" in exported
