"""Reading backend configuration and properties documents: NDUV values and the one faulty rule.

A properties document lists qubit and gate parameters as NDUV items (``name``, ``date``,
``unit``, ``value``). :func:`quantity` reads one value in SI units (seconds, hertz) or in a unit
of the caller's choice; :func:`is_operational` holds the one rule for what is faulty: an
``operational`` item whose value is 0 (or false). A missing or non-numeric ``operational`` item
means operational, as on IBM devices that do not report it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "GateEntry",
    "faulty_edges",
    "faulty_qubits",
    "gate_entries",
    "is_operational",
    "named_items",
    "quantity",
    "qubit_values",
    "values",
]

_SCALE = {"": 1.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
_SCALE |= {"hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9}


def quantity(item: Mapping[str, Any], unit: str | None = None) -> float | None:
    """The numeric value of one NDUV item, in SI units or in ``unit``.

    Args:
        item: ``{"name", "unit", "value", ...}``.
        unit: The unit wanted (``"µs"``, ``"GHz"``, ``"ns"`` ...); None for SI.

    Returns:
        The value as a float (exactly as sent when the item is already in ``unit``), or None
        when it is not a number.
    """
    value = item.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    have = _unit(item.get("unit"))
    if unit is not None and have == _unit(unit):
        return float(value)
    si = float(value) * _SCALE.get(have, 1.0)
    return si if unit is None else si / _SCALE.get(_unit(unit), 1.0)


def _unit(unit: Any) -> str:
    return str(unit or "").lower().replace("µ", "u")


def named_items(items: Iterable[Any]) -> dict[str, Mapping[str, Any]]:
    """NDUV items by name (items that are not objects are skipped)."""
    return {str(item.get("name")): item for item in items if isinstance(item, Mapping)}


def values(items: Iterable[Any]) -> dict[str, float | None]:
    """Every NDUV item's value in SI units, by name."""
    return {name: quantity(item) for name, item in named_items(items).items()}


def is_operational(items: Iterable[Any]) -> bool:
    """The faulty rule: False when an ``operational`` item has the value 0 (or false)."""
    item = named_items(items).get("operational")
    if item is None:
        return True
    value = item.get("value")
    return not (isinstance(value, int | float) and value == 0)


def qubit_values(
    properties: Mapping[str, Any] | None, num_qubits: int | None = None
) -> list[dict[str, float | None]]:
    """Per-qubit SI values, padded with empty dicts up to ``num_qubits``."""
    rows = list((properties or {}).get("qubits") or [])
    n = len(rows) if num_qubits is None else num_qubits
    return [values(rows[q]) if q < len(rows) else {} for q in range(n)]


def faulty_qubits(properties: Mapping[str, Any] | None) -> set[int]:
    """Qubits whose ``operational`` item is 0."""
    rows = (properties or {}).get("qubits") or []
    return {index for index, qubit in enumerate(rows) if not is_operational(qubit)}


@dataclass(frozen=True)
class GateEntry:
    """One gate entry of a properties document.

    Attributes:
        gate: Gate name.
        qubits: The operands.
        values: Parameter name → value in SI units.
        operational: The faulty rule applied to the gate's own parameters.
        items: The raw NDUV items by name (for values in other units).
    """

    gate: str
    qubits: tuple[int, ...]
    values: dict[str, float | None]
    operational: bool
    items: dict[str, Mapping[str, Any]]


def gate_entries(properties: Mapping[str, Any] | None) -> Iterator[GateEntry]:
    """Every gate entry of the document, in document order."""
    for gate in (properties or {}).get("gates") or []:
        if not isinstance(gate, Mapping):
            continue
        qubits = list(gate.get("qubits") or [])
        if not all(isinstance(q, int) for q in qubits):
            continue
        params = list(gate.get("parameters") or [])
        yield GateEntry(
            gate=str(gate.get("gate") or ""),
            qubits=tuple(qubits),
            values=values(params),
            operational=is_operational(params),
            items=named_items(params),
        )


def faulty_edges(properties: Mapping[str, Any] | None) -> set[tuple[int, ...]]:
    """Operands of multi-qubit gates that are faulty or touch a faulty qubit."""
    bad = faulty_qubits(properties)
    return {
        entry.qubits
        for entry in gate_entries(properties)
        if len(entry.qubits) > 1 and (not entry.operational or set(entry.qubits) & bad)
    }
