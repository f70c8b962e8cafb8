"""``BackendBrowser``: a table of a service's backends and the detail of the chosen one."""

from __future__ import annotations

import html
import statistics
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import ipywidgets as w
import traitlets

from qrt_lab.plots import calibration_cdf_figure
from qrt_lab.runtime.summaries import words
from qrt_lab.runtime.summaries.calibration import Calibration

from ._calibration import read_calibration, two_qubit_errors
from ._theme import CSS, ThemeProbe, figure_widget, follow_theme
from .static import StaticRepr, rows_table, static_bundle

__all__ = ["COLUMNS", "BackendBrowser", "backend_row", "calibrated_html", "calibrated_text"]


def calibrated_text(cal: Calibration | None, now: datetime | None = None) -> str:
    """How old the calibration is, ``"648 d ago ⚠ stale"`` past ``STALE_CALIBRATION_DAYS``."""
    seconds = cal.age_seconds(now) if cal is not None else None
    if seconds is None:
        return "no calibration data"
    age = words.age(seconds)
    return f"{age} {words.STALE_MARK}" if words.calibration_is_stale(seconds) else age


def calibrated_html(cal: Calibration | None, now: datetime | None = None) -> str:
    """``Calibrated 648 d ago ⚠ stale``, the mark in the warning colour with why as its title."""
    seconds = cal.age_seconds(now) if cal is not None else None
    text = calibrated_text(cal, now)
    if not words.calibration_is_stale(seconds):
        return f'<span class="qrt-muted">Calibrated</span> {html.escape(text)}'
    age = html.escape(text.removesuffix(words.STALE_MARK).strip())
    mark = (
        f'<span class="qrt-stale" title="{html.escape(words.STALE_CALIBRATION_HINT)}">'
        f"{html.escape(words.STALE_MARK)}</span>"
    )
    return f'<span class="qrt-muted">Calibrated</span> {age} {mark}'


def backend_row(backend: Any, cal: Calibration | None) -> dict[str, str]:
    """What the table shows of one backend (cached status; calibration medians)."""
    try:
        status = backend.status()
        state = "online" if status.operational else "paused"
        pending = str(status.pending_jobs)
    except Exception:  # noqa: BLE001 - an unreachable status shows as unknown
        state, pending = "unknown", "-"
    medians = cal.medians() if cal else {}
    errors = two_qubit_errors(cal) if cal else []
    usable = [e for e in errors if e < 1]
    return {
        "name": str(backend.name),
        "qubits": str(backend.num_qubits),
        "status": state,
        "pending": pending,
        "2q": words.error_rate(statistics.median(usable) if usable else None),
        "readout": words.error_rate(medians.get("readout_error")),
        "t1": words.number(medians.get("T1"), 3),
    }


#: ``(backend_row key, column title)`` of the backend table, in order.
COLUMNS = [("name", "Backend"), ("qubits", "Qubits"), ("status", "Status"),
           ("pending", "Pending jobs"), ("2q", "Median 2Q error"),
           ("readout", "Median readout error"), ("t1", "Median T1 (µs)")]  # fmt: skip


class BackendBrowser(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """Every backend of a service in a table; pick one for its coupling map and calibration.

    Args:
        service: A ``QiskitRuntimeService`` of qrt-lab or qiskit-ibm-runtime.
        backend: The backend selected first (defaults to the first one).
        backends: The backends to show (e.g. filtered); defaults to ``service.backends()``.
    """

    selected = traitlets.Unicode("", help="Name of the backend shown in the detail.")

    def __init__(
        self, service: Any, backend: str | None = None, *, backends: Iterable[Any] | None = None
    ) -> None:
        super().__init__()
        self.service = service
        chosen = service.backends() if backends is None else backends
        self.backends = {b.name: b for b in chosen}
        self.calibrations = {name: read_calibration(b) for name, b in self.backends.items()}
        self.rows = [backend_row(b, self.calibrations[n]) for n, b in self.backends.items()]
        self._probe = ThemeProbe()
        self.table = w.HTML(self._table_html())
        names = list(self.backends)
        picker = w.Dropdown(options=names, description="backend")
        self.detail = w.VBox()
        w.link((picker, "value"), (self, "selected"))
        self.observe(self._show, names="selected")
        cdf_data: dict[str, dict[str, Any]] = {
            name: {
                "T1": cal.qubit_metrics.get("T1") or [],
                "T2": cal.qubit_metrics.get("T2") or [],
                "readout_error": cal.qubit_metrics.get("readout_error") or [],
                "two_qubit_error": two_qubit_errors(cal),
            }
            for name, cal in self.calibrations.items()
            if cal is not None
        }
        self._cdf_figure = calibration_cdf_figure(cdf_data, title="calibration (CDF)")
        self.cdf = figure_widget(self._cdf_figure)
        self.cdf.layout.height = 320
        follow_theme(self._probe, self._figures)
        tabs = w.Tab(children=[self.detail, self.cdf], selected_index=0)
        tabs.set_title(0, "Coupling map")
        tabs.set_title(1, "Calibration CDFs")
        self.children = [w.HTML(CSS), self.table, picker, tabs, self._probe]
        self.add_class("qrt-w")
        if names:
            # the link already set ``selected`` from the dropdown, so draw it explicitly
            self.selected = (
                backend if backend is not None and backend in self.backends else names[0]
            )
            self._show({"new": self.selected})

    def static_parts(self) -> dict[str, Any]:
        """The calibration CDFs as plotly JSON, the backend table as HTML, text."""
        rows = [[row[key] for key, _ in COLUMNS] for row in self.rows]
        table = rows_table("backends", "Backends", [label for _, label in COLUMNS], rows)
        text = "BackendBrowser: " + ", ".join(self.backends)
        return static_bundle(self._cdf_figure, table, text)

    def _figures(self) -> list[Any]:
        views = [c.figure for c in self.detail.children if hasattr(c, "figure")]
        return [self.cdf, *views]

    def _table_html(self) -> str:
        head = "".join(f"<th>{label}</th>" for _, label in COLUMNS)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(row[key])}</td>" for key, _ in COLUMNS) + "</tr>"
            for row in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def _show(self, change: dict[str, Any]) -> None:
        from .coupling_map import CouplingMapView

        name = change["new"]
        backend = self.backends[name]
        cal = self.calibrations.get(name)
        self.detail.children = [
            CouplingMapView(backend, calibration=cal),
            w.HTML(calibrated_html(cal)),
        ]
