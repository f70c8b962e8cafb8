"""Client-side dynamical decoupling of a ``QuantumProgram``'s circuits (the official sequences)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..exceptions import IBMInputValueError

if TYPE_CHECKING:
    from ..options_models import DynamicalDecouplingOptions
    from ..quantum_program import QuantumProgram

__all__ = ["apply_dynamical_decoupling", "dd_sequence"]


def dd_sequence(sequence_type: str) -> tuple[list[Any], list[float]]:
    """The gates and spacing of ``XX``, ``XpXm`` or ``XY4`` (pulses centred in their slots).

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
        raise ValueError(f"Unknown sequence_type={sequence_type}.")
    slot = 1 / len(blocks)
    gates: list[Any] = []
    spacing: list[float] = []
    for index, block in enumerate(blocks):
        spacing.append(slot / 2 if index == 0 else slot)
        spacing.extend([0] * (len(block) - 1))
        gates.extend(block)
    spacing.append(slot / 2)
    return gates, spacing


def _pass_manager(target: Any, options: DynamicalDecouplingOptions) -> Any:
    from qiskit.transpiler import PassManager
    from qiskit.transpiler.passes import (
        ALAPScheduleAnalysis,
        ASAPScheduleAnalysis,
        PadDelay,
        PadDynamicalDecoupling,
        TimeUnitConversion,
    )

    gates, spacing = dd_sequence(options.sequence_type)
    schedule = ALAPScheduleAnalysis if options.scheduling_method == "alap" else ASAPScheduleAnalysis
    manager = PassManager()
    if target.dt is not None:
        manager.append(TimeUnitConversion(target=target))
    manager.append(schedule(target=target))
    manager.append(
        PadDynamicalDecoupling(
            skip_reset_qubits=options.skip_reset_qubits,
            dd_sequence=gates,
            spacing=spacing,
            extra_slack_distribution=options.extra_slack_distribution,
            target=target,
        )
    )
    manager.append(PadDelay(target=target))
    return manager


def apply_dynamical_decoupling(
    program: QuantumProgram, options: DynamicalDecouplingOptions, target: Any
) -> QuantumProgram:
    """Pad the idle periods of every item's circuit with the DD sequence (in place).

    Raises:
        IBMInputValueError: No target (timing is needed), or a circuit with control flow.
    """
    if target is None:
        raise IBMInputValueError(
            "Dynamical decoupling needs the backend's target (gate durations): run on a backend."
        )
    manager = _pass_manager(target, options)
    for item in program.items:
        if item.circuit.has_control_flow_op():
            raise IBMInputValueError(
                "Dynamical decoupling is not compatible with dynamic circuits (circuits with "
                "control flow operations): set options.dynamical_decoupling.enable = False."
            )
        item.circuit = manager.run(item.circuit)
    return program
