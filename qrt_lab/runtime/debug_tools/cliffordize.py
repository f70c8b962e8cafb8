"""``ConvertISAToClifford``: rounds the rotation angles of an ISA circuit to Clifford angles."""

from __future__ import annotations

import math
import random
from typing import Any

from qiskit.circuit import Barrier, Measure
from qiskit.circuit.library import (
    CXGate,
    CZGate,
    ECRGate,
    IGate,
    RXGate,
    RZGate,
    RZZGate,
    SXGate,
    XGate,
)
from qiskit.transpiler.basepasses import TransformationPass

__all__ = ["ConvertISAToClifford"]

SUPPORTED_INSTRUCTIONS = (
    CXGate,
    CZGate,
    ECRGate,
    RZZGate,
    IGate,
    RZGate,
    RXGate,
    SXGate,
    XGate,
    Barrier,
    Measure,
)
_ROTATIONS = {RZGate: RZGate, RXGate: RXGate, RZZGate: RZZGate}


def _clifford_angle(angle: Any) -> float:
    if isinstance(angle, float):
        rest = angle % (math.pi / 2)
        return angle - rest if rest < math.pi / 4 else angle + math.pi / 2 - rest
    return random.choice([0, math.pi / 2, math.pi, 3 * math.pi / 2])


class ConvertISAToClifford(TransformationPass):  # type: ignore[misc]
    """Turn an ISA circuit into a Clifford circuit.

    ``rz``, ``rx`` and ``rzz`` angles are rounded to the nearest multiple of pi/2; unbound
    parameters get a random multiple of pi/2. Other supported ISA instructions are Clifford
    already.

    Raises:
        ValueError: An instruction outside the ISA set (``cx, cz, ecr, rzz, id, rz, rx, sx, x,
            barrier, measure``).
    """

    def run(self, dag: Any) -> Any:
        """Replace the rotations of ``dag`` in place and return it."""
        for node in dag.op_nodes():
            if not isinstance(node.op, SUPPORTED_INSTRUCTIONS):
                raise ValueError(f"Operation ``{node.op.name}`` not supported.")
            gate = _ROTATIONS.get(type(node.op))
            if gate is not None:
                dag.substitute_node(node, gate(_clifford_angle(node.op.params[0])), inplace=True)
        return dag
