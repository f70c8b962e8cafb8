"""``execution.scheduler_timing``: an item's circuit scheduled on the device, as IBM's compiler.

IBM's compiler returns the schedule of each circuit as text, one hardware instruction per line:
``<branch>,<instruction>,<channel>,<t0>,<duration>,<pulse>`` in ``dt`` cycles (what
``draw_circuit_schedule_timing`` reads). The local service schedules the ISA circuit as soon as
possible with the calibrated gate and readout lengths (the schedule its quantum time is charged
by): gates on the drive channel ``Q<qubit>`` of each qubit they act on, measurements on the
readout channel ``AWGR<qubit>``, barriers as zero-length marks that align their qubits. Virtual
gates (``rz``) take no time and are left out, as the compiler's phase shifts are.
"""

from __future__ import annotations

from typing import Any

from qiskit.circuit import QuantumCircuit

from qrt_lab.local.devices.model import DeviceModel

from .timing import delay_seconds

__all__ = ["scheduler_timing"]

_IDEAL_GATE_SECONDS = 50e-9
_IDEAL_MEASURE_SECONDS = 1e-6


def _cycles(seconds: float, dt: float) -> int:
    return max(round(seconds / dt), 0)


def _length(name: str, qubits: tuple[int, ...], op: Any, model: DeviceModel) -> float:
    if name == "delay":
        return delay_seconds(op, model.dt)
    if model.is_simulator:
        return _IDEAL_MEASURE_SECONDS if name == "measure" else _IDEAL_GATE_SECONDS
    return model.gate_length(name, qubits)


def scheduler_timing(circuit: QuantumCircuit, model: DeviceModel) -> dict[str, Any]:
    """``{"timing": <schedule text>, "circuit_duration": <cycles>}`` of a full-width circuit."""
    clock: dict[int, int] = {}
    lines = []
    for inst in circuit.data:
        qubits = tuple(circuit.find_bit(q).index for q in inst.qubits)
        if not qubits:
            continue
        name = inst.operation.name
        start = max(clock.get(q, 0) for q in qubits)
        label = f"{name}_{'_'.join(map(str, qubits))}"
        if name == "barrier":
            lines += [f"main,barrier,Q{q},{start},0,barrier" for q in qubits]
            clock.update(dict.fromkeys(qubits, start))
            continue
        duration = _cycles(_length(name, qubits, inst.operation, model), model.dt)
        if duration == 0:
            continue
        prefix = "AWGR" if name == "measure" else "Q"
        lines += [f"main,{label},{prefix}{q},{start},{duration},{name}" for q in qubits]
        clock.update(dict.fromkeys(qubits, start + duration))
    return {"timing": "\n".join(lines), "circuit_duration": max(clock.values(), default=0)}
