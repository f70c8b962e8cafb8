"""Observables and parameters of an estimator PUB named as the user wrote them.

A layout-applied observable (``IIII…ZZ…I`` over 156 qubits) is shown by its non-identity part:
on the circuit's virtual qubits when the ISA circuit carries its layout (it travels in the job's
inputs), as the Pauli string the user wrote when that is short (``ZZ``), else with subscripts
(``Z₁₂Z₁₃``, physical qubits when the layout is unknown). Sums read as sums (``XXY + XYX +
YXX`` minus ``YYY``, with a typeset minus sign). A label has at most :data:`MAX_LABEL`
characters; the whole operator is kept for hover. No qiskit import: works on the decoded
inputs by duck typing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "MAX_LABEL",
    "observable_text",
    "parameter_grid",
    "pauli_text",
    "physical_to_virtual",
    "short_label",
]

#: Longest label a legend shows.
MAX_LABEL = 24
#: Pauli strings up to this many qubits are written out in full (``ZIZ``).
MAX_DENSE = 8
#: The minus sign of a sum (U+2212), as in typeset formulas.
MINUS = "\u2212"
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_PAULI = frozenset("IXYZ")


def pauli_text(label: str, virtual: Mapping[int, int] | None = None) -> str:
    """One Pauli string as the user wrote it (qiskit order: the last character is qubit 0).

    Args:
        label: ``"IIZZ"`` style label over the circuit's (physical) qubits.
        virtual: Physical qubit → virtual qubit of the circuit's layout, or None.
    """
    text = str(label)
    if not text or not set(text) <= _PAULI:
        return text
    n = len(text)
    ops = {q: text[n - 1 - q] for q in range(n) if text[n - 1 - q] != "I"}
    if virtual is not None and all(q in virtual for q in ops):
        ops = {virtual[q]: p for q, p in ops.items()}
        width = max(virtual.values(), default=-1) + 1
    else:
        width = n
    if not ops:
        return "I"
    if width <= MAX_DENSE:
        return "".join(ops.get(q, "I") for q in reversed(range(width)))
    return "".join(f"{ops[q]}{str(q).translate(_SUBSCRIPTS)}" for q in sorted(ops))


def _coefficient(value: Any) -> complex | None:
    if isinstance(value, Mapping) and {"real", "imag"} <= set(value):
        value = complex(float(value["real"]), float(value["imag"]))
    try:
        number = complex(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number.real) and math.isfinite(number.imag) else None


def _scale(c: complex) -> str:
    """The magnitude of a real coefficient as a prefix (``""`` for 1, ``"0.5·"``)."""
    if c.imag != 0:
        return f"({c.real:.4g}{c.imag:+.4g}j)·"
    size = abs(c.real)
    return "" if size == 1 else f"{size:.4g}·"


def observable_text(observable: Any, virtual: Mapping[int, int] | None = None) -> str:
    """The whole observable as a readable sum (``XXY + XYX + YXX``, ``0.5·ZZ`` minus ``2·XI``)."""
    if isinstance(observable, str):
        return pauli_text(observable, virtual)
    if not isinstance(observable, Mapping):
        return str(observable)
    parts: list[str] = []
    for pauli, raw in observable.items():
        c = _coefficient(raw)
        if c is None:
            parts.append(f"{raw}·{pauli_text(str(pauli), virtual)}")
            continue
        if c == 0:
            continue
        negative = c.imag == 0 and c.real < 0
        term = f"{_scale(c)}{pauli_text(str(pauli), virtual)}"
        if parts:
            parts.append(f"{MINUS if negative else '+'} {term}")
        else:
            parts.append(f"{MINUS}{term}" if negative else term)
    return " ".join(parts) or "0"


def short_label(text: str, limit: int = MAX_LABEL) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (the whole text goes to hover)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def physical_to_virtual(circuit: Any) -> dict[int, int] | None:
    """Physical qubit → virtual qubit of an ISA circuit's layout, or None when it has none."""
    layout = getattr(circuit, "layout", None)
    if layout is None:
        return None
    try:
        final = layout.final_index_layout(filter_ancillas=True)
    except (AttributeError, TypeError, ValueError, IndexError):
        return None
    return {int(physical): virtual for virtual, physical in enumerate(final)}


def parameter_grid(pub: Any) -> tuple[list[str], Any] | None:
    """The PUB's parameter names and values (``(*shape, n_params)`` array), or None."""
    import numpy as np

    if not isinstance(pub, Sequence) or len(pub) < 3:
        return None
    circuit, values = pub[0], pub[2]
    parameters = list(getattr(circuit, "parameters", []) or [])
    if not parameters or values is None:
        return None
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    if array.ndim == 0 or array.shape[-1] != len(parameters):
        return None
    return [str(getattr(p, "name", p)) for p in parameters], array
