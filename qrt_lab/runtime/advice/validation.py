"""The advisor's boundary: which circuits and which backends, with errors that say what to do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from qiskit.circuit import QuantumCircuit
from qiskit.providers.exceptions import QiskitBackendNotFoundError

from ..exceptions import IBMInputValueError

__all__ = ["pick_backends", "validate_circuits", "validate_level"]

#: What a backend name can be (letters, digits, ``_``, ``-``, ``.``).
_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,100}")


def validate_circuits(circuits: Any) -> list[QuantumCircuit]:
    """``circuits`` as a non-empty list of circuits of one width.

    Raises:
        IBMInputValueError: empty, not circuits, circuits without qubits or of different widths.
    """
    if isinstance(circuits, QuantumCircuit):
        circuits = [circuits]
    if isinstance(circuits, (str, bytes)) or not isinstance(circuits, (Sequence, tuple, list)):
        raise IBMInputValueError(
            f"circuits must be a QuantumCircuit or a list of them, not {type(circuits).__name__}."
        )
    checked = list(circuits)
    if not checked:
        raise IBMInputValueError("circuits is empty: pass at least one QuantumCircuit.")
    for i, circuit in enumerate(checked):
        if not isinstance(circuit, QuantumCircuit):
            raise IBMInputValueError(
                f"circuits[{i}] is a {type(circuit).__name__}, not a QuantumCircuit."
            )
        if circuit.num_qubits == 0:
            raise IBMInputValueError(f"circuits[{i}] has no qubits; add at least one qubit.")
    widths = {c.num_qubits for c in checked}
    if len(widths) > 1:
        raise IBMInputValueError(
            f"the circuits have different numbers of qubits ({sorted(widths)}); they share one "
            "layout, so rank circuits of one width together."
        )
    return checked


def _by_name(service: Any, name: str) -> Any:
    try:
        if not _NAME.fullmatch(name):
            raise QiskitBackendNotFoundError(name)
        return service.backend(name)
    except QiskitBackendNotFoundError:
        known = ", ".join(sorted(b.name for b in service.backends())) or "none"
        raise QiskitBackendNotFoundError(
            f"No backend named {name[:80]!r} on this service; known backends: {known}."
        ) from None


def pick_backends(service: Any, backends: Sequence[Any] | None, width: int) -> list[Any]:
    """The backends to rank: the given names/objects, or every non-simulator backend.

    Raises:
        IBMInputValueError: ``backends`` is empty or of the wrong type, or every backend is
            narrower than ``width``.
        QiskitBackendNotFoundError: an unknown backend name.
    """
    if backends is None:
        chosen = list(service.backends(simulator=False))
    else:
        if isinstance(backends, (str, bytes)):
            backends = [backends]
        if not isinstance(backends, Sequence) or not backends:
            raise IBMInputValueError("backends must be a non-empty list of names or backends.")
        chosen = [_by_name(service, b) if isinstance(b, str) else b for b in backends]
        for b in chosen:
            if not hasattr(b, "target") or not hasattr(b, "name"):
                raise IBMInputValueError(f"{b!r} is not a backend name or backend object.")
    wide = [b for b in chosen if int(b.num_qubits) >= width]
    if not wide:
        widest = max((int(b.num_qubits) for b in chosen), default=0)
        raise IBMInputValueError(
            f"The circuits need {width} qubits but the widest backend considered has {widest}; "
            "use fewer qubits or other backends."
        )
    return wide


def validate_level(level: Any) -> int:
    """``level`` as a preset pass manager's optimization level (0 to 3).

    Raises:
        IBMInputValueError: anything but an int from 0 to 3.
    """
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
        raise IBMInputValueError(
            "optimization_level must be 0, 1, 2 or 3 (the preset pass managers), "
            f"got {level!r:.40}."
        )
    return level
