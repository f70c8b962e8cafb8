"""How long a circuit would occupy the device, and the quantum time a job is charged.

Durations come from the calibrated gate and readout lengths with an as-soon-as-possible
schedule; a job's charge is a fixed set-up time plus, per shot, the rep delay and the circuit.
"""

from __future__ import annotations

from collections.abc import Sequence

from qiskit.circuit import QuantumCircuit

from qrt_lab.billing import (
    IDEAL_GATE_SECONDS,
    IDEAL_MEASURE_SECONDS,
    JOB_OVERHEAD_SECONDS,
    asap_duration,
    delay_seconds,
    quantum_seconds,
)
from qrt_lab.local.devices.model import DeviceModel

__all__ = ["JOB_OVERHEAD_SECONDS", "circuit_duration", "delay_seconds", "quantum_seconds"]


def circuit_duration(circuit: QuantumCircuit, model: DeviceModel, physical: Sequence[int]) -> float:
    """Seconds from the first to the last instruction of a compact circuit (ASAP schedule).

    Args:
        circuit: A compact circuit whose qubit ``i`` is physical qubit ``physical[i]``.
        model: The device whose calibration gives the lengths.
        physical: The physical qubits.
    """
    steps = []
    for inst in circuit.data:
        qubits = [circuit.find_bit(q).index for q in inst.qubits]
        name = inst.operation.name
        if name == "delay":
            length = delay_seconds(inst.operation, model.dt)
        elif model.is_simulator:
            length = IDEAL_MEASURE_SECONDS if name == "measure" else IDEAL_GATE_SECONDS
        else:
            length = model.gate_length(name, tuple(physical[q] for q in qubits))
        steps.append((qubits, length))
    return asap_duration(steps, circuit.num_qubits)
