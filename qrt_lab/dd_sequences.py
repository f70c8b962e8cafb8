"""The platform's dynamical-decoupling sequences as gates and spacings.

Shared by the client's executor primitives (``qrt_lab.runtime.executor``) and the local service's
execution (``qrt_lab.local.execution``); it imports no other part of qrt-lab.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["SEQUENCE_TYPES", "dd_sequence"]

#: The ``dynamical_decoupling.sequence_type`` values the platform accepts.
SEQUENCE_TYPES = ("XX", "XpXm", "XY4")


def dd_sequence(sequence_type: str) -> tuple[list[Any], list[float]]:
    """Gates and spacing of ``XX``, ``XpXm`` or ``XY4`` in ``x`` and virtual ``rz``.

    ``-X`` is ``rz(pi) x rz(-pi)``, ``Y`` is ``rz(pi/2) x rz(-pi/2)``; each pulse sits centred in
    its slot (the platform's spacing), ready for Qiskit's ``PadDynamicalDecoupling``.

    Raises:
        ValueError: An unknown sequence type.
    """
    from qiskit.circuit.library import RZGate, XGate

    xp = [XGate()]
    xm = [RZGate(math.pi), XGate(), RZGate(-math.pi)]
    yp = [RZGate(math.pi / 2), XGate(), RZGate(-math.pi / 2)]
    ym = [RZGate(-math.pi / 2), XGate(), RZGate(math.pi / 2)]
    blocks = {"XX": [xp, xp], "XpXm": [xp, xm], "XY4": [xp, yp, xm, ym]}.get(sequence_type)
    if blocks is None:
        raise ValueError(
            f"Unknown sequence_type={sequence_type}; use one of {', '.join(SEQUENCE_TYPES)}."
        )
    slot = 1 / len(blocks)
    gates: list[Any] = []
    spacing: list[float] = []
    for index, block in enumerate(blocks):
        spacing.append(slot / 2 if index == 0 else slot)
        spacing.extend([0.0] * (len(block) - 1))
        gates.extend(block)
    spacing.append(slot / 2)
    return gates, spacing
