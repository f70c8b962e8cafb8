"""Server-side ISA validation (spec §8.4): every instruction must run on its physical qubits.

Failures carry IBM's message and reason code 1517 and name the offending instruction and qubits.
Instructions inside control-flow blocks are checked on the outer qubits they map to.
"""

from __future__ import annotations

from collections.abc import Sequence

import qiskit
from qiskit.circuit import QuantumCircuit
from qiskit.circuit.exceptions import CircuitError

from qrt_lab.local.devices.model import DeviceModel, is_control_flow
from qrt_lab.local.job_errors import NON_ISA, JobFailure

__all__ = ["check_isa"]

_EXEMPT = frozenset({"barrier", "store"})
_ADVICE = (
    "Circuits do not match the target definition (non-ISA circuits). -- Transpile your circuits "
    "for the target before submitting a primitive query. For example, "
    "`transpile(circuit, backend)` or a preset pass manager from "
    "`generate_preset_pass_manager(backend=backend, optimization_level=1)`. -- https://ibm.biz/error_codes#1517"
)


def _fail(pub: int, detail: str) -> JobFailure:
    return JobFailure(f"{_ADVICE} (pub {pub}: {detail})", NON_ISA)


def _unreadable(circuit: QuantumCircuit, position: int, exc: CircuitError) -> str:
    name = circuit._data[position].name  # the raw name: the operation itself cannot be built
    hint = (
        " Give delays as a whole number of dt (unit 'dt'), with no parameter: Qiskit "
        f"{qiskit.__version__} cannot read other delays back from QPY."
        if name == "delay"
        else ""
    )
    return f"instruction {position} ({name}) cannot be read: {exc}.{hint}"


def _check_block(
    circuit: QuantumCircuit, physical: Sequence[int], model: DeviceModel, pub: int
) -> None:
    index = {bit: physical[i] for i, bit in enumerate(circuit.qubits)}
    for position, inst in enumerate(circuit.data):
        try:
            name = inst.operation.name
        except CircuitError as exc:  # Qiskit rebuilds some decoded instructions lazily
            raise _fail(pub, _unreadable(circuit, position, exc)) from None
        qubits = tuple(index[q] for q in inst.qubits)
        if name in _EXEMPT:
            continue
        if is_control_flow(name):
            if name not in model.supported:
                raise _fail(pub, f"the instruction {name} is not supported by {model.name}")
            for block in inst.operation.blocks:
                _check_block(block, qubits, model, pub)
            continue
        if name not in model.supported:
            raise _fail(
                pub, f"the instruction {name} on qubits {qubits} is not supported by {model.name}"
            )
        allowed = model.supported[name]
        if allowed is not None and qubits not in allowed:
            raise _fail(
                pub,
                f"the instruction {name} on qubits {qubits} is not supported by "
                f"{model.name} (not in its coupling map)",
            )
        bad = [q for q in qubits if q in model.faulty_qubits]
        if bad:
            raise _fail(pub, f"the instruction {name} uses faulty qubit(s) {bad} of {model.name}")
        if (name, qubits) in model.faulty_edges:
            raise _fail(
                pub,
                f"the instruction {name} on qubits {qubits} uses a faulty coupler of {model.name}",
            )


def check_isa(circuit: QuantumCircuit, model: DeviceModel, pub: int) -> None:
    """Raise :class:`JobFailure` (code 1517) unless ``circuit`` is an ISA circuit for the device.

    Args:
        circuit: A circuit whose qubit ``i`` is physical qubit ``i``.
        model: The device.
        pub: The pub index, for the message.
    """
    if circuit.num_qubits > model.num_qubits:
        raise _fail(
            pub,
            f"the circuit has {circuit.num_qubits} qubits but {model.name} has {model.num_qubits}",
        )
    _check_block(circuit, range(circuit.num_qubits), model, pub)
