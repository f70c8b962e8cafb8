"""A backend's calibration (any client) as :mod:`qrt_lab.runtime.summaries` arrays."""

from __future__ import annotations

from typing import Any

from qrt_lab.runtime.summaries.calibration import QUBIT_METRICS, Calibration, parse_calibration

__all__ = ["QUBIT_KEYS", "edge_errors", "read_calibration", "two_qubit_errors"]

#: Qubit metrics offered in the dropdowns, in order (the dashboard's, then gate errors).
QUBIT_KEYS = (*QUBIT_METRICS, "sx_error", "x_error", "id_error")


def read_calibration(backend: Any) -> Calibration | None:
    """The calibration of a backend, or None when it has no properties (a simulator).

    Works for qrt-lab's and qiskit-ibm-runtime's backends: both give the properties document
    through ``backend.properties().to_dict()``.
    """
    properties = backend.properties()
    if properties is None:
        return None
    document = properties.to_dict() if hasattr(properties, "to_dict") else dict(properties)
    return parse_calibration(document, int(getattr(backend, "num_qubits", 0)) or None)


def edge_errors(cal: Calibration) -> dict[str, dict[tuple[int, int], float | None]]:
    """Two-qubit gate name → ``{edge: error}``."""
    return {
        key[: -len("_error")]: dict(zip(cal.edges, values, strict=True))
        for key, values in cal.edge_metrics.items()
        if key.endswith("_error")
    }


def two_qubit_errors(cal: Calibration) -> list[float]:
    """Every two-qubit gate error, for distributions."""
    return [v for gate in edge_errors(cal).values() for v in gate.values() if v is not None]
