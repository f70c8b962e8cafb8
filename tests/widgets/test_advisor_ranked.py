"""BackendAdvisor on the real ``rank_backends`` and the real local service (and a recorded device).

What the widget shows must be what the advisor found: one row per candidate, the map of the
chosen row draws that candidate's layout and exactly the couplers its routed circuit uses, and
the code "use this" writes reproduces the candidate's layout when run.
"""

from __future__ import annotations

from typing import Any

import pytest
from qiskit import QuantumCircuit

from qrt_lab.plots import undirected_edges
from qrt_lab.runtime.advice import Candidate, rank_backends
from qrt_lab.widgets import BackendAdvisor
from qrt_lab.widgets._advice_rows import transpile_code, used_edges
from qrt_lab.widgets.coupling_map import backend_edges

LOCAL = ["local_5q", "local_falcon27"]


def _ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


def _two_qubit_gates(circuit: QuantumCircuit) -> int:
    return sum(1 for i in circuit.data if len(i.qubits) == 2 and i.operation.name != "barrier")


def _check_row(advisor: BackendAdvisor, index: int, scope: dict[str, Any]) -> Candidate:
    """Select row ``index``; its map, its code and what that code transpiles agree with it."""
    advisor.select(index)
    chosen = advisor.candidates[index]
    assert advisor.table.selected == index
    figure = advisor.map_figure()
    qubits = next(t for t in figure["data"] if t["name"] == "layout qubits")
    assert [int(q) for q in qubits["text"]] == list(chosen.layout)
    device = set(undirected_edges(backend_edges(chosen.backend)))
    drawn = used_edges(chosen.circuits) or []
    assert drawn and set(drawn) <= device, "the used couplers are the device's"
    exec(compile(advisor.use.code, "<use this>", "exec"), scope)
    isa = scope["isa"] if isinstance(scope["isa"], list) else [scope["isa"]]
    for circuit in isa:
        assert circuit.layout.initial_index_layout(filter_ancillas=True) == list(chosen.layout)
    routed = sum(_two_qubit_gates(c) for c in isa)  # the candidate sums over its circuits
    assert routed == chosen.two_qubit_gates, "the code reproduces the routing"
    return chosen


def test_widget_shows_what_rank_backends_found(service: Any) -> None:
    ghz = _ghz(4)
    advisor = BackendAdvisor(ghz, service, backends=LOCAL, top=3)
    assert advisor.model.wait(180), "ranking two local backends took over 3 min"
    assert advisor.model.state == "ready", advisor.model.error
    found = advisor.candidates
    assert 1 <= len(found) <= 3
    assert [r["backend"] for r in advisor.table.rows] == [c.backend_name for c in found]
    successes = [c.predicted_success for c in found]
    assert successes == sorted(successes, reverse=True), "best first"
    assert advisor.names == {"circuits": "ghz", "service": "service"}
    for index in range(len(found)):
        _check_row(advisor, index, {"ghz": ghz, "service": service})


def _routed(n: int, turn: float) -> QuantumCircuit:
    """All-to-all two-qubit gates: no device here embeds it, so routing (and its seed) matters."""
    qc = QuantumCircuit(n)
    for a in range(n):
        qc.h(a)
        for b in range(a + 1, n):
            qc.rzz(turn * (a + 1) / (b + 1), a, b)
    qc.measure_all()
    return qc


@pytest.mark.parametrize("level", [1, 3])
def test_use_this_runs_what_was_ranked(service: Any, level: int) -> None:
    """The inserted code, run, gives each candidate's circuits: its layout and 2Q-gate count."""
    circuits = [_routed(5, 0.3), _routed(5, 0.7)]
    found = rank_backends(
        circuits, service, backends=LOCAL, top=4, layouts_per_backend=2, optimization_level=level
    )
    assert len(found) >= 2 and any(c.two_qubit_gates > 2 * 10 for c in found), "routed"
    for chosen in found:
        assert chosen.optimization_level == level
        code = transpile_code(chosen, circuits_name="pair", service_name="svc")
        assert f"optimization_level={level}," in code
        assert f"seed_transpiler={chosen.seed_transpiler}," in code
        assert f"initial_layout=[{', '.join(map(str, chosen.layout))}]," in code
        scope: dict[str, Any] = {"pair": circuits, "svc": service}
        exec(compile(code, "<use this>", "exec"), scope)
        isa = scope["isa"]
        assert isa == list(chosen.circuits), "the same circuits the prediction was made for"
        for circuit in isa:
            assert circuit.layout.initial_index_layout(filter_ancillas=True) == list(chosen.layout)
        assert sum(_two_qubit_gates(c) for c in isa) == chosen.two_qubit_gates


def test_recorded_ibm_device(service: Any) -> None:
    recorded = sorted(b.name for b in service.backends() if b.name.startswith("ibm_"))
    if not recorded:
        pytest.skip("no recorded IBM device documents (/work/shared/data/devices)")
    circuits = [_ghz(5), _ghz(5)]
    advisor = BackendAdvisor(circuits, service, backends=recorded[:1], top=2)
    assert advisor.model.wait(180), "ranking one recorded device took over 3 min"
    assert advisor.model.state == "ready", advisor.model.error
    row = advisor.table.rows[0]
    assert row["backend"] == recorded[0]
    assert row["calibrated"].endswith("ago") and "±" in row["success"]
    _check_row(advisor, 0, {"circuits": circuits, "service": service})
    static = advisor._repr_mimebundle_()
    assert recorded[0] in static["text/html"] and "isa = pm.run(circuits)" in static["text/plain"]


@pytest.mark.parametrize(
    ("circuits", "words"),
    [
        ("not a circuit", "Could not rank the backends"),
        ([], "Could not rank the backends"),
        (_ghz(40), "Could not rank the backends"),
    ],
    ids=["text", "empty", "too-wide"],
)
def test_hostile_circuits_end_in_an_error_that_says_what_to_do(
    service: Any, circuits: Any, words: str
) -> None:
    advisor = BackendAdvisor(circuits, service, backends=LOCAL)
    assert advisor.model.wait(60)
    assert advisor.model.state in ("error", "empty")
    assert advisor.table.rows == [] and advisor.use.code == ""
    message = advisor.table.message
    assert "\n" not in message and "Traceback" not in message
    assert advisor.retry not in advisor.children, "ranking the same circuits again cannot help"
    if advisor.model.state == "error":
        assert message.startswith(words) and message.endswith("run the cell again.")


@pytest.mark.parametrize("level", [7, -1, "2", None])
def test_a_bad_optimization_level_says_what_to_pass(service: Any, level: Any) -> None:
    advisor = BackendAdvisor(_ghz(3), service, backends=LOCAL, optimization_level=level)
    assert advisor.model.wait(60)
    assert advisor.model.state == "error"
    assert advisor.table.message.startswith(
        "Could not rank the backends: optimization_level must be 0, 1, 2 or 3"
    )
    assert advisor.retry not in advisor.children and advisor.use.code == ""
