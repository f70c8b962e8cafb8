"""What the browser sees of backends: list rows and the detail view (no tornado, no qiskit).

:class:`BackendSummary` is built from one item of ``GET /backends`` (so the list costs one
request), :func:`backend_detail` from the configuration and properties documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .calibration import Calibration, parse_calibration

__all__ = [
    "BackendSummary",
    "backend_detail",
    "configuration_summary",
    "coupling_edges",
    "processor_name",
]

TWO_QUBIT_GATES = ("cz", "ecr", "cx", "rzz")


def processor_name(processor: Any) -> str | None:
    """``{"family": "Heron", "revision": "2"}`` → ``"Heron r2"`` (None when unknown)."""
    if isinstance(processor, str):
        return processor or None
    if not isinstance(processor, dict) or not processor.get("family"):
        return None
    name = str(processor["family"])
    if processor.get("revision") not in (None, ""):
        name += f" r{processor['revision']}"
    if processor.get("segment"):
        name += f" {processor['segment']}"
    return name


def _metric(metrics: dict[str, Any], key: str) -> float | None:
    value = metrics.get(key)
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class BackendSummary:
    """One row of the backend list.

    Attributes:
        name: Backend name.
        qubits: Number of qubits (None if the runtime does not say).
        status: ``online``, ``paused``, ``offline`` ...
        status_reason: The status reason text, if any.
        queue_length: Jobs waiting on the backend.
        processor_type: E.g. ``"Heron r2"``.
        is_simulator: Whether the device is a simulator.
        two_q_error_median: Median two-qubit gate error.
        two_q_error_best: Best two-qubit gate error.
        two_q_error_layered: Layered two-qubit error (EPLG).
        sx_error_median: Median SX error.
        readout_error_median: Median readout error.
        clops: CLOPS value.
    """

    name: str
    qubits: int | None
    status: str
    status_reason: str | None
    queue_length: int
    processor_type: str | None
    is_simulator: bool
    two_q_error_median: float | None
    two_q_error_best: float | None
    two_q_error_layered: float | None
    sx_error_median: float | None
    readout_error_median: float | None
    clops: float | None

    @classmethod
    def from_api(cls, item: dict[str, Any] | str) -> BackendSummary:
        """Build a row from one ``devices`` item of ``GET /backends`` (old API: a bare name)."""
        if isinstance(item, str):
            item = {"name": item}
        status = item.get("status") if isinstance(item.get("status"), dict) else {}
        metrics = item.get("performance_metrics") or {}
        clops = item.get("clops")
        qubits = item.get("qubits")
        queue = item.get("queue_length")
        return cls(
            name=str(item.get("name", "")),
            qubits=int(qubits) if isinstance(qubits, int) else None,
            status=str((status or {}).get("name") or item.get("status") or "unknown"),
            status_reason=(status or {}).get("reason"),
            queue_length=int(queue) if isinstance(queue, int) and queue > 0 else 0,
            processor_type=processor_name(item.get("processor_type")),
            is_simulator=bool(item.get("is_simulator", False)),
            two_q_error_median=_metric(metrics, "two_q_error_median"),
            two_q_error_best=_metric(metrics, "two_q_error_best"),
            two_q_error_layered=_metric(metrics, "two_q_error_layered"),
            sx_error_median=_metric(metrics, "sx_error_median"),
            readout_error_median=_metric(metrics, "readout_error_median"),
            clops=_metric({"clops": clops}, "clops"),
        )

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


def coupling_edges(edges: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    """The sorted, de-duplicated undirected edges of a (possibly directed) coupling map."""
    pairs = {(min(int(e[0]), int(e[1])), max(int(e[0]), int(e[1]))) for e in edges}
    return sorted(p for p in pairs if p[0] != p[1])


def configuration_summary(conf: dict[str, Any]) -> dict[str, Any]:
    """The facts of a configuration document a user chooses a backend by."""
    basis = list(conf.get("basis_gates") or [])
    features = list(conf.get("supported_features") or [])
    instructions = list(conf.get("supported_instructions") or [])
    return {
        "name": conf.get("backend_name"),
        "version": conf.get("backend_version"),
        "num_qubits": conf.get("n_qubits"),
        "processor_type": processor_name(conf.get("processor_type")),
        "basis_gates": basis,
        "two_qubit_gates": [g for g in TWO_QUBIT_GATES if g in basis],
        "supported_instructions": instructions,
        "dynamic_circuits": "qasm3" in features or "if_else" in instructions,
        "clops": conf.get("clops_h") or conf.get("clops"),
        "quantum_volume": conf.get("quantum_volume"),
        "online_date": conf.get("online_date"),
        "max_shots": conf.get("max_shots"),
        "max_experiments": conf.get("max_experiments"),
        "dt_ns": conf.get("dt"),
        "simulator": bool(conf.get("simulator", False)),
        "description": conf.get("description"),
    }


def backend_detail(
    conf: dict[str, Any], props: dict[str, Any] | None, now: datetime | None = None
) -> dict[str, Any]:
    """The backend detail view: configuration summary, calibration arrays and coupling edges.

    Args:
        conf: Configuration document.
        props: Properties document, or None (simulators have none).
        now: The time calibration age is measured against (default: now, UTC).

    Returns:
        ``{"configuration", "calibration", "coupling_map": {"edges"}}``; a consumer that draws
        adds coordinates (the server adds ``x`` and ``y`` from ``qrt_lab.plots.coupling_layout``).
    """
    n = int(conf.get("n_qubits") or 0)
    cal = parse_calibration(props, n) if props else Calibration(num_qubits=n)
    return {
        "configuration": configuration_summary(conf),
        "calibration": cal.to_json(now),
        "coupling_map": {
            "edges": [list(e) for e in coupling_edges(conf.get("coupling_map") or [])],
        },
    }
