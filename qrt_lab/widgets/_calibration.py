"""Per-qubit and per-edge calibration arrays from a backend's ``properties()`` (any client).

Read through the ``BackendProperties`` document (``to_dict()``), which qrt-lab and
qiskit-ibm-runtime both provide; values are in the document's units (µs, ns, probabilities).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["QUBIT_METRICS", "TWO_QUBIT_GATES", "BackendCalibration", "read_calibration"]

#: Qubit metric keys shown in the dropdowns (properties-document names).
QUBIT_METRICS = ("T1", "T2", "readout_error", "prob_meas0_prep1", "prob_meas1_prep0",
                 "frequency", "readout_length", "sx_error", "x_error")  # fmt: skip
#: Two-qubit gates whose errors colour the edges.
TWO_QUBIT_GATES = ("cz", "ecr", "rzz", "cx")


@dataclass
class BackendCalibration:
    """Calibration arrays aligned with the qubit indices and the undirected edges."""

    num_qubits: int
    qubits: dict[str, list[float | None]] = field(default_factory=dict)
    edges: dict[str, dict[tuple[int, int], float]] = field(default_factory=dict)

    def two_qubit_errors(self) -> list[float]:
        """Every two-qubit gate error, for distributions."""
        return [v for gate in self.edges.values() for v in gate.values()]


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _params(items: Iterable[Any]) -> dict[str, Any]:
    return {str(i.get("name")): i.get("value") for i in items if isinstance(i, dict)}


def read_calibration(backend: Any) -> BackendCalibration | None:
    """The calibration of a backend, or None when it has no properties (a simulator)."""
    properties = backend.properties()
    if properties is None:
        return None
    document = properties.to_dict() if hasattr(properties, "to_dict") else dict(properties)
    num_qubits = int(getattr(backend, "num_qubits", 0) or len(document.get("qubits") or []))
    cal = BackendCalibration(num_qubits)
    for index, qubit in enumerate(document.get("qubits") or []):
        for name, value in _params(qubit).items():
            cal.qubits.setdefault(name, [None] * num_qubits)
            if index < num_qubits:
                cal.qubits[name][index] = _number(value)
    for gate in document.get("gates") or []:
        qubits = [int(q) for q in gate.get("qubits") or []]
        error = _number(_params(gate.get("parameters") or []).get("gate_error"))
        name = str(gate.get("gate"))
        if error is None:
            continue
        if len(qubits) == 1 and name in ("sx", "x") and qubits[0] < num_qubits:
            cal.qubits.setdefault(f"{name}_error", [None] * num_qubits)[qubits[0]] = error
        elif len(qubits) == 2 and name in TWO_QUBIT_GATES:
            pair = (min(qubits), max(qubits))
            cal.edges.setdefault(name, {})[pair] = error
    return cal
