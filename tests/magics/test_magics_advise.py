"""``%qruntime advise VAR`` in a real IPython shell, ranking on the real local service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from qiskit import QuantumCircuit

from qrt_lab.magics import _display
from qrt_lab.widgets.static import PLOTLY_MIME

#: Two small backends keep the ranking quick.
BACKENDS = "local_5q,local_falcon27"


def _ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


@pytest.fixture
def circuits(shell: InteractiveShell) -> Any:
    shell.user_ns["ghz"] = _ghz(3)
    shell.user_ns["pair"] = [_ghz(3), _ghz(3)]
    shell.user_ns["mixed"] = [_ghz(2), _ghz(3)]
    shell.user_ns["not_a_circuit"] = 42
    shell.user_ns["nothing"] = []
    yield
    for name in ("ghz", "pair", "mixed", "not_a_circuit", "nothing"):
        shell.user_ns.pop(name, None)


def test_help_lists_advise(
    qruntime: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    qruntime("help")
    assert "advise" in capsys.readouterr().out


@pytest.mark.usefixtures("circuits")
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("advise ghzz", "did you mean 'ghz'?"),
        ("advise not_a_circuit", "'not_a_circuit' is a int, not a QuantumCircuit"),
        ("advise nothing", "'nothing' is an empty list"),
        ("advise 'qc[0]'", "is not a variable name"),
        ("advise ghz --top 0", "expected a number of at least 1"),
        ("advise", "the following arguments are required: VAR"),
        ("advise mixed", "Could not rank the backends: the circuits have different numbers"),
        ("advise ghz --backends nowhere", "Could not rank the backends: .*nowhere"),
        ("advise ghz --optimization-level 7", "invalid choice: 7"),
        ("advise ghz --optimization-level two", "invalid int value: 'two'"),
    ],
)
def test_bad_variables_get_one_line_errors(
    qruntime: Callable[..., Any], line: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message.replace("?", r"\?").replace("[", r"\[")):
        qruntime(line)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=30))
def test_hostile_names_never_raise_a_traceback(qruntime: Callable[..., Any], name: str) -> None:
    try:
        qruntime(f"advise {name!r}")
    except UsageError as err:
        assert "\n" not in str(err)
    else:  # pragma: no cover - no variable of the shell matches random text
        pytest.fail(f"advise {name!r} found a circuit")


@pytest.mark.usefixtures("circuits")
def test_static_table_outside_a_widget_kernel(
    qruntime: Callable[..., Any], displayed: list[dict[str, Any]]
) -> None:
    assert not _display.widgets_render()  # a plain IPython shell
    qruntime(f"advise pair --backends {BACKENDS} --top 3")
    bundle = displayed[-1]["data"]
    table = bundle["text/html"]
    assert "Predicted success" in table and "local_" in table
    text = bundle["text/plain"]
    assert "isa = pm.run(pair)" in text
    assert 'service = QiskitRuntimeService(channel="local")' in text
    assert any(t["name"] == "layout qubits" for t in bundle[PLOTLY_MIME]["data"])


@pytest.mark.usefixtures("circuits")
def test_widget_in_a_kernel(
    qruntime: Callable[..., Any], shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qrt_lab.magics import _active
    from qrt_lab.widgets import BackendAdvisor

    monkeypatch.setattr(_display, "widgets_render", lambda: True)
    shell.user_ns["svc"] = _active.service()
    try:
        advisor = qruntime(f"advise ghz --backends {BACKENDS} --top 2")
    finally:
        shell.user_ns.pop("svc")
    assert isinstance(advisor, BackendAdvisor)
    assert advisor.model.wait(120), "ranking two small backends took over 2 min"
    assert advisor.model.state == "ready", advisor.model.error
    assert 1 <= len(advisor.table.rows) <= 2
    assert {r["backend"] for r in advisor.table.rows} <= set(BACKENDS.split(","))
    assert "backend = svc.backend(" in advisor.use.code
    assert "QiskitRuntimeService" not in advisor.use.code  # the user's service variable is used
    assert "isa = pm.run(ghz)" in advisor.use.code


@pytest.mark.usefixtures("circuits")
def test_the_printed_code_runs_what_was_ranked(
    qruntime: Callable[..., Any], shell: InteractiveShell, displayed: list[dict[str, Any]]
) -> None:
    """The static suggestion carries the ranking's level, layout and seed; run, it gives the
    first row's layout and two-qubit gate count."""
    qruntime(f"advise pair --backends {BACKENDS} --top 2 --optimization-level 1")
    bundle = displayed[-1]["data"]
    code = bundle["text/plain"].split("\n\n", 1)[1]
    assert "optimization_level=1," in code and "seed_transpiler=11," in code
    first = bundle["text/plain"].splitlines()[1].split("  ")  # the first row's cells
    layout = [int(q) for q in first[2].split(", ")]
    assert f"initial_layout={layout}," in code
    scope = dict(shell.user_ns)
    shell.run_cell(code, store_history=False)
    isa = shell.user_ns["isa"]
    assert [c.layout.initial_index_layout(filter_ancillas=True) for c in isa] == [layout] * 2
    gates = sum(
        1 for c in isa for i in c.data if len(i.qubits) == 2 and i.operation.name != "barrier"
    )
    assert str(gates) == first[4], "the row's 2Q gates"
    for name in set(shell.user_ns) - set(scope):
        shell.user_ns.pop(name, None)
