"""``sample``/``estimate``, ``jobs``, ``job``, ``cancel``, ``watch`` on the local service."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from qrt_lab.magics import _active
from qrt_lab.magics._display import PLOTLY_MIME
from qrt_lab.magics.watch import StatusLines, watcher
from qrt_lab.widgets._poller import KernelPoller
from qrt_lab.widgets.reprs import WIDGET_MIME

Run = Callable[..., Any]

BELL_QASM2 = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
measure q -> c;
"""

BELL_QASM3 = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
cx q[0], q[1];
c = measure q;
"""


def one_line_error(run: Run, line: str, cell: str | None = None) -> str:
    with pytest.raises(UsageError) as info:
        run(line, cell)
    message = str(info.value)
    assert "\n" not in message
    return message


def column(table: Any, name: str) -> list[Any]:
    index = list(table.columns).index(name)
    return [row[index] for row in table.rows]


def histograms(displayed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    figures = [d["data"][PLOTLY_MIME] for d in displayed if PLOTLY_MIME in d["data"]]
    return [f for f in figures if f["data"][0]["type"] == "bar"]


def shown(shell: InteractiveShell, displayed: list[dict[str, Any]], value: Any) -> list[Any]:
    """What the magic displayed, then the bundle IPython makes of its return value.

    With ``%load_ext qrt_lab`` a result draws itself (static parts even without a kernel), so
    the magic leaves the figure to the returned value.
    """
    data, _ = shell.display_formatter.format(value)
    return [*displayed, {"data": data}]


@pytest.mark.parametrize("program", [BELL_QASM2, BELL_QASM3], ids=["qasm2", "qasm3"])
def test_sample_runs_the_cell_and_shows_the_histogram(
    shell: InteractiveShell, qruntime: Run, displayed: list[dict[str, Any]], program: str
) -> None:
    result = qruntime("sample --backend local_5q --shots 200 --optimization 2", program)
    counts = result[0].join_data().get_counts()
    assert sum(counts.values()) == 200
    assert counts.get("00", 0) + counts.get("11", 0) > 150  # a Bell pair, on a noisy device
    outputs = shown(shell, displayed, result)
    (figure,) = histograms(outputs)
    bars = dict(zip(figure["data"][0]["x"], figure["data"][0]["y"], strict=True))
    assert bars == counts
    (page,) = [d["data"]["text/html"] for d in outputs if PLOTLY_MIME in d["data"]]
    assert "data-qrt-figure='histogram'" in page
    assert all(f"<td>{key}</td><td>{n}</td>" in page for key, n in counts.items())


def test_underscore_holds_the_result(shell: InteractiveShell) -> None:
    cell = "%%qruntime sample --backend local_ideal --shots 64\n" + BELL_QASM2
    outcome = shell.run_cell(cell, store_history=True)
    assert outcome.success, outcome.error_in_exec
    result = shell.user_ns["_"]
    assert result is outcome.result
    assert set(result[0].data.c.get_counts()) <= {"00", "11"}


def test_sample_errors(qruntime: Run) -> None:
    no_measure = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nh q[0];\n'
    assert "measures nothing" in one_line_error(qruntime, "sample --backend local_5q", no_measure)
    assert "did you mean 'local_5q'" in one_line_error(
        qruntime, "sample --backend local5q", BELL_QASM2
    )
    assert "--backend" in one_line_error(qruntime, "sample", BELL_QASM2)
    assert "0, 1, 2 or 3" in one_line_error(
        qruntime, "sample --backend local_5q --optimization 5", BELL_QASM2
    )
    wide = "OPENQASM 2.0;\nqreg q[6];\ncreg c[6];\nmeasure q -> c;\n"
    message = one_line_error(qruntime, "sample --backend local_5q", wide)
    assert message.startswith("The program cannot run on local_5q (") and "backends" in message


def test_estimate_shows_expectation_values(
    shell: InteractiveShell, qruntime: Run, displayed: list[dict[str, Any]]
) -> None:
    program = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[0];\ncx q[0], q[1];\n'
    line = "estimate --backend local_ideal --observable ZZ --observable xx --observable ZI"
    result = qruntime(line, program)
    zz, xx, zi = result[0].data.evs
    assert zz == pytest.approx(1, abs=0.1) and xx == pytest.approx(1, abs=0.1)
    assert zi == pytest.approx(0, abs=0.1)
    outputs = shown(shell, displayed, result)
    (figure,) = [d["data"][PLOTLY_MIME] for d in outputs if PLOTLY_MIME in d["data"]]
    (trace,) = figure["data"]  # one labelled point each, not a line joining them
    assert trace["x"] == ["ZZ", "XX", "ZI"] and trace["mode"] == "markers"
    assert "error_y" in trace and trace["text"][0].startswith("⟨ZZ⟩ = ")
    assert figure["layout"]["xaxis"]["title"]["text"] == "observable"
    assert "2 letters" in one_line_error(
        qruntime, "estimate --backend local_ideal --observable Z", program
    )
    assert "I, X, Y, Z" in one_line_error(
        qruntime, "estimate --backend local_ideal --observable AB", program
    )
    assert "between 0 and 1" in one_line_error(
        qruntime, "estimate --backend local_ideal --observable ZZ --precision 2", program
    )


def submit(tags: list[str] | None = None) -> Any:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2

    backend = _active.service().backend("local_5q")
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(circuit)
    sampler = SamplerV2(mode=backend)
    if tags:
        sampler.options.environment.job_tags = tags
    return sampler.run([isa], shots=100)


def test_jobs_lists_and_filters(qruntime: Run) -> None:
    tagged = submit(tags=["magic-filter"])
    tagged.result(timeout=120)
    table = qruntime("jobs --limit 5")
    ids = [row[0] for row in table.rows]
    assert tagged.job_id() == ids[0] and len(ids) <= 5
    only = qruntime("jobs --tag magic-filter --backend local_5q")
    assert [row[0] for row in only.rows] == [tagged.job_id()]
    assert only.rows[0][1:4] == ("Completed", "sampler", "local_5q")
    assert qruntime("jobs --backend local_heron156 --tag magic-filter").rows == []
    assert all(row[1] in ("Queued", "In progress") for row in qruntime("jobs --pending").rows)


def test_jobs_listing_costs_no_request_per_job(
    qruntime: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    for job in [submit() for _ in range(3)]:
        job.wait_for_final_state(timeout=120)
    calls: list[str] = []
    original = httpx.HTTPTransport.handle_request

    def counting(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path.removeprefix('/api/v1')}")
        return original(transport, request)

    _active.forget()  # a new service object: no backend built yet
    _active.service().active_instance()
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", counting)
    cold = qruntime("jobs --limit 20")
    warm_calls = len(calls)
    qruntime("jobs --limit 20")
    monkeypatch.undo()
    backends = set(column(cold, "backend"))
    assert len(cold.rows) >= 3 and None not in backends
    configurations = [c for c in calls[:warm_calls] if c.endswith("/configuration")]
    assert sorted(configurations) == sorted(f"GET /backends/{b}/configuration" for b in backends)
    assert calls[:warm_calls].count("GET /jobs") == 1
    assert calls[warm_calls:] == ["GET /jobs"]  # the service keeps each backend it built


def test_job_shows_the_result_figure_when_done(
    shell: InteractiveShell,
    qruntime: Run,
    displayed: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    job = submit()
    job.result(timeout=120)
    result = qruntime(f"job {job.job_id()}")
    assert sum(result[0].data.meas.get_counts().values()) == 100
    assert capsys.readouterr().out.startswith(
        f"job {job.job_id()}: Completed (sampler on local_5q)"
    )
    assert len(histograms(shown(shell, displayed, result))) == 1


def test_job_says_why_it_failed(qruntime: Run, capsys: pytest.CaptureFixture[str]) -> None:
    from qiskit import QuantumCircuit
    from qiskit.primitives.containers.sampler_pub import SamplerPub

    from qrt_lab.runtime import codec

    raw = QuantumCircuit(2)
    raw.h(0)
    raw.ch(0, 1)  # not ISA: the client would refuse it, so submit it through the REST layer
    raw.measure_all()
    params = {"pubs": [codec.encode_sampler_pub(SamplerPub.coerce(raw, 10))], "options": {},
              "version": 2, "support_qiskit": True}  # fmt: skip
    body = {"program_id": "sampler", "backend": "local_5q", "params": params}
    service = _active.service()
    job = service.job(service._client().create_job(codec.dumps(body))["id"])
    job.wait_for_final_state(timeout=120)
    assert qruntime(f"job {job.job_id()}").job_id() == job.job_id()
    out = capsys.readouterr().out
    assert f"job {job.job_id()}: Failed" in out
    reason = next(line for line in out.splitlines() if line.startswith("reason: "))
    assert "1517" in reason and "What to do next:" in reason


def test_job_of_an_estimator_sweep_is_labelled_as_written(
    shell: InteractiveShell, qruntime: Run, displayed: list[dict[str, Any]]
) -> None:
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import EstimatorV2

    backend = _active.service().backend("local_5q")
    qc = QuantumCircuit(2)
    qc.ry(Parameter("θ"), 0)
    qc.cx(0, 1)
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)
    observables = [[SparsePauliOp(o).apply_layout(isa.layout)] for o in ("ZZ", "XX")]
    thetas = [[0.0], [1.0], [2.0]]
    job = EstimatorV2(mode=backend).run([(isa, observables, thetas)], precision=0.1)
    job.result(timeout=120)
    result = qruntime(f"job {job.job_id()}")
    outputs = shown(shell, displayed, result)
    (figure,) = [d["data"][PLOTLY_MIME] for d in outputs if PLOTLY_MIME in d["data"]]
    assert figure["layout"]["xaxis"]["title"]["text"] == "θ"
    assert [t["name"] for t in figure["data"]] == ["ZZ", "XX"]
    assert figure["data"][0]["x"] == [0.0, 1.0, 2.0]


def test_unknown_job_and_cancel_of_a_finished_job(qruntime: Run) -> None:
    message = one_line_error(qruntime, "job nope")
    assert message.startswith("RuntimeJobNotFound: Job not found: nope. Check the id")
    assert "Job not found" in one_line_error(qruntime, "cancel nope")
    done = submit()
    done.result(timeout=120)
    message = one_line_error(qruntime, f"cancel {done.job_id()}")
    assert message == f"Job {done.job_id()} cannot be cancelled: it is already completed."


def test_cancel_a_queued_job(qruntime: Run, capsys: pytest.CaptureFixture[str]) -> None:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2

    backend = _active.service().backend("local_5q")
    circuit = QuantumCircuit(5)
    circuit.h(0)
    for q in range(4):
        circuit.cx(q, q + 1)
    circuit.measure_all()
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(circuit)
    jobs = [SamplerV2(mode=backend).run([isa] * 10, shots=100_000) for _ in range(3)]
    for job in reversed(jobs):  # the last one is still queued: the service runs 2 at a time
        try:
            qruntime(f"cancel {job.job_id()}")
        except UsageError as err:
            assert "cannot be cancelled: it is already DONE" in str(err)
        else:
            assert capsys.readouterr().out == f"job {job.job_id()}: cancelled\n"
            assert job.status() == "CANCELLED"
    assert jobs[-1].status() == "CANCELLED"


def poller_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("qrt-lab", "qrt-job"))]


def test_watch_without_widgets_prints_status_lines_from_the_kernel_poller(
    qruntime: Run,
    capsys: pytest.CaptureFixture[str],
    kernel_poller: KernelPoller,
    wait_for: Callable[..., None],
) -> None:
    qruntime("watch")
    assert watcher.enabled and "job watch on" in capsys.readouterr().out
    try:
        jobs = [submit() for _ in range(3)]
        monitors = [watcher.monitors[job.job_id()] for job in jobs]
        assert all(isinstance(m, StatusLines) for m in monitors)
        assert poller_threads() in ([], ["qrt-lab job poller"])  # the widgets' one poller
        wait_for(lambda: not any(m.watching for m in monitors))
        for job, monitor in zip(jobs, monitors, strict=True):
            assert monitor.lines[-1] == f"job {job.job_id()}: sampler on local_5q: DONE"
        out = capsys.readouterr().out
        assert all(f"job {job.job_id()}: sampler on local_5q: DONE" in out for job in jobs)
        wait_for(lambda: not kernel_poller.running, timeout=10)  # nothing left to watch
    finally:
        qruntime("watch off")
    assert not watcher.enabled
    later = submit()
    assert later.job_id() not in watcher.monitors
    later.result(timeout=120)


def test_watch_in_a_widget_frontend_shows_a_job_monitor(
    qruntime: Run,
    displayed: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    kernel_poller: KernelPoller,
    wait_for: Callable[..., None],
) -> None:
    from qrt_lab.magics import _display
    from qrt_lab.widgets import JobMonitor

    monkeypatch.setattr(_display, "widgets_render", lambda: True)
    qruntime("watch")
    try:
        job = submit()
        monitor = watcher.monitors[job.job_id()]
        assert isinstance(monitor, JobMonitor) and monitor.watching
        shown = [d["data"] for d in displayed if WIDGET_MIME in d["data"]]
        assert [s[WIDGET_MIME]["model_id"] for s in shown] == [monitor.model_id]
        assert kernel_poller.running and poller_threads() == ["qrt-lab job poller"]
        wait_for(lambda: not monitor.watching)
        assert monitor.statuses == {job.job_id(): "DONE"}
        assert not monitor.result.children  # the magic or the cell shows the result, not twice
    finally:
        qruntime("watch off")


def test_a_result_that_draws_itself_is_not_drawn_twice(
    shell: InteractiveShell, qruntime: Run, displayed: list[dict[str, Any]]
) -> None:
    from qiskit.primitives import PrimitiveResult

    html = shell.display_formatter.formatters["text/html"]
    html.for_type(PrimitiveResult, lambda result: "<b>drawn by its formatter</b>")
    try:
        result = qruntime("sample --backend local_ideal --shots 16", BELL_QASM2)
        data, _ = shell.display_formatter.format(result)
    finally:
        html.pop(PrimitiveResult)
    assert sum(result[0].data.c.get_counts().values()) == 16
    assert histograms(displayed) == []
    assert data["text/html"] == "<b>drawn by its formatter</b>"
