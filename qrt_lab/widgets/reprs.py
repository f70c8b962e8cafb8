"""Rich display: compact HTML summaries, live widgets, and result figures for IPython.

:func:`register` hands the formatters to :mod:`qrt_lab.runtime.display` (the client asks it from
``_repr_mimebundle_``, so the client never imports widgets); :func:`register_ipython` also
teaches IPython to draw Qiskit's ``PrimitiveResult`` and PUB results of any client. A live
widget is added only when a kernel with a widget frontend is running; beside it, every figure
carries its static parts (plotly JSON and an HTML table, see :mod:`.static`), and every bundle
keeps a readable ``text/plain``. Summaries use cached data only: displaying makes no request,
except the live widgets, which fetch what they show.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Container
from typing import Any

from qrt_lab.runtime import display
from qrt_lab.runtime.summaries import words

from .static import PLOTLY_MIME, STATIC_CLASS, with_image

__all__ = [
    "backend_bundle",
    "job_bundle",
    "register",
    "register_ipython",
    "result_bundle",
    "service_bundle",
    "session_bundle",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Qiskit result classes drawn after ``%load_ext qrt_lab`` (subclasses of other clients too).
RESULT_TYPES = (
    ("qiskit.primitives.containers.primitive_result", "PrimitiveResult"),
    ("qiskit.primitives.containers.sampler_pub_result", "SamplerPubResult"),
    ("qiskit.primitives.containers.pub_result", "PubResult"),
)


def _table(title: str, rows: list[tuple[str, str]], kind: str) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left;padding:1px 8px 1px 0'>{html.escape(k)}</th>"
        f"<td style='padding:1px 0'>{v}</td></tr>"
        for k, v in rows
    )
    return (
        f"<div class='{STATIC_CLASS}' data-qrt-figure='{kind}' "
        "style='font-family:var(--jp-ui-font-family);color:var(--jp-ui-font-color1)'>"
        f"<b>{html.escape(title)}</b><table>{cells}</table></div>"
    )


def _esc(value: Any) -> str:
    return html.escape("-" if value is None or value == "" else str(value))


def _kernel_has_widgets() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _with_widget(
    bundle: dict[str, Any], make: Callable[[], Any], include: Container[str] | None
) -> dict[str, Any]:
    if include is not None and WIDGET_MIME not in include:
        return bundle
    if not _kernel_has_widgets():
        return bundle
    try:
        widget = make()
    except Exception:  # noqa: BLE001 - the HTML summary still shows
        return bundle
    view = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    figure = _static_figure(widget)
    return {**bundle, **figure, WIDGET_MIME: view}


def _static_figure(widget: Any) -> dict[str, Any]:
    """The plotly figure of a live widget's static parts, for viewers without a kernel."""
    try:
        parts = widget.static_parts()
    except Exception:  # noqa: BLE001 - the summary still shows
        return {}
    return {PLOTLY_MIME: parts[PLOTLY_MIME]} if PLOTLY_MIME in parts else {}


def _filter(bundle: dict[str, Any], exclude: Container[str] | None) -> dict[str, Any]:
    if exclude is None:
        return bundle
    return {k: v for k, v in bundle.items() if k not in exclude or k == "text/plain"}


def backend_bundle(
    backend: Any, include: Container[str] | None = None, exclude: Container[str] | None = None
) -> dict[str, Any]:
    """A backend: name, qubits, processor, basis gates; live: its coupling map."""
    conf = backend.configuration() if callable(getattr(backend, "configuration", None)) else None
    processor = getattr(conf, "processor_type", None) if conf is not None else None
    family = processor.get("family") if isinstance(processor, dict) else processor
    gates = getattr(conf, "basis_gates", None) if conf is not None else None
    rows = [
        ("Qubits", _esc(getattr(backend, "num_qubits", None))),
        ("Processor", _esc(family)),
        ("Basis gates", _esc(", ".join(gates) if gates else None)),
        ("Instance", _esc(getattr(backend, "instance", None))),
        ("Simulator", "yes" if getattr(backend, "simulator", False) else "no"),
    ]
    bundle = {
        "text/plain": repr(backend),
        "text/html": _table(f"Backend {backend.name}", rows, "backend"),
    }

    def live() -> Any:
        from .coupling_map import CouplingMapView

        return CouplingMapView(backend)

    return _filter(_with_widget(bundle, live, include), exclude)


