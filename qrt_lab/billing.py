"""The quantum seconds a job is billed: one formula, shared by the local service and the client.

A job is charged a fixed set-up time plus, for every execution of a circuit, the repetition
delay and the circuit's duration: ``JOB_OVERHEAD_SECONDS + sum(shots * (rep_delay + duration))``.
A circuit's duration is its as-soon-as-possible (ASAP) schedule: every instruction starts when
the last of its qubits is free. The local service bills with these functions
(``qrt_lab.local.execution.timing``) and the advisor estimates with them before submission
(``qrt_lab.runtime.advice``), so the two agree. This module imports no other part of qrt-lab.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "IDEAL_GATE_SECONDS",
    "IDEAL_MEASURE_SECONDS",
    "JOB_OVERHEAD_SECONDS",
    "asap_duration",
    "delay_seconds",
    "quantum_seconds",
]

#: Fixed per-job time (loading, compilation on the control system) charged on real devices.
JOB_OVERHEAD_SECONDS = 2.0
#: Length of a gate, and of a measurement, on a simulator (it has no calibration).
IDEAL_GATE_SECONDS = 50e-9
IDEAL_MEASURE_SECONDS = 1e-6

_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12}


def asap_duration(steps: Iterable[tuple[Sequence[int], float]], num_qubits: int) -> float:
    """Seconds from the first to the last instruction of an ASAP schedule.

    Args:
        steps: ``(qubit indices, length in seconds)`` of every instruction, in circuit order
            (instructions without qubits are skipped).
        num_qubits: Number of qubits the indices range over.
    """
    clock = [0.0] * num_qubits
    for qubits, length in steps:
        if not qubits:
            continue
        end = max(clock[q] for q in qubits) + length
        for q in qubits:
            clock[q] = end
    return max(clock, default=0.0)


def delay_seconds(op: object, dt: float) -> float:
    """A delay's duration in seconds (0 when it is parameterised)."""
    duration = getattr(op, "params", [0])[0] if getattr(op, "params", None) else 0
    unit = getattr(op, "unit", "dt")
    scale = _UNITS.get(unit)
    try:
        value = float(duration)
    except (TypeError, ValueError):
        return 0.0
    return value * scale if scale is not None else value * dt


def quantum_seconds(executions: Iterable[tuple[int, float]], rep_delay: float) -> float:
    """Charged time: overhead plus ``shots * (rep_delay + duration)`` per execution.

    Args:
        executions: ``(shots, circuit duration in seconds)`` of every circuit execution (a
            parameterised circuit bound to ``k`` rows counts ``k * shots``).
        rep_delay: Seconds between shots.
    """
    total = JOB_OVERHEAD_SECONDS
    for shots, duration in executions:
        total += shots * (rep_delay + duration)
    return round(total, 6)
