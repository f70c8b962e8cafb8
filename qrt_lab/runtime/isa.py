"""Client-side ISA validation before submission (spec §8.4).

Circuits must already be transpiled for the backend ("ISA circuits"); a circuit the target cannot
run is rejected here with an error that says how to transpile it, instead of failing on the
service minutes later.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from qiskit.circuit import ControlFlowOp, ParameterExpression, QuantumCircuit
from qiskit.transpiler import Target

from .exceptions import IBMInputValueError

__all__ = ["TRANSPILE_HINT", "check_isa"]

TRANSPILE_HINT = (
    "Circuits that do not match the target hardware definition are not supported. Transpile "
    "first: `from qiskit.transpiler import generate_preset_pass_manager; "
    "isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(circuit)`, "
    "and for EstimatorV2 map observables with `observable.apply_layout(isa.layout)`."
)
_EXEMPT = frozenset({"barrier", "store", "box"})
_RZZ_MAX = math.pi / 2 + 1e-10


def _rzz_ok(value: object) -> bool:
    if isinstance(value, ParameterExpression):
        if value.parameters:
            return True  # checked against the bound values in check_isa
        value = float(value)
    return isinstance(value, (int, float)) and 0 <= float(value) <= _RZZ_MAX


def _check_block(
    circuit: QuantumCircuit, qubit_map: Sequence[int], target: Target, name: str
) -> None:
    for instruction in circuit.data:
        operation = instruction.operation
        qargs = tuple(qubit_map[circuit.find_bit(q).index] for q in instruction.qubits)
        if operation.name in _EXEMPT:
            continue
        if isinstance(operation, ControlFlowOp):
            if not target.instruction_supported(operation.name):
                raise IBMInputValueError(
                    f"The instruction {operation.name} on qubits {qargs} is not supported by the "
                    f"target system {name}. {TRANSPILE_HINT}"
                )
            for block in operation.blocks:
                _check_block(block, qargs, target, name)
            continue
        if not target.instruction_supported(operation.name, qargs):
            raise IBMInputValueError(
                f"The instruction {operation.name} on qubits {qargs} is not supported by the "
                f"target system {name}. {TRANSPILE_HINT}"
            )
        if operation.name == "rzz" and not _rzz_ok(operation.params[0]):
            raise IBMInputValueError(
                f"The rzz angle {operation.params[0]} on qubits {qargs} is outside [0, pi/2], "
                f"which {name} does not support. {TRANSPILE_HINT}"
            )


def check_isa(circuit: QuantumCircuit, target: Target, backend_name: str) -> None:
    """Raise ``IBMInputValueError`` if ``circuit`` is not an ISA circuit for ``target``.

    Args:
        circuit: The circuit of a PUB.
        target: The backend's target.
        backend_name: Used in the message.
    """
    if circuit.num_qubits > target.num_qubits:
        raise IBMInputValueError(
            f"Circuit {circuit.name!r} has {circuit.num_qubits} qubits but {backend_name} has only "
            f"{target.num_qubits}. {TRANSPILE_HINT}"
        )
    _check_block(circuit, list(range(circuit.num_qubits)), target, backend_name)
