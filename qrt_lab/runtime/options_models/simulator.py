"""Simulator options (used by local testing mode only)."""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from pydantic import AfterValidator, InstanceOf

from .base import BaseOptionsModel

__all__ = ["SimulatorOptions"]


def _check_layer_noise_model(value: Any) -> Any:
    from qiskit.circuit import BoxOp, CircuitInstruction
    from qiskit.quantum_info import PauliLindbladMap

    if value is None:
        return value
    for entry in value:
        if not (isinstance(entry, tuple | list) and len(entry) == 2):
            raise ValueError("each layer noise entry must be (box instruction, PauliLindbladMap).")
        instruction, noise = entry
        if not isinstance(instruction, CircuitInstruction) or not isinstance(
            instruction.operation, BoxOp
        ):
            raise ValueError("Found an instruction that does not contain a box.")
        if not isinstance(noise, PauliLindbladMap):
            raise ValueError("The noise of a layer must be a qiskit PauliLindbladMap.")
        if len(instruction.qubits) != noise.num_qubits:
            raise ValueError(
                f"Found instruction with {len(instruction.qubits)} qubits but a noise model "
                f"with {noise.num_qubits}."
            )
    return value


LayerNoiseModel: TypeAlias = Annotated[
    list[tuple[InstanceOf[object], InstanceOf[object]]] | None,
    AfterValidator(_check_layer_noise_model),
]


class SimulatorOptions(BaseOptionsModel):
    """Options for simulator execution."""

    angle_decimals: int = 5
    """Decimals kept when rounding rotation angles."""
    layer_noise_model: LayerNoiseModel = None
    """``[(box instruction, PauliLindbladMap), ...]`` noise injected per layer."""
    seed_simulator: int | None = None
    """Seed of the simulator."""
    warn_absent: bool = True
    """Warn when a layer has no noise model."""
