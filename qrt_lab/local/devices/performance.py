"""Summary error metrics of a device, computed from its properties document (``GET /backends``)."""

from __future__ import annotations

import statistics
from typing import Any

__all__ = ["performance_metrics"]

TWO_QUBIT_GATES = ("cz", "ecr", "cx", "rzz")


def _param(entries: list[dict[str, Any]], name: str) -> float | None:
    for entry in entries:
        if entry.get("name") == name and isinstance(entry.get("value"), int | float):
            return float(entry["value"])
    return None


def performance_metrics(properties: dict[str, Any] | None) -> dict[str, Any] | None:
    """``two_q_error_best``/``_median`` and ``readout_error_median``, or None without properties.

    Errors of 1 mean "not calibrated" on IBM devices, so they are left out of the statistics.
    """
    if not properties:
        return None
    two_q: list[tuple[float, str, list[int]]] = []
    for gate in properties.get("gates") or []:
        if gate.get("gate") in TWO_QUBIT_GATES and len(gate.get("qubits") or []) == 2:
            error = _param(gate.get("parameters") or [], "gate_error")
            if error is not None and error < 1.0:
                two_q.append((error, str(gate["gate"]), list(gate["qubits"])))
    readout = [
        value
        for qubit in properties.get("qubits") or []
        if (value := _param(qubit, "readout_error")) is not None and value < 1.0
    ]
    metrics: dict[str, Any] = {}
    if two_q:
        best = min(two_q)
        metrics["two_q_error_best"] = {"value": best[0], "gate": best[1], "qubits": best[2]}
        metrics["two_q_error_median"] = {"value": statistics.median(e[0] for e in two_q)}
    if readout:
        metrics["readout_error_median"] = {"value": statistics.median(readout)}
    return metrics or None
