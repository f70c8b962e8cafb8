"""Client-side dynamical decoupling of a ``QuantumProgram``'s circuits (the official sequences)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...dd_sequences import dd_sequence
from ..exceptions import IBMInputValueError

if TYPE_CHECKING:
    from ..options_models import DynamicalDecouplingOptions
    from ..quantum_program import QuantumProgram

__all__ = ["apply_dynamical_decoupling", "dd_sequence"]


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
