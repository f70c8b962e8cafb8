"""``QuantumProgram``: samplomatic's program model, plus the semantic role a primitive gives it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from samplomatic.quantum_program import CircuitItem, QuantumProgramItem, SamplexItem
from samplomatic.quantum_program import QuantumProgram as SamplomaticQuantumProgram

if TYPE_CHECKING:
    from qiskit.quantum_info import PauliLindbladMap

__all__ = ["CircuitItem", "QuantumProgram", "QuantumProgramItem", "SamplexItem"]


class QuantumProgram(SamplomaticQuantumProgram):  # type: ignore[misc]
    """A program for ``Executor``: circuit items and samplex items run with one ``shots`` value.

    It is samplomatic's ``QuantumProgram`` (``append_circuit_item``, ``append_samplex_item``,
    ``items``, ``noise_maps``, ``meas_level``, ``passthrough_data``). The private
    ``_semantic_role`` ("sampler_v2", "estimator_v2", "noise_learner_v3") is set by the
    client-side primitives so the result is post-processed into their result types; third-party
    code should neither set nor read it.

    Args:
        shots: Shots per element of every item.
        items: Initial items.
        noise_maps: Pauli-Lindblad maps that samplex items refer to by name.
        meas_level: "classified", "kerneled", "avg_kerneled" or "both".
        passthrough_data: Nested dicts/lists of scalars and arrays returned unchanged.
    """

    def __init__(
        self,
        shots: int,
        items: Iterable[QuantumProgramItem] | None = None,
        noise_maps: dict[str, PauliLindbladMap] | None = None,
        meas_level: Literal["classified", "kerneled", "avg_kerneled", "both"] = "classified",
        passthrough_data: Any = None,
    ) -> None:
        super().__init__(
            shots=shots,
            items=items,
            noise_maps=noise_maps,
            meas_level=meas_level,
            passthrough_data=passthrough_data,
        )
        self._semantic_role: str | None = None

    @classmethod
    def from_(cls, program: SamplomaticQuantumProgram) -> QuantumProgram:
        """The same program as a ``QuantumProgram`` of this client."""
        return cls(
            shots=program.shots,
            items=program.items,
            noise_maps=program.noise_maps,
            meas_level=program.meas_level,
            passthrough_data=program.passthrough_data,
        )
