"""What ``NoiseLearnerV3`` can learn: twirled boxes of ISA gates on physical qubits."""

from __future__ import annotations

import math
from typing import Any

from ..exceptions import IBMInputValueError

__all__ = ["learning_protocol", "validate_instruction"]


def learning_protocol(instruction: Any) -> str | None:
    """``"pauli_lindblad"`` (a Clifford layer), ``"trex"`` (a measurement layer) or None.

    Raises:
        IBMInputValueError: The instruction is not a box.
    """
    from qiskit.exceptions import QiskitError
    from qiskit.quantum_info import Clifford
    from samplomatic.utils import undress_box

    box = instruction.operation
    if box.name != "box":
        raise IBMInputValueError(f"Expected a 'box' but found '{box.name}'.")
    body = undress_box(box).body
    if len(body) == 0:
        return "pauli_lindblad"
    active = [qubit for op in body for qubit in op.qubits if op.name != "barrier"]
    is_layer = len(active) == len(set(active))
    is_clifford = all(
        (op.is_standard_gate() and op.operation.num_qubits <= 2) or op.name == "barrier"
        for op in box.body
    )
    if is_clifford:
        try:
            Clifford(box.body)
        except QiskitError:
            is_clifford = False
    if is_layer and is_clifford:
        return "pauli_lindblad"
    only_measures = all(op.name in ("measure", "barrier") for op in body)
    if is_layer and only_measures and len(instruction.qubits) == len(active):
        return "trex"
    return None


def _box_problem(instruction: Any, target: Any) -> str:
    from qiskit.circuit import BoxOp, ControlFlowOp, ParameterExpression, QuantumRegister
    from samplomatic.annotations import Twirl
    from samplomatic.utils import get_annotation

    operation = instruction.operation
    if operation.name != "box":
        return f"Expected a 'box' but found '{operation.name}'."
    if not get_annotation(operation, Twirl):
        return "Found a box without a ``Twirl`` annotation."
    qreg = QuantumRegister(target.num_qubits, "q")
    outside = [qubit for qubit in instruction.qubits if qubit not in qreg]
    if outside:
        return (
            f"Every qubit must be part of {qreg}, but the following qubits are not part of "
            f"it: {outside}. Pass instructions of a circuit transpiled for the backend."
        )
    physical = {qubit: index for index, qubit in enumerate(qreg)}
    inner = dict(
        zip(operation.body.qubits, (physical[q] for q in instruction.qubits), strict=False)
    )
    for op in operation.body:
        qargs = tuple(inner[qubit] for qubit in op.qubits)
        if op.name != "barrier" and not target.instruction_supported(op.name, qargs):
            return (
                f"The instruction {op.name} on qubits {qargs} is not supported by the target "
                "system."
            )
        angle: Any = op.params[0] if op.name == "rzz" else None
        fixed = angle is not None and not isinstance(angle, ParameterExpression)
        if fixed and not 0.0 <= float(angle) <= math.pi / 2 + 1e-10:
            return (
                "'rzz' is supported only for angles in the range ``[0, pi/2]``, but an "
                f"angle ({angle}) outside of this range has been requested."
            )
        if isinstance(op.operation, ControlFlowOp | BoxOp):
            return (
                f"The instruction {op.name} on qubits {qargs} is not supported by the noise "
                "learner."
            )
    return ""


def validate_instruction(instruction: Any, target: Any) -> None:
    """Check one instruction before it is sent.

    Raises:
        IBMInputValueError: Not a twirled box, qubits outside the device, a non-ISA operation,
            or a box no learning protocol handles.
    """
    problem = _box_problem(instruction, target)
    if problem:
        raise IBMInputValueError(problem)
    if learning_protocol(instruction) is None:
        raise IBMInputValueError(
            "Found an instruction that cannot be learned by any of the supported learning "
            "protocols (a layer of Clifford gates, or a layer of measurements on all its qubits)."
        )
