"""``CouplingMapView``: a backend's coupling map coloured by a qubit and an edge metric."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import numpy as np
import traitlets

from qrt_lab.plots import coupling_layout, coupling_map_figure
from qrt_lab.runtime.summaries.calibration import Calibration

from ._calibration import QUBIT_KEYS, edge_errors, read_calibration
from ._theme import CSS, ThemeProbe, figure_widget, follow_theme, replace_figure
from .static import StaticRepr, rows_table, static_bundle

__all__ = [
    "CouplingMapView",
    "backend_edges",
    "backend_map_figure",
    "coupling_figure",
    "metric_options",
]

_LABELS = {
    "T1": "T1 (µs)",
    "T2": "T2 (µs)",
    "readout_error": "readout error",
    "prob_meas0_prep1": "P(0|1)",
    "prob_meas1_prep0": "P(1|0)",
    "frequency": "frequency (GHz)",
    "readout_length": "readout length (ns)",
    "sx_error": "SX error",
    "x_error": "X error",
    "id_error": "ID error",
    "anharmonicity": "anharmonicity (GHz)",
}


def _is_probability(metric: str) -> bool:
    return metric.endswith("_error") or metric.startswith("prob_")


def _no_stale(value: float | None) -> float | None:
    """An error of 1 on IBM devices means stale or undefined data, not a dead qubit."""
    return None if value is None or value >= 1 else value


def backend_edges(backend: Any) -> list[list[int]]:
    """The coupling map of a backend of any client, as ``[a, b]`` pairs."""
    configuration = getattr(backend, "configuration", None)
    if callable(configuration):
        edges = getattr(configuration(), "coupling_map", None)
        if edges:
            return [[int(a), int(b)] for a, b in edges]
    coupling = getattr(backend, "coupling_map", None)
    if coupling is not None and hasattr(coupling, "get_edges"):
        return [[int(a), int(b)] for a, b in coupling.get_edges()]
    return []


Options = list[tuple[str, str]]


def metric_options(
    cal: Calibration | None, qubit_metric: str, edge_metric: str | None
) -> tuple[Options, Options, str, str]:
    """The qubit and edge dropdown options of a calibration, and the metrics to show first.

    A metric the calibration lacks becomes ``""`` (none); ``edge_metric=None`` picks the first
    two-qubit gate.

    Returns:
        ``(qubit_options, edge_options, qubit_metric, edge_metric)``.
    """
    qubit_options = [("none", "")]
    edge_options = [("none", "")]
    if cal is not None:
        present = [m for m in QUBIT_KEYS if m in cal.qubit_metrics]
        qubit_options += [(_LABELS.get(m, m), m) for m in present]
        edge_options += [(f"{g.upper()} error", g) for g in edge_errors(cal)]
    if qubit_metric not in {value for _, value in qubit_options}:
        qubit_metric = ""
    if edge_metric is None:
        edge_metric = edge_options[1][1] if len(edge_options) > 1 else ""
    if edge_metric not in {value for _, value in edge_options}:
        edge_metric = ""
    return qubit_options, edge_options, qubit_metric, edge_metric


def coupling_figure(
    num_qubits: int,
    edges: list[list[int]],
    cal: Calibration | None,
    qubit_metric: str,
    edge_metric: str,
    layout: Any = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The plotly figure of a coupling map coloured by a qubit and an edge metric ("" for none).

    Errors of 1 (IBM's mark for stale or undefined data) are left uncoloured. Faulty qubits and
    edges are marked, and the edge colours have a key under the map, as in the sidebar (the same
    figure builder).
    """
    qubit_values = cal.qubit_metrics.get(qubit_metric) if cal and qubit_metric else None
    gate_errors = edge_errors(cal).get(edge_metric) if cal and edge_metric else None
    if qubit_values is not None and _is_probability(qubit_metric):
        qubit_values = [_no_stale(v) for v in qubit_values]
    edge_values = (
        {pair: _no_stale(v) for pair, v in gate_errors.items()} if gate_errors is not None else None
    )
    return coupling_map_figure(
        num_qubits,
        edges,
        qubit_values=qubit_values,
        qubit_metric=_LABELS.get(qubit_metric, qubit_metric),
        edge_values=edge_values,
        edge_metric=f"{edge_metric.upper()} error" if edge_metric else "",
        layout=layout,
        title=title,
        faulty_qubits=cal.faulty_qubits if cal else (),
        faulty_edges=cal.faulty_edges if cal else (),
        edge_key=True,
    )


