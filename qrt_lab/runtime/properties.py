"""``BackendProperties``: the calibration document with qiskit-ibm-runtime's accessors.

Values are returned in SI units (seconds, hertz), as the official client does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .api.documents import faulty_qubits, quantity
from .api.timestamps import parse_timestamp
from .exceptions import BackendPropertyError

__all__ = ["BackendProperties"]


def _date(value: Any) -> dt.datetime | None:
    return parse_timestamp(value) if isinstance(value, str) else None


def _qubits(qubits: int | Iterable[int] | None) -> tuple[int, ...] | None:
    if qubits is None:
        return None
    return (qubits,) if isinstance(qubits, int) else tuple(qubits)


class BackendProperties:
    """Calibration data of a backend (the ``GET /backends/{name}/properties`` document).

    Args:
        data: The properties document.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)
        self.backend_name = str(data.get("backend_name", ""))
        self.backend_version = str(data.get("backend_version", ""))
        self.last_update_date = _date(data.get("last_update_date"))
        self.qubits: list[list[dict[str, Any]]] = list(data.get("qubits") or [])
        self.gates: list[dict[str, Any]] = list(data.get("gates") or [])
        self.general: list[dict[str, Any]] = list(data.get("general") or [])

    def __repr__(self) -> str:
        return f"BackendProperties({self.backend_name!r}, last_update_date={self.last_update_date})"

    def to_dict(self) -> dict[str, Any]:
        """The properties document."""
        return dict(self._data)

    def qubit_property(self, qubit: int, name: str | None = None) -> Any:
        """``{name: (value, date)}`` for ``qubit``, or one ``(value, date)`` when ``name`` is given.

        Raises:
            BackendPropertyError: No such qubit or property.
        """
        if not 0 <= qubit < len(self.qubits):
            raise BackendPropertyError(f"Couldn't find the qubit {qubit} in the properties.")
        values = {p["name"]: (quantity(p), _date(p.get("date"))) for p in self.qubits[qubit]}
        if name is None:
            return values
        if name not in values:
            raise BackendPropertyError(f"Couldn't find the property {name!r} for qubit {qubit}.")
        return values[name]

    def gate_property(
        self, gate: str, qubits: int | Iterable[int] | None = None, name: str | None = None
    ) -> Any:
        """Gate parameters: ``{qubits: {name: (value, date)}}``, narrowed by ``qubits``/``name``.

        Raises:
            BackendPropertyError: No such gate, qubits or parameter.
        """
        found = {
            tuple(g.get("qubits") or []): {
                p["name"]: (quantity(p), _date(p.get("date"))) for p in g.get("parameters") or []
            }
            for g in self.gates
            if g.get("gate") == gate
        }
        if not found:
            raise BackendPropertyError(f"Could not find the desired property for {gate}.")
        wanted = _qubits(qubits)
        if wanted is None:
            return found
        if wanted not in found:
            raise BackendPropertyError(f"Could not find the desired property for {gate} {wanted}.")
        if name is None:
            return found[wanted]
        if name not in found[wanted]:
            raise BackendPropertyError(f"Could not find {name!r} for {gate} {wanted}.")
        return found[wanted][name]

    def faulty_qubits(self) -> list[int]:
        """Qubits marked non-operational."""
        return sorted(faulty_qubits(self._data))

    def faulty_gates(self) -> list[dict[str, Any]]:
        """Gate entries marked non-operational."""
        return [g for g in self.gates if not self.is_gate_operational(g["gate"], g.get("qubits"))]

    def is_gate_operational(self, gate: str, qubits: int | Iterable[int] | None = None) -> bool:
        """Whether the gate on ``qubits`` is operational (True when not stated)."""
        try:
            params = self.gate_property(gate, qubits)
        except BackendPropertyError:
            return True
        if qubits is None:
            return all(bool(p.get("operational", (1,))[0]) for p in params.values())
        return bool(params.get("operational", (1, None))[0])

    def is_qubit_operational(self, qubit: int) -> bool:
        """Whether ``qubit`` is operational (True when not stated)."""
        return qubit not in faulty_qubits(self._data)

    def gate_error(self, gate: str, qubits: int | Iterable[int]) -> float:
        """``gate_error`` of ``gate`` on ``qubits``."""
        return float(self.gate_property(gate, qubits, "gate_error")[0])

    def gate_length(self, gate: str, qubits: int | Iterable[int]) -> float:
        """``gate_length`` of ``gate`` on ``qubits`` in seconds."""
        return float(self.gate_property(gate, qubits, "gate_length")[0])

    def t1(self, qubit: int) -> float:
        """T1 of ``qubit`` in seconds."""
        return float(self.qubit_property(qubit, "T1")[0])

    def t2(self, qubit: int) -> float:
        """T2 of ``qubit`` in seconds."""
        return float(self.qubit_property(qubit, "T2")[0])

    def frequency(self, qubit: int) -> float:
        """Frequency of ``qubit`` in hertz."""
        return float(self.qubit_property(qubit, "frequency")[0])

    def readout_error(self, qubit: int) -> float:
        """Readout error of ``qubit``."""
        return float(self.qubit_property(qubit, "readout_error")[0])

    def readout_length(self, qubit: int) -> float:
        """Readout length of ``qubit`` in seconds."""
        return float(self.qubit_property(qubit, "readout_length")[0])
