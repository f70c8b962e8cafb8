"""How long a circuit would occupy the device, and the quantum time a job is charged.

Durations come from the calibrated gate and readout lengths with an as-soon-as-possible
schedule; a job's charge is a fixed set-up time plus, per shot, the rep delay and the circuit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qiskit.circuit import QuantumCircuit

from qrt_lab.local.devices.model import DeviceModel

__all__ = ["JOB_OVERHEAD_SECONDS", "circuit_duration", "delay_seconds", "quantum_seconds"]

#: Fixed per-job time (loading, compilation on the control system) charged on real devices.
JOB_OVERHEAD_SECONDS = 2.0
_IDEAL_GATE_SECONDS = 50e-9
_IDEAL_MEASURE_SECONDS = 1e-6


def circuit_duration(circuit: QuantumCircuit, model: DeviceModel, physical: Sequence[int]) -> float:
    """Seconds from the first to the last instruction of a compact circuit (ASAP schedule).

    Args:
        circuit: A compact circuit whose qubit ``i`` is physical qubit ``physical[i]``.
        model: The device whose calibration gives the lengths.
        physical: The physical qubits.
    """
    clock = [0.0] * circuit.num_qubits
    for inst in circuit.data:
        qubits = [circuit.find_bit(q).index for q in inst.qubits]
        if not qubits:
            continue
        name = inst.operation.name
        if name == "delay":
            length = delay_seconds(inst.operation, model.dt)
        elif model.is_simulator:
            length = _IDEAL_MEASURE_SECONDS if name == "measure" else _IDEAL_GATE_SECONDS
        else:
            length = model.gate_length(name, tuple(physical[q] for q in qubits))
        end = max(clock[q] for q in qubits) + length
        for q in qubits:
            clock[q] = end
    return max(clock, default=0.0)


def delay_seconds(op: object, dt: float) -> float:
    """A delay's duration in seconds (0 when it is parameterised)."""
    duration = getattr(op, "params", [0])[0] if getattr(op, "params", None) else 0
    unit = getattr(op, "unit", "dt")
    scale = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12}.get(unit)
    try:
        value = float(duration)
    except (TypeError, ValueError):
        return 0.0
    return value * scale if scale is not None else value * dt


def quantum_seconds(executions: Iterable[tuple[int, float]], rep_delay: float) -> float:
    """Charged time: overhead plus ``shots * (rep_delay + duration)`` per execution."""
    total = JOB_OVERHEAD_SECONDS
    for shots, duration in executions:
        total += shots * (rep_delay + duration)
    return round(total, 6)
