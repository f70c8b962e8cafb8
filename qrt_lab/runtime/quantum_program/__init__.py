"""``QuantumProgram`` and its items (samplomatic's model), schema v2.0 on the wire."""

from .program import CircuitItem, QuantumProgram, QuantumProgramItem, SamplexItem

__all__ = ["CircuitItem", "QuantumProgram", "QuantumProgramItem", "SamplexItem"]
