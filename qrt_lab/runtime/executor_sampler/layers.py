"""The distinct boxed layers of sampler PUBs, as the official client's ``find_unique_layers``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..exceptions import IBMInputValueError

if TYPE_CHECKING:
    from ..options_models import SamplerOptions

__all__ = ["box_type", "unique_layers"]


def _boxed(circuit: Any, options: SamplerOptions) -> Any:
    from qiskit.circuit import ClassicalRegister
    from qiskit.circuit.exceptions import CircuitError
    from samplomatic.transpiler import generate_boxing_pass_manager

    twirling = options.twirling
    prepared = circuit.remove_final_measurements(inplace=False)
    try:
        prepared.add_register(ClassicalRegister(prepared.num_qubits, "_meas"))
    except CircuitError:
        raise IBMInputValueError(
            "Name `_meas` is reserved for a dedicated classical register."
        ) from None
    prepared.barrier()
    prepared.measure(prepared.qubits, prepared.cregs[-1])
    manager = generate_boxing_pass_manager(
        enable_gates=bool(twirling.enable_gates),
        enable_measures=True,
        twirling_strategy=twirling.strategy.replace("-", "_"),
        twirling_group=twirling.group,
        measure_annotations="all" if twirling.enable_measure else "change_basis",
        inject_noise_site="after",
        inject_noise_targets="none",
        inject_noise_strategy="no_modification",
        add_tags="unique_box",
    )
    return manager.run(prepared)


def box_type(instruction: Any) -> str:
    """``"gates"``, ``"measurement"`` or ``"unknown"``: what a box's body holds.

    Raises:
        IBMInputValueError: The instruction is not a box.
    """
    from samplomatic.utils import undress_box

    box = instruction.operation
    if box.name != "box":
        raise IBMInputValueError(f"Expected a 'box' but found '{box.name}'.")
    body = undress_box(box).body
    if len(body) == 0:
        return "gates"
    gates = all(op.is_standard_gate() or op.name == "barrier" for op in body)
    measures = all(op.name in ("measure", "barrier") for op in body)
    if gates and not measures:
        return "gates"
    if measures and not gates:
        return "measurement"
    return "unknown"


def unique_layers(circuits: Iterable[Any], options: SamplerOptions, types: str) -> list[Any]:
    """One instance of each distinct boxed layer of the circuits (``types``: gates or all)."""
    from samplomatic.utils import find_unique_box_instructions

    boxes = (box for circuit in circuits for box in _boxed(circuit, options))
    layers = find_unique_box_instructions(
        instructions=boxes, normalize_annotations=None, undress_boxes=True
    )
    wanted = ("gates", "measurement", "unknown") if types == "all" else ("gates",)
    return [layer for layer in layers if box_type(layer) in wanted]
