"""Every ``%qruntime`` line subcommand against the real local service, with its errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from qrt_lab.magics import _active
from qrt_lab.magics._display import PLOTLY_MIME, Table
from qrt_lab.runtime.api.discovery import LocalServiceInfo

Run = Callable[..., Any]


def one_line_error(run: Run, line: str, cell: str | None = None) -> str:
    with pytest.raises(UsageError) as info:
        run(line, cell)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def column(table: Table, name: str) -> list[Any]:
    index = list(table.columns).index(name)
    return [row[index] for row in table.rows]


def test_default_rule_without_saved_accounts_is_the_local_service(
    qruntime: Run, local_service: LocalServiceInfo
) -> None:
    shown = dict(qruntime("account").rows)
    assert shown["channel"] == "local"
    assert shown["url"] == local_service.url
    assert shown["instance"] == local_service.instance
    assert shown["account"] == "the local service; default rule"
    assert local_service.api_key not in str(qruntime("account")) + qruntime("account")._repr_html_()


def test_account_list_use_and_local(
    qruntime: Run, local_service: LocalServiceInfo, magic_env: Path
) -> None:
    from qrt_lab.runtime import QiskitRuntimeService

    QiskitRuntimeService.save_account(  # a compatible server reached like the cloud
        channel="ibm_quantum_platform",
        token=local_service.api_key,
        url=local_service.url,
        instance=local_service.instance,
        name="bench",
    )
    try:
        listed = qruntime("account list")
        assert column(listed, "name") == ["bench"]
        assert local_service.api_key not in str(listed) + listed._repr_html_()
        used = dict(qruntime("account use bench").rows)
        assert used["account"] == "saved account 'bench'; chosen with %qruntime account"
        assert used["url"] == local_service.url
        message = one_line_error(qruntime, "account use nobody")
        assert "nobody" in message and "does not exist" in message
        assert dict(qruntime("account").rows)["account"].startswith("saved account 'bench'")
        local = dict(qruntime("account local").rows)
        assert local["account"] == "the local service; chosen with %qruntime account"
    finally:
        (magic_env / ".qiskit" / "qiskit-ibm.json").unlink()
        _active.forget()


def test_the_saved_default_account_wins_over_local(
    qruntime: Run, local_service: LocalServiceInfo, magic_env: Path
) -> None:
    account_file = magic_env / ".qiskit" / "qiskit-ibm.json"
    account_file.parent.mkdir(exist_ok=True)
    entry = {"channel": "ibm_quantum_platform", "token": local_service.api_key,
             "url": local_service.url, "instance": local_service.instance,
             "is_default_account": True}  # fmt: skip
    account_file.write_text(json.dumps({"mine": entry}))
    try:
        _active.forget()
        shown = dict(qruntime("account").rows)
        assert shown["account"] == "the default saved account; default rule"
        assert shown["url"] == local_service.url
    finally:
        account_file.unlink()
        _active.forget()


def test_backends_table_and_filters(qruntime: Run) -> None:
    from qrt_lab.widgets.backends import COLUMNS

    table = qruntime("backends")
    assert list(table.columns) == [label for _, label in COLUMNS]  # the browser's own columns
    assert {"local_5q", "local_ideal", "local_heron156"} <= set(column(table, "Backend"))
    assert column(qruntime("backends --simulator"), "Backend") == ["local_ideal"]
    big = qruntime("backends --min-qubits 100")
    assert big.rows and all(q >= 100 for q in column(big, "Qubits"))
    assert set(column(qruntime("backends --operational"), "Status")) == {"online"}
    page = table._repr_html_()
    assert page.startswith('<table class="qrt-table"') and "onclick" in page
    assert 'data-sort="156"' in page
    assert str(table).splitlines()[1].split()[0] == "Backend"
    row = table.rows[column(table, "Backend").index("local_5q")]
    five = dict(zip(table.columns, row, strict=True))
    t1 = float(five["Median T1 (µs)"])
    props = _active.service().backend("local_5q").properties()
    assert t1 == pytest.approx(sorted(props.t1(q) * 1e6 for q in range(5))[2], rel=0.01)


def test_backends_in_a_widget_frontend_is_the_browser(
    qruntime: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qrt_lab.magics import _display
    from qrt_lab.widgets import BackendBrowser
    from qrt_lab.widgets.backends import COLUMNS

    monkeypatch.setattr(_display, "widgets_render", lambda: True)
    browser = qruntime("backends --min-qubits 100")
    assert isinstance(browser, BackendBrowser)
    assert browser.backends and all(b.num_qubits >= 100 for b in browser.backends.values())
    monkeypatch.undo()
    table = qruntime("backends --min-qubits 100")
    keys = [key for key, _ in COLUMNS]
    shown = [dict(zip(keys, map(str, row), strict=True)) for row in table.rows]
    steady = [key for key in keys if key != "pending"]  # queues move between the two calls
    assert [[row[k] for k in steady] for row in browser.rows] == [
        [row[k] for k in steady] for row in shown
    ]


def test_backend_summary_and_coupling_map(
    qruntime: Run, displayed: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    backend = qruntime("backend local_5q --metric T1")
    assert backend.name == "local_5q"
    out = capsys.readouterr().out
    assert "Basis gates" in out and "local_5q" in out and "Median 2Q error" in out
    assert "Calibrated" in out and " h ago" in out and "stale" not in out  # hours old: fresh
    (bundle,) = [d["data"] for d in displayed if PLOTLY_MIME in d["data"]]
    figure = bundle[PLOTLY_MIME]
    qubits = figure["data"][-1]
    assert len(qubits["x"]) == 5 and qubits["marker"]["colorbar"]["title"]["text"] == "T1 (µs)"
    props = backend.properties()
    expected = [props.t1(q) * 1e6 for q in range(5)]  # the client's SI seconds, shown in µs
    assert qubits["marker"]["color"] == pytest.approx(expected)
    edges = [t for t in figure["data"] if t.get("name", "").startswith("CX error")]
    assert edges, [t.get("name") for t in figure["data"]]
    assert "did you mean 'local_5q'?" in one_line_error(qruntime, "backend local_5")


def test_backend_in_a_widget_frontend_is_the_coupling_map_view(
    qruntime: Run, displayed: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from qrt_lab.magics import _display
    from qrt_lab.widgets import CouplingMapView
    from qrt_lab.widgets.coupling_map import backend_map_figure

    monkeypatch.setattr(_display, "widgets_render", lambda: True)
    view = qruntime("backend local_5q --metric T2")
    assert isinstance(view, CouplingMapView) and view.qubit_metric == "T2"
    assert view.backend.name == "local_5q" and view.edge_metric == "cx"
    assert not [d for d in displayed if PLOTLY_MIME in d["data"]]  # no figure of its own
    (summary,) = [d["data"] for d in displayed if "text/html" in d["data"]]
    assert "Basis gates" in summary["text/html"] and "local_5q" in summary["text/html"]
    text_figure = backend_map_figure(view.backend, "T2", calibration=view.calibration)
    assert view.figure_dict()["data"] == text_figure["data"]  # one builder for both surfaces


def test_least_busy(qruntime: Run, capsys: pytest.CaptureFixture[str]) -> None:
    backend = qruntime("least-busy --min-qubits 100")
    assert backend.num_qubits >= 100
    assert capsys.readouterr().out.startswith(f"{backend.name}: ")
    assert "No backend matches" in one_line_error(qruntime, "least-busy --min-qubits 100000")


def test_usage(qruntime: Run, local_service: LocalServiceInfo) -> None:
    table = qruntime("usage")
    fields = dict(table.rows)
    assert "usage_consumed_seconds" in fields
    assert fields["usage_consumed_seconds"].endswith(("s", "min", "h"))  # a duration, in words
    assert "quantum time" in table.caption and "emulated" in table.caption
    assert local_service.instance in table.caption


def test_session_state_time_left_and_close(qruntime: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from qrt_lab.runtime import Session, observers

    monkeypatch.setattr(observers, "_recent_sessions", [])
    assert "No session is active" in one_line_error(qruntime, "session close")
    session = Session(_active.service().backend("local_5q"), max_time=600)
    shown = dict(qruntime("session").rows)
    assert shown["id"] == session.session_id and shown["backend"] == "local_5q"
    assert shown["time left"].endswith(" min") or " min " in shown["time left"]
    assert shown["status"] in {"Pending", "Active", "Open", "Inactive"}
    closed = dict(qruntime("session close").rows)
    assert closed["status"] == "Closed" and closed["accepting jobs"] is False
    assert not session.is_active
    # the kernel still reports on the closed session until a new one opens
    assert dict(qruntime("session").rows)["id"] == session.session_id
    assert "unknown choice 'open'" in one_line_error(qruntime, "session open")


def test_session_finds_sessions_opened_before_the_magics_loaded() -> None:
    """The record lives in qrt_lab.runtime.observers: importing the magics later still sees it."""
    import subprocess
    import sys

    script = (
        "import qrt_lab.runtime.observers as o\n"
        "class S:\n    session_id = 's-1'\n"
        "kept = S()\n"
        "o.session_created(kept)\n"
        "from qrt_lab.magics.session import active_session\n"
        "assert active_session() is kept, active_session()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_session_without_one_lists_the_accounts_recent_sessions(
    qruntime: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qiskit import QuantumCircuit

    from qrt_lab.runtime import SamplerV2, Session, observers

    backend = _active.service().backend("local_5q")
    circuit = QuantumCircuit(1)
    circuit.measure_all()
    with Session(backend, max_time=600) as session:
        SamplerV2(mode=session).run([circuit], shots=8).result()
    monkeypatch.setattr(observers, "_recent_sessions", [])
    table = qruntime("session")
    assert "No session is open in this kernel" in table.caption
    assert table.columns == ("session", "backend", "jobs", "last job created")
    rows = {row[0]: row for row in table.rows}
    assert rows[session.session_id][1:3] == ("local_5q", "1 job")


def test_session_in_a_kernel_is_a_live_session_monitor(
    qruntime: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qrt_lab.magics import _display
    from qrt_lab.runtime import Batch
    from qrt_lab.widgets import SessionMonitor

    monkeypatch.setattr(_display, "widgets_render", lambda: True)
    batch = Batch(_active.service().backend("local_5q"), max_time=600)
    monitor = qruntime("session")
    try:
        assert isinstance(monitor, SessionMonitor) and monitor.session is batch
        assert not monitor.closed and monitor.seconds_left is not None
        assert 500 <= monitor.seconds_left <= 600
        closed = qruntime("session close")
        assert isinstance(closed, SessionMonitor) and closed.closed
        assert not batch.is_active
    finally:
        monitor.close()


def test_wrong_channel_shell_is_unaffected(shell: InteractiveShell) -> None:
    assert "qruntime" in shell.magics_manager.magics["cell"]


def test_an_unreachable_account_is_one_line_and_keeps_the_previous_choice(
    qruntime: Run, magic_env: Path
) -> None:
    import socket

    from qrt_lab.runtime import QiskitRuntimeService

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    QiskitRuntimeService.save_account(
        token="not-a-real-key-123", url=f"http://127.0.0.1:{port}", name="dead",
        instance="crn:v1:bluemix:public:quantum-computing:us-east:a/x:y::",
    )  # fmt: skip
    try:
        qruntime("account local")
        message = one_line_error(qruntime, "account use dead")
        assert f"127.0.0.1:{port}" in message and "not-a-real-key-123" not in message
        assert dict(qruntime("account").rows)["channel"] == "local"
    finally:
        (magic_env / ".qiskit" / "qiskit-ibm.json").unlink()
        _active.forget()