def backend_map_figure(
    backend: Any,
    qubit_metric: str = "T1",
    edge_metric: str | None = None,
    *,
    calibration: Calibration | None = None,
) -> dict[str, Any]:
    """The figure a :class:`CouplingMapView` of ``backend`` first shows, without a widget."""
    cal = calibration or read_calibration(backend)
    _, _, qubit_metric, edge_metric = metric_options(cal, qubit_metric, edge_metric)
    edges = backend_edges(backend)
    num_qubits = int(backend.num_qubits)
    return coupling_figure(num_qubits, edges, cal, qubit_metric, edge_metric, title=backend.name)


class CouplingMapView(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """A coupling map with qubit- and edge-metric dropdowns (heavy-hex in IBM's brick layout).

    Args:
        backend: A backend of qrt-lab or qiskit-ibm-runtime (anything with ``num_qubits``,
            a coupling map and ``properties()``).
        qubit_metric: Qubit colour (``T1``, ``T2``, ``readout_error``, ...); empty for none.
        edge_metric: Two-qubit gate whose error colours the edges (``cz``, ``ecr``, ...);
            None picks the backend's.
    """

    qubit_metric = traitlets.Unicode("T1", help="Properties name of the qubit colour.")
    edge_metric = traitlets.Unicode("", help="Two-qubit gate whose error colours the edges.")

    def __init__(
        self,
        backend: Any,
        qubit_metric: str = "T1",
        edge_metric: str | None = None,
        *,
        calibration: Calibration | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.num_qubits = int(backend.num_qubits)
        self.edges = backend_edges(backend)
        self._layout = coupling_layout(self.num_qubits, self.edges)
        self.calibration = calibration or read_calibration(backend)
        qubit_options, edge_options, qubit_metric, edge_metric = metric_options(
            self.calibration, qubit_metric, edge_metric
        )
        self.set_trait("qubit_metric", qubit_metric)
        self.set_trait("edge_metric", edge_metric)
        self._probe = ThemeProbe()
        qubits = w.Dropdown(options=qubit_options, value=qubit_metric, description="qubits")
        edges = w.Dropdown(options=edge_options, value=edge_metric, description="edges")
        w.link((qubits, "value"), (self, "qubit_metric"))
        w.link((edges, "value"), (self, "edge_metric"))
        self.figure = figure_widget(self.figure_dict())
        follow_theme(self._probe, lambda: [self.figure])
        name = html.escape(str(getattr(backend, "name", "")))
        title = w.HTML(f"<b>{name}</b> <span class='qrt-muted'>{self.num_qubits} qubits</span>")
        self.children = [w.HTML(CSS), title, w.HBox([qubits, edges]), self.figure, self._probe]
        self.add_class("qrt-w")
        self.observe(self._redraw, names=["qubit_metric", "edge_metric"])

    def figure_dict(self) -> dict[str, Any]:
        """The plotly figure for the current metrics."""
        return coupling_figure(
            self.num_qubits,
            self.edges,
            self.calibration,
            self.qubit_metric,
            self.edge_metric,
            layout=self._layout,
        )

    def _redraw(self, _change: Any = None) -> None:
        replace_figure(self.figure, self.figure_dict())

    def static_parts(self) -> dict[str, Any]:
        """The map as plotly JSON, its size and metric summaries as an HTML table, text."""
        name = str(getattr(self.backend, "name", ""))
        couplers = {tuple(sorted(edge)) for edge in self.edges}
        rows: list[tuple[str, Any]] = [("qubits", self.num_qubits), ("couplers", len(couplers))]
        cal = self.calibration
        if cal is not None and self.qubit_metric:
            rows += _summary(_LABELS.get(self.qubit_metric, self.qubit_metric),
                             cal.qubit_metrics.get(self.qubit_metric) or [])  # fmt: skip
        if cal is not None and self.edge_metric:
            errors = edge_errors(cal).get(self.edge_metric) or {}
            rows += _summary(f"{self.edge_metric.upper()} error", list(errors.values()))
        table = rows_table("coupling map", f"{name} coupling map", ["", "value"], rows)
        text = f"CouplingMapView: {name}, {self.num_qubits} qubits"
        return static_bundle(self.figure_dict(), table, text)


def _summary(label: str, values: list[Any]) -> list[tuple[str, Any]]:
    """Median, min and max of a metric (missing values and errors of 1, i.e. stale, left out)."""
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and v == v]
    if "error" in label or label.startswith("P("):
        numbers = [v for v in numbers if v < 1]
    if not numbers:
        return [(f"{label}", "no data")]
    return [
        (f"{label} median", float(np.median(numbers))),
        (f"{label} min", min(numbers)),
        (f"{label} max", max(numbers)),
    ]
