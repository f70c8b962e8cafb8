"""BackendAdvisor's views on hand-made candidates (real backends of the local service).

These are pure-view tests: the candidates are built here from real transpilation on the local
service's backends, so the table, the map and the code are checked without the ranking. The
ranking itself (``rank_backends``) is exercised in ``test_advisor_ranked.py``.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.plots import EDGE_BUCKETS, layout_map_figure
from qrt_lab.runtime.advice import Candidate
from qrt_lab.runtime.summaries import words
from qrt_lab.widgets import BackendAdvisor
from qrt_lab.widgets._advice_rows import (
    COLUMNS,
    candidate_row,
    static_view,
    transpile_code,
    used_edges,
)
from qrt_lab.widgets.static import PLOTLY_MIME


def _ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


def _candidate(backend: Any, circuit: QuantumCircuit, layout: list[int], **kw: Any) -> Candidate:
    pm = generate_preset_pass_manager(
        backend=backend, optimization_level=1, initial_layout=layout, seed_transpiler=7
    )
    isa = pm.run(circuit)
    values: dict[str, Any] = {
        "backend_name": backend.name,
        "layout": tuple(layout),
        "predicted_success": 0.8123,
        "success_uncertainty": 0.0234,
        "error_budget": {"gates": 0.6, "readout": 0.3, "idle": 0.1},
        "two_qubit_gates": isa.count_ops().get("cz", 0) + isa.count_ops().get("ecr", 0),
        "depth": isa.depth(),
        "pending_jobs": 3,
        "quantum_seconds": 2.5,
        "remaining_seconds": 600.0,
        "calibration_time": "2026-12-07T01:00:00Z",
        "optimization_level": 1,
        "seed_transpiler": 7,
        "circuits": (isa,),
        "backend": backend,
    }
    values.update(kw)
    return Candidate(**values)


@pytest.fixture(scope="module")
def ghz3() -> QuantumCircuit:
    return _ghz(3)


@pytest.fixture(scope="module")
def candidates(service: Any, ghz3: QuantumCircuit) -> list[Candidate]:
    names = sorted(b.name for b in service.backends())[:2]
    first = service.backend(names[0])
    second = service.backend(names[-1])
    return [
        _candidate(first, ghz3, [0, 1, 2]),
        _candidate(second, ghz3, [2, 1, 0], predicted_success=0.7, remaining_seconds=1.0),
    ]


def _advisor(ghz3: QuantumCircuit, service: Any, found: list[Candidate], **kw: Any) -> Any:
    advisor = BackendAdvisor(ghz3, service, ranker=lambda *a, **k: list(found), **kw)
    assert advisor.model.wait(30)
    return advisor


def test_table_rows_use_the_house_words(candidates: list[Candidate]) -> None:
    row = candidate_row(1, candidates[0])
    assert row["success"] == words.expectation(0.8123, 0.0234) == "0.812 ± 0.023"
    assert row["queue"] == "3 jobs"
    assert row["usage"] == f"{words.duration(2.5)} / {words.duration(600.0)}"
    assert row["calibrated"].endswith("ago")
    assert row["layout"] == "0, 1, 2"
    exceeding = candidate_row(2, candidates[1])
    assert exceeding["usage"].endswith("(exceeds)") and exceeding["warn"] == "usage"


def test_long_layouts_are_shortened_but_kept_whole_in_the_title(
    candidates: list[Candidate],
) -> None:
    wide = Candidate(**{**candidates[0].__dict__, "layout": tuple(range(20))})
    row = candidate_row(1, wide)
    assert row["layout"] == "0, 1, 2, 3, 4, 5, … 19 (20 qubits)"
    assert row["layout_title"].count(",") == 19


def test_advisor_shows_ranking_then_rows(
    ghz3: QuantumCircuit, service: Any, candidates: list[Candidate]
) -> None:
    gate = __import__("threading").Event()

    def slow(*_a: Any, **_k: Any) -> list[Candidate]:
        gate.wait(30)
        return list(candidates)

    advisor = BackendAdvisor(ghz3, service, ranker=slow)
    assert advisor.table.state == "ranking"
    assert advisor.table.message.startswith("Ranking the service's backends")
    assert advisor.table.rows == [] and advisor.use.code == ""
    gate.set()
    assert advisor.model.wait(30)
    assert advisor.table.state == "ready"
    assert [r["backend"] for r in advisor.table.rows] == [c.backend_name for c in candidates]
    assert advisor.table.selected == 0
    assert [c for c, _ in COLUMNS] == [key for key, _ in advisor.table.columns]


def test_errors_say_what_to_do(ghz3: QuantumCircuit, service: Any) -> None:
    def bad_input(*_a: Any, **_k: Any) -> list[Candidate]:
        raise ValueError("the circuits need 200 qubits but the widest backend has 156")

    def unreachable(*_a: Any, **_k: Any) -> list[Candidate]:
        raise ConnectionError("the service did not answer")

    advisor = BackendAdvisor(ghz3, service, ranker=bad_input)
    assert advisor.model.wait(30)
    assert advisor.table.state == "error"
    assert advisor.table.message == (
        "Could not rank the backends: the circuits need 200 qubits but the widest backend has "
        "156. Change the circuits or the arguments and run the cell again."
    )
    assert advisor.retry not in advisor.children, "ranking the same input again cannot help"
    down = BackendAdvisor(ghz3, service, ranker=unreachable)
    assert down.model.wait(30)
    assert "service.backends()" in down.table.message and "Rank again" in down.table.message
    assert down.retry in down.children
    calls: list[int] = []
    down.model._ranker = lambda *a, **k: calls.append(1) or []
    down.retry.click()
    assert down.model.wait(30) and calls == [1]
    assert down.table.state == "empty" and down.retry not in down.children
    assert "No backend can run 1 circuit" in down.table.message


def test_selecting_a_row_redraws_map_and_code(
    ghz3: QuantumCircuit, service: Any, candidates: list[Candidate]
) -> None:
    circuit_bell = ghz3.copy()
    advisor = BackendAdvisor(circuit_bell, service, ranker=lambda *a, **k: list(candidates))
    assert advisor.model.wait(30)
    assert advisor.names == {"circuits": "circuit_bell", "service": "service"}
    assert f"{candidates[0].backend_name!r}" in advisor.use.code
    advisor.table.selected = 1  # what a click in the browser does
    chosen = candidates[1]
    assert advisor.model.chosen is chosen
    assert f"backend = service.backend({chosen.backend_name!r})" in advisor.use.code
    assert "initial_layout=[2, 1, 0]" in advisor.use.code
    assert "isa = pm.run(circuit_bell)" in advisor.use.code
    layout_trace = next(t for t in advisor.figure.data if t.name == "layout qubits")
    assert list(layout_trace.text) == ["2", "1", "0"]
    with pytest.raises(IndexError, match="there are 2"):
        advisor.select(5)


def test_the_code_runs(service: Any, candidates: list[Candidate], ghz3: QuantumCircuit) -> None:
    code = transpile_code(candidates[1], circuits_name="qc", service_name="svc")
    ast.parse(code)
    scope: dict[str, Any] = {"qc": ghz3, "svc": service}
    exec(compile(code, "<use this>", "exec"), scope)
    layout = scope["isa"].layout.initial_index_layout(filter_ancillas=True)
    assert layout == [2, 1, 0]
    assert "optimization_level=1," in code and "seed_transpiler=7," in code
    assert scope["isa"] == candidates[1].circuits[0], "the candidate's level, layout and seed"


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=20))
def test_hostile_names_fall_back_to_safe_ones(name: str) -> None:
    fake = Candidate("b'x\"", (0,), 0.5, 0.1, {}, 0, 1, None, 0.0, None)
    code = transpile_code(fake, circuits_name=name, service_name=name)
    tree = ast.parse(code)  # always valid Python, whatever the names
    assert isinstance(tree, ast.Module)
    assert "backend = " in code


def test_map_highlights_the_layout_and_used_couplers(candidates: list[Candidate]) -> None:
    chosen = candidates[0]
    pairs = used_edges(chosen.circuits)
    assert pairs, "a GHZ circuit uses couplers"
    assert {q for pair in pairs for q in pair} <= set(chosen.layout) | set(range(100))
    backend = chosen.backend
    from qrt_lab.widgets.coupling_map import backend_edges

    figure = layout_map_figure(
        backend.num_qubits,
        backend_edges(backend),
        chosen.layout,
        used_edges=pairs,
        edge_values={p: 0.01 * (i + 1) for i, p in enumerate(pairs)},
        qubit_values={q: 0.02 for q in chosen.layout},
    )
    names = [t["name"] for t in figure["data"]]
    assert names[:2] == ["not used", "qubits not used"]
    buckets = figure["data"][2 : 2 + EDGE_BUCKETS + 1]
    drawn = sum(len(t["x"]) // 3 for t in buckets)
    assert drawn == len(pairs)
    idle = figure["data"][1]
    assert len(idle["x"]) == backend.num_qubits - len(chosen.layout)
    with pytest.raises(ValueError, match="outside"):
        layout_map_figure(3, [[0, 1]], [0, 7])


def test_static_output_carries_table_map_and_code(
    ghz3: QuantumCircuit, service: Any, candidates: list[Candidate]
) -> None:
    advisor = _advisor(ghz3, service, candidates, names={"circuits": "qc"})
    bundle = advisor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert candidates[0].backend_name in bundle["text/html"]
    assert "generate_preset_pass_manager" in bundle["text/html"]
    assert "isa = pm.run(qc)" in bundle["text/plain"]
    figure = bundle[PLOTLY_MIME]
    assert any(t["name"] == "layout qubits" for t in figure["data"])


def test_static_output_follows_the_chosen_row(
    ghz3: QuantumCircuit, service: Any, candidates: list[Candidate]
) -> None:
    advisor = _advisor(ghz3, service, candidates, names={"circuits": "qc"})
    first = advisor._repr_mimebundle_()
    assert "<td>1 (chosen)</td>" in first["text/html"]
    advisor.table.selected = 1  # what a click in the browser does
    bundle = advisor._repr_mimebundle_()
    chosen = candidates[1]
    title = f"{chosen.backend_name}: layout 2, 1, 0"
    assert bundle[PLOTLY_MIME]["layout"]["title"]["text"] == title
    page = bundle["text/html"]
    assert "<td>2 (chosen)</td>" in page and "<td>1 (chosen)</td>" not in page
    row = candidate_row(2, chosen)
    assert (
        f"Chosen: row 2, {chosen.backend_name} on qubits 2, 1, 0 — predicted success "
        f"{row['success']}, {row['two_qubit_gates']} two-qubit gates, depth {row['depth']}"
    ) in bundle["text/plain"]
    assert "initial_layout=[2, 1, 0]," in bundle["text/plain"]


@settings(max_examples=40, deadline=None)
@given(name=st.text(max_size=30), selected=st.integers(-3, 3))
def test_the_saved_copy_escapes_what_it_shows(name: str, selected: int) -> None:
    fake = Candidate(name, (0, 1), 0.5, 0.1, {}, 0, 1, None, 0.0, None)
    rows = [candidate_row(1, fake), candidate_row(2, fake)]
    bundle = static_view("status", rows, selected, None, transpile_code(fake))
    page = bundle["text/html"]
    assert page.count("<b>") == 1 + (0 <= selected < 2)  # the title, and the chosen caption
    assert "<script" not in page.lower() and "<td>" in page
    assert ("Chosen: row" in bundle["text/plain"]) == (0 <= selected < 2)
