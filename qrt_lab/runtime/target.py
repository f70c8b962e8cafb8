"""A transpiler ``Target`` from a backend's configuration and properties documents (spec §8.3).

Units are converted to SI (ns→s, µs→s, GHz→Hz). Faulty qubits (``operational`` = 0) and faulty
gates are left out, so the transpiler never maps onto them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from qiskit.circuit import Instruction, Parameter
from qiskit.circuit.controlflow import ForLoopOp, IfElseOp, SwitchCaseOp, WhileLoopOp
from qiskit.circuit.library.standard_gates import get_standard_gate_name_mapping
from qiskit.providers.backend import QubitProperties
from qiskit.transpiler import InstructionProperties, Target

from .api.documents import GateEntry, faulty_edges, faulty_qubits, gate_entries, qubit_values
from .exceptions import BackendConfigurationError

__all__ = [
    "FRACTIONAL_GATES",
    "NON_UNITARY",
    "build_target",
    "faulty_edges",
    "faulty_qubits",
    "strip_fractional",
]

NON_UNITARY = frozenset({"measure", "delay", "reset"})
CONTROL_FLOW = {"if_else": IfElseOp, "while_loop": WhileLoopOp, "for_loop": ForLoopOp}
CONTROL_FLOW["switch_case"] = SwitchCaseOp
FRACTIONAL_GATES = frozenset({"rzz", "rx", "ry", "rzx", "rxx", "ryy", "cp", "crx", "cry", "crz"})


def _gate_ok(entry: GateEntry, bad_qubits: set[int]) -> bool:
    return entry.operational and not set(entry.qubits) & bad_qubits


def strip_fractional(configuration: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``configuration`` without fractional gates (rzz, rx...)."""
    conf = dict(configuration)
    conf["basis_gates"] = [g for g in conf.get("basis_gates", []) if g not in FRACTIONAL_GATES]
    conf["gates"] = [g for g in conf.get("gates", []) if g.get("name") not in FRACTIONAL_GATES]
    if "supported_instructions" in conf:
        conf["supported_instructions"] = [
            g for g in conf["supported_instructions"] if g not in FRACTIONAL_GATES
        ]
    return conf


def _instruction_map(configuration: Mapping[str, Any]) -> dict[str, Any]:
    standard = get_standard_gate_name_mapping()
    supported = set(configuration.get("supported_instructions") or ["measure", "reset", "delay"])
    names = set(configuration.get("basis_gates") or []) | (supported & NON_UNITARY)
    names |= supported & set(CONTROL_FLOW)
    result: dict[str, Any] = {}
    for name in sorted(names):
        if name in CONTROL_FLOW:
            result[name] = CONTROL_FLOW[name]
        elif name in standard:
            result[name] = standard[name]
    for sig in configuration.get("instruction_signatures") or []:
        result[sig["name"]] = Instruction(
            name=sig["name"],
            num_qubits=sig.get("num_qubits", 1),
            num_clbits=sig.get("num_clbits", 0),
            params=[Parameter(p) for p in sig.get("parameters") or []],
        )
    return result


def _qubit_properties(properties: Mapping[str, Any], n_qubits: int) -> list[QubitProperties]:
    return [
        QubitProperties(t1=values.get("T1"), t2=values.get("T2"), frequency=values.get("frequency"))
        for values in qubit_values(properties, n_qubits)
    ]


def build_target(
    configuration: Mapping[str, Any], properties: Mapping[str, Any] | None = None
) -> Target:
    """Build the transpilation target of a backend.

    Args:
        configuration: The ``GET /backends/{name}/configuration`` document.
        properties: The ``GET /backends/{name}/properties`` document, or None (simulators).

    Returns:
        A ``Target`` with durations and errors, qubit T1/T2/frequency, timing constraints, and
        no faulty qubits or gates.

    Raises:
        BackendConfigurationError: ``n_qubits`` is missing or not an integer.
    """
    n_qubits = configuration.get("n_qubits")
    if not isinstance(n_qubits, int):
        raise BackendConfigurationError(
            f"Backend configuration of {configuration.get('backend_name')!r} has no integer "
            "'n_qubits'; the server sent an invalid configuration document."
        )
    kwargs: dict[str, Any] = {"num_qubits": n_qubits}
    if isinstance(configuration.get("dt"), (int, float)):
        kwargs["dt"] = float(configuration["dt"]) * 1e-9
    constraints = configuration.get("timing_constraints") or {}
    for key in ("granularity", "min_length", "pulse_alignment", "acquire_alignment"):
        if key in constraints:
            kwargs[key] = constraints[key]
    props = properties or {}
    bad_qubits = faulty_qubits(props)
    if props.get("qubits"):
        kwargs["qubit_properties"] = _qubit_properties(props, n_qubits)
    target = Target(description=configuration.get("backend_name"), **kwargs)

    gate_props: dict[str, dict[tuple[int, ...], InstructionProperties | None]] = {}
    for gate in configuration.get("gates") or []:
        for qargs in gate.get("coupling_map") or []:
            if not set(qargs) & bad_qubits:
                gate_props.setdefault(gate["name"], {})[tuple(qargs)] = None
    for entry in gate_entries(props):
        if not _gate_ok(entry, bad_qubits):
            gate_props.get(entry.gate, {}).pop(entry.qubits, None)
            continue
        gate_props.setdefault(entry.gate, {})[entry.qubits] = InstructionProperties(
            duration=entry.values.get("gate_length"), error=entry.values.get("gate_error")
        )
    good = [q for q in range(n_qubits) if q not in bad_qubits]
    if props.get("qubits"):
        gate_props["measure"] = {}
        per_qubit = qubit_values(props, n_qubits)
        for q in good:
            values = per_qubit[q]
            gate_props["measure"][(q,)] = InstructionProperties(
                duration=values.get("readout_length"), error=values.get("readout_error")
            )

    for name, instruction in _instruction_map(configuration).items():
        if name in CONTROL_FLOW:
            target.add_instruction(instruction, name=name)
            continue
        qarg_props = gate_props.get(name)
        # None: the documents do not say where it runs; {}: every place it runs is faulty
        if qarg_props is None and (name in NON_UNITARY or instruction.num_qubits == 1):
            qarg_props = {(q,): None for q in good}
        if qarg_props is None and instruction.num_qubits > 1:
            qarg_props = {tuple(e): None for e in configuration.get("coupling_map") or []}
            qarg_props = {k: v for k, v in qarg_props.items() if not set(k) & bad_qubits}
        bounds = [(0.0, math.pi / 2)] if name == "rzz" else None
        target.add_instruction(instruction, qarg_props, name=name, angle_bounds=bounds)
    return target
