"""``rank_backends``: where a set of circuits would come out best right now, and at what cost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qiskit.circuit import QuantumCircuit

from qrt_lab.billing import quantum_seconds

from ..exceptions import IBMInputValueError
from .calibration import DeviceCalibration, earlier_calibrations, read_calibration
from .candidate import Candidate
from .interaction import read_interaction
from .layouts import candidate_layouts
from .prediction import EARLIER_CALIBRATIONS, Prediction, predict_success, with_drift
from .transpiling import SEED, Transpiled, preset_layout, transpile_with_layout
from .usage import DEFAULT_SHOTS, circuit_seconds
from .usage_status import remaining_seconds
from .validation import pick_backends, validate_circuits, validate_level

__all__ = ["rank_backends"]

#: Layouts from the subgraph search transpiled and predicted per backend.
SEARCHED_LAYOUTS = 3


def _candidate(
    backend: Any,
    calibrations: Sequence[DeviceCalibration],
    transpiled: Transpiled,
    pending: int | None,
    remaining: float | None,
    shots: int,
    level: int,
) -> Candidate:
    calibration, *earlier = calibrations
    predictions = [predict_success(c, calibration) for c in transpiled.circuits]
    success = sum(p.success for p in predictions) / len(predictions)
    model = sum(p.uncertainty for p in predictions) / len(predictions)
    uncertainty, drift = with_drift(transpiled.circuits, success, model, earlier)
    seconds = quantum_seconds(
        ((shots, circuit_seconds(c, calibration)) for c in transpiled.circuits),
        calibration.rep_delay,
    )
    return Candidate(
        backend_name=calibration.name,
        layout=transpiled.layout,
        predicted_success=success,
        success_uncertainty=uncertainty,
        success_drift=drift,
        earlier_calibrations=len(earlier),
        error_budget=_budget(predictions),
        two_qubit_gates=sum(_two_qubit_gates(c) for c in transpiled.circuits),
        depth=max(c.depth() for c in transpiled.circuits),
        pending_jobs=pending,
        quantum_seconds=seconds,
        remaining_seconds=remaining,
        calibration_time=calibration.calibration_time,
        optimization_level=level,
        seed_transpiler=SEED,
        circuits=tuple(transpiled.circuits),
        backend=backend,
    )


def _budget(predictions: Sequence[Prediction]) -> dict[str, float]:
    budget = {"gates": 0.0, "readout": 0.0, "idle": 0.0}
    for p in predictions:
        for key, value in p.budget.items():
            budget[key] += value / len(predictions)
    return budget


def _two_qubit_gates(circuit: QuantumCircuit) -> int:
    return sum(
        1
        for inst in circuit.data
        if len(inst.qubits) == 2 and inst.operation.name not in ("barrier", "delay")
    )


def _pending(backend: Any) -> tuple[bool, int | None]:
    """``(operational, pending jobs)`` from the backend's status (one request)."""
    try:
        status = backend.status()
    except Exception:  # noqa: BLE001 - a missing status must not stop the ranking
        return True, None
    return bool(status.operational), int(status.pending_jobs)


def rank_for_backend(
    circuits: Sequence[QuantumCircuit],
    backend: Any,
    *,
    layouts: int = 1,
    optimization_level: int = 2,
    pending: int | None = None,
    remaining: float | None = None,
    shots: int = DEFAULT_SHOTS,
) -> list[Candidate]:
    """The best ``layouts`` candidates of one backend, best first (no status or usage calls).

    The preset transpiler's own layout is always among the layouts compared. Every candidate's
    circuits are transpiled with its layout fixed (:func:`.transpiling.pass_manager`, the same
    level and seed), so running :attr:`Candidate.transpile_options` reproduces them exactly.
    """
    calibration = read_calibration(backend)
    calibrations = [calibration, *earlier_calibrations(backend, calibration, EARLIER_CALIBRATIONS)]
    interaction = read_interaction(circuits)
    level = validate_level(optimization_level)
    layouts_tried = [preset_layout(circuits[0], backend, level)]
    for layout in candidate_layouts(interaction, calibration, keep=SEARCHED_LAYOUTS):
        if layout not in layouts_tried:
            layouts_tried.append(layout)
    found = [
        _candidate(
            backend,
            calibrations,
            transpile_with_layout(circuits, backend, layout, level),
            pending,
            remaining,
            shots,
            level,
        )
        for layout in layouts_tried
    ]
    found.sort(key=lambda c: -c.predicted_success)
    return found[: max(layouts, 1)]


def rank_backends(
    circuits: Any,
    service: Any,
    *,
    backends: Sequence[Any] | None = None,
    top: int = 5,
    layouts_per_backend: int = 1,
    shots: int = DEFAULT_SHOTS,
    optimization_level: int = 2,
) -> list[Candidate]:
    """Rank backends and layouts for ``circuits`` by predicted success, best first.

    For every backend (default: the service's operational, non-simulator backends with enough
    qubits), layouts are searched by subgraph matching scored on the calibration (plus the
    preset transpiler's own choice), the best few are transpiled, and each transpiled circuit's
    success is predicted from the calibration (see :mod:`.prediction` for what it counts).

    Args:
        circuits: One circuit or a list of circuits (virtual qubits; they share a layout).
        service: A ``QiskitRuntimeService``.
        backends: Backend names or backend objects (default: every eligible backend).
        top: How many candidates to return.
        layouts_per_backend: How many layouts of each backend may appear.
        shots: Shots per circuit for the quantum-seconds estimate.
        optimization_level: The preset pass manager's optimization level (0 to 3); each
            candidate keeps it (and its layout and seed) in ``transpile_options``.

    Returns:
        Up to ``top`` :class:`Candidate` objects, highest predicted success first (ties: the
        shorter queue first).

    Raises:
        IBMInputValueError: no circuits, something that is not a circuit, a circuit wider than
            every backend, a non-positive ``top`` or an ``optimization_level`` other than 0-3.
        QiskitBackendNotFoundError: a backend name the service does not know.
    """
    checked = validate_circuits(circuits)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise IBMInputValueError(f"top must be a positive int, got {top!r}.")
    level = validate_level(optimization_level)
    width = max(c.num_qubits for c in checked)
    chosen = pick_backends(service, backends, width)
    remaining = remaining_seconds(service)
    found: list[Candidate] = []
    for backend in chosen:
        operational, pending = _pending(backend)
        if not operational and backends is None:
            continue
        found += rank_for_backend(
            checked,
            backend,
            layouts=layouts_per_backend,
            optimization_level=level,
            pending=pending,
            remaining=remaining,
            shots=shots,
        )
    found.sort(key=lambda c: (-c.predicted_success, c.pending_jobs or 0, c.backend_name))
    return found[:top]