def job_bundle(
    job: Any, include: Container[str] | None = None, exclude: Container[str] | None = None
) -> dict[str, Any]:
    """A job: id, primitive, backend, status and reason; live: a :class:`JobMonitor`."""
    from .jobs import job_facts

    facts = job_facts(job)
    reason = getattr(job, "_reason", None)
    rows = [
        ("Primitive", _esc(facts["primitive"])),
        ("Backend", _esc(facts["backend"])),
        ("Status", f"<b>{_esc(words.status_word(facts['status']))}</b>"),
        ("Created", _esc(facts["created"])),
    ]
    if reason:
        rows.append(("Reason", _esc(reason)))
    text = f"{job!r} status={words.status_word(facts['status'])}"
    bundle = {"text/plain": text, "text/html": _table(f"Job {facts['id']}", rows, "job")}

    def live() -> Any:
        from .jobs import JobMonitor

        return JobMonitor(job)

    return _filter(_with_widget(bundle, live, include), exclude)


def session_bundle(
    session: Any, include: Container[str] | None = None, exclude: Container[str] | None = None
) -> dict[str, Any]:
    """A session or batch: id, backend, whether it accepts jobs; live: a SessionMonitor."""
    backend = session.backend() if callable(getattr(session, "backend", None)) else None
    rows = [
        ("Backend", _esc(backend)),
        ("Open in this client", "yes" if getattr(session, "is_active", False) else "no"),
    ]
    title = f"{type(session).__name__} {getattr(session, 'session_id', None) or '(no id)'}"
    bundle = {"text/plain": repr(session), "text/html": _table(title, rows, "session")}

    def live() -> Any:
        from .sessions import SessionMonitor

        return SessionMonitor(session)

    if getattr(session, "session_id", None):
        bundle = _with_widget(bundle, live, include)
    return _filter(bundle, exclude)


def service_bundle(
    service: Any, include: Container[str] | None = None, exclude: Container[str] | None = None
) -> dict[str, Any]:
    """A service: channel, URL and instance (never the API key); no live widget."""
    account = service.active_account() if callable(getattr(service, "active_account", None)) else {}
    rows = [
        ("Channel", _esc(account.get("channel"))),
        ("URL", _esc(account.get("url"))),
        ("Instance", _esc(account.get("instance"))),
    ]
    bundle = {
        "text/plain": repr(service),
        "text/html": _table("Qiskit Runtime service", rows, "service"),
    }
    return _filter(bundle, exclude)


def result_bundle(result: Any) -> dict[str, Any] | None:
    """A Qiskit result as a histogram or expectation plot (None when it holds neither).

    The bundle has the figure as plotly JSON, its key numbers as an HTML table and a text line;
    in a kernel with a widget frontend, also the live widget.
    """
    from . import _results as read
    from .results import result_widget

    try:
        pubs = read.pub_results(result)
    except TypeError:
        return None
    if not pubs or not (read.bit_registers(pubs[0]) or read.is_estimator_pub(pubs[0])):
        return None
    widget = result_widget(result)
    bundle: dict[str, Any] = {**with_image(widget.static_parts()), "text/plain": repr(result)}
    if _kernel_has_widgets():
        view = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
        bundle[WIDGET_MIME] = view
    else:
        widget.close()
    return bundle


def register() -> None:
    """Give the client's backends, jobs, sessions and services their rich display."""
    display.register_formatter("backend", backend_bundle)
    display.register_formatter("job", job_bundle)
    display.register_formatter("session", session_bundle)
    display.register_formatter("service", service_bundle)


def register_ipython(shell: Any) -> None:
    """Also draw Qiskit's ``PrimitiveResult`` and PUB results (any client) in ``shell``.

    Args:
        shell: The running IPython shell (``%load_ext qrt_lab`` passes it).
    """
    register()
    formatter = shell.display_formatter.mimebundle_formatter
    for module, name in RESULT_TYPES:
        formatter.for_type_by_name(module, name, _result_formatter)


def _result_formatter(result: Any, include: Any = None, exclude: Any = None) -> Any:
    return result_bundle(result)
