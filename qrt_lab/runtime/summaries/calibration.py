"""Calibration arrays from a backend properties document: per qubit, per edge, and as CSV.

Pure data work (no tornado, no qiskit): the properties document of ``GET
/backends/{name}/properties`` becomes one array per metric, aligned with the qubit indices and
with a sorted list of undirected edges, so the frontend can colour the coupling map directly.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..api.documents import gate_entries, is_operational, named_items, quantity
from ..api.timestamps import parse_timestamp

__all__ = ["QUBIT_METRICS", "Calibration", "calibration_csv", "parse_calibration"]

#: Qubit metric key → (label, unit) in display order (IBM dashboard names).
QUBIT_METRICS: dict[str, tuple[str, str]] = {
    "T1": ("T1", "µs"),
    "T2": ("T2", "µs"),
    "frequency": ("Frequency", "GHz"),
    "anharmonicity": ("Anharmonicity", "GHz"),
    "readout_error": ("Readout error", ""),
    "prob_meas0_prep1": ("P(0|1)", ""),
    "prob_meas1_prep0": ("P(1|0)", ""),
    "readout_length": ("Readout length", "ns"),
}
#: One-qubit gates whose error is reported per qubit.
SINGLE_QUBIT_GATES = ("id", "sx", "x")


@dataclass
class Calibration:
    """Per-qubit and per-edge calibration arrays of one backend.

    Attributes:
        num_qubits: Number of qubits.
        qubit_metrics: Metric key → one value per qubit (None where missing).
        edges: Sorted undirected edges ``(low, high)`` that have two-qubit gate data.
        edge_metrics: ``"<gate>_error"`` / ``"<gate>_length"`` → one value per edge.
        faulty_qubits: Qubits whose ``operational`` property is false.
        faulty_edges: Edges with a two-qubit gate whose ``operational`` property is false.
        last_update: ``last_update_date`` of the document (ISO string) or None.
    """

    num_qubits: int
    qubit_metrics: dict[str, list[float | None]] = field(default_factory=dict)
    edges: list[tuple[int, int]] = field(default_factory=list)
    edge_metrics: dict[str, list[float | None]] = field(default_factory=dict)
    faulty_qubits: list[int] = field(default_factory=list)
    faulty_edges: list[tuple[int, int]] = field(default_factory=list)
    last_update: str | None = None

    def medians(self) -> dict[str, float | None]:
        """Median of every metric (errors of 1 count as undefined data and are skipped)."""
        out: dict[str, float | None] = {}
        for name, values in {**self.qubit_metrics, **self.edge_metrics}.items():
            usable = [
                v for v in values if v is not None and not (name.endswith("error") and v >= 1)
            ]
            out[name] = statistics.median(usable) if usable else None
        return out

    def age_seconds(self, now: datetime | None = None) -> float | None:
        """Seconds since ``last_update`` (None when the document has no date)."""
        stamp = parse_timestamp(self.last_update)
        if stamp is None:
            return None
        return ((now or datetime.now(timezone.utc)) - stamp).total_seconds()

    def to_json(self, now: datetime | None = None) -> dict[str, Any]:
        """Return the JSON-ready calibration block of a backend detail."""
        return {
            "last_update": self.last_update,
            "age_seconds": self.age_seconds(now),
            "qubit_metrics": {
                key: {"label": _label(key), "unit": _unit(key), "values": values}
                for key, values in self.qubit_metrics.items()
            },
            "edges": [list(e) for e in self.edges],
            "edge_metrics": {
                key: {"label": _label(key), "unit": _unit(key), "values": values}
                for key, values in self.edge_metrics.items()
            },
            "faulty_qubits": self.faulty_qubits,
            "faulty_edges": [list(e) for e in self.faulty_edges],
            "medians": self.medians(),
        }


def _label(key: str) -> str:
    if key in QUBIT_METRICS:
        return QUBIT_METRICS[key][0]
    gate, _, kind = key.rpartition("_")
    return f"{gate.upper() if len(gate) <= 3 else gate} {'error' if kind == 'error' else 'length'}"


def _unit(key: str) -> str:
    if key in QUBIT_METRICS:
        return QUBIT_METRICS[key][1]
    return "ns" if key.endswith("_length") else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _value(item: Mapping[str, Any] | None, unit: str) -> float | None:
    return _number(quantity(item, unit)) if item is not None else None


def parse_calibration(properties: dict[str, Any], num_qubits: int | None = None) -> Calibration:
    """Turn a properties document into per-qubit and per-edge arrays.

    Args:
        properties: The decoded JSON of ``GET /backends/{name}/properties``.
        num_qubits: Qubit count from the configuration (defaults to the document's).

    Returns:
        The calibration arrays; metrics absent from the document are left out.
    """
    qubits = properties.get("qubits") or []
    n = num_qubits if num_qubits is not None else len(qubits)
    cal = Calibration(num_qubits=n, last_update=properties.get("last_update_date"))
    per_qubit = [named_items(q) for q in qubits[:n]] + [{}] * max(0, n - len(qubits))
    for key, (_, unit) in QUBIT_METRICS.items():
        if any(key in q for q in per_qubit):
            cal.qubit_metrics[key] = [_value(q.get(key), unit) for q in per_qubit]
    cal.faulty_qubits = [i for i, q in enumerate(qubits[:n]) if not is_operational(q)]
    _parse_gates(properties, cal)
    return cal


def _parse_gates(properties: Mapping[str, Any], cal: Calibration) -> None:
    single: dict[str, list[float | None]] = {}
    pairs: dict[tuple[int, int], dict[str, float]] = {}
    faulty: set[tuple[int, int]] = set()
    for gate in gate_entries(properties):
        name, where = gate.gate, gate.qubits
        if len(where) == 1 and name in SINGLE_QUBIT_GATES and 0 <= where[0] < cal.num_qubits:
            values = single.setdefault(f"{name}_error", [None] * cal.num_qubits)
            values[where[0]] = _value(gate.items.get("gate_error"), "")
        elif len(where) == 2 and name:
            edge = (min(where), max(where))
            slot = pairs.setdefault(edge, {})
            for kind, unit in (("error", ""), ("length", "ns")):
                value = _value(gate.items.get(f"gate_{kind}"), unit)
                key = f"{name}_{kind}"
                # directed gates (ECR) are listed once per direction: keep the better one
                if value is not None and (key not in slot or value < slot[key]):
                    slot[key] = value
            if not gate.operational:
                faulty.add(edge)
    for key in ("sx_error", "x_error", "id_error"):
        if key in single:
            cal.qubit_metrics[key] = single[key]
    cal.edges = sorted(pairs)
    keys = sorted(
        {k for slot in pairs.values() for k in slot}, key=lambda k: (k.endswith("_length"), k)
    )
    cal.edge_metrics = {k: [pairs[e].get(k) for e in cal.edges] for k in keys}
    cal.faulty_edges = sorted(faulty)


def calibration_csv(cal: Calibration) -> str:
    """Render calibration data as CSV in the spirit of the IBM dashboard export.

    One row per qubit with every qubit metric, followed by one column per two-qubit metric listing
    ``"a_b:value"`` entries of the edges touching that qubit (separated by ``;``).

    Args:
        cal: Parsed calibration arrays.

    Returns:
        CSV text with a header row.
    """
    qubit_keys = list(cal.qubit_metrics)
    edge_keys = list(cal.edge_metrics)
    header = ["Qubit"]
    header += [_header(k) for k in qubit_keys]
    header += [_header(k) for k in edge_keys]
    header.append("Operational")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    touching: dict[int, list[int]] = {q: [] for q in range(cal.num_qubits)}
    for i, (a, b) in enumerate(cal.edges):
        touching[a].append(i)
        touching[b].append(i)
    faulty = set(cal.faulty_qubits)
    for q in range(cal.num_qubits):
        row: list[Any] = [q]
        row += [_cell(cal.qubit_metrics[k][q]) for k in qubit_keys]
        for key in edge_keys:
            values = cal.edge_metrics[key]
            row.append(
                ";".join(
                    f"{cal.edges[i][0]}_{cal.edges[i][1]}:{_cell(values[i])}"
                    for i in touching[q]
                    if values[i] is not None
                )
            )
        row.append("false" if q in faulty else "true")
        writer.writerow(row)
    return out.getvalue()


def _header(key: str) -> str:
    unit = _unit(key)
    return f"{_label(key)} ({unit})" if unit else _label(key)


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"
