"""Execution options of the executor program (qubit initialisation, repetition delay, timing)."""

from __future__ import annotations

from typing import Literal

from .base import BaseOptionsModel

__all__ = ["ExecutionOptions", "SamplerExecutionOptions"]


class ExecutionOptions(BaseOptionsModel):
    """How the QPU executes a quantum program."""

    init_qubits: bool = True
    """Reset the qubits to the ground state before each shot."""
    rep_delay: float | None = None
    """Delay between shots in seconds; None uses the backend's default."""
    scheduler_timing: bool = False
    """Return the compiled circuits' schedule timing in the item metadata."""
    stretch_values: bool = False
    """Return the values of circuit stretches in the item metadata."""


class SamplerExecutionOptions(ExecutionOptions):
    """Execution options of the client-side Sampler."""

    meas_type: Literal["classified", "kerneled", "avg_kerneled"] = "classified"
    """Classified bits, IQ points per shot, or IQ points averaged over the shots."""
