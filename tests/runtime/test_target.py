"""Targets built from the real IBM device documents, faulty parts removed, ISA validation."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime.exceptions import IBMInputValueError
from qrt_lab.runtime.isa import check_isa
from qrt_lab.runtime.target import build_target, strip_fractional

DEVICES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "devices"
NAMES = ["manila", "brisbane", "torino", "fez"]


def load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = DEVICES / name
    if not folder.is_dir():
        pytest.skip(f"device documents not found at {folder}")
    conf = json.loads((folder / f"conf_{name}.json").read_text())
    props = json.loads((folder / f"props_{name}.json").read_text())
    return conf, props


@pytest.mark.parametrize("name", NAMES)
def test_real_device_is_a_transpilation_target(name: str) -> None:
    conf, props = load(name)
    target = build_target(conf, props)
    assert target.num_qubits == conf["n_qubits"]
    assert target.dt == pytest.approx(conf["dt"] * 1e-9)
    assert {"measure", "reset", "delay", "if_else"} <= set(target.operation_names)
    two_q = next(g for g in conf["basis_gates"] if g in ("cx", "ecr", "cz"))
    assert len(target[two_q]) == len(
        {tuple(g["qubits"]) for g in props["gates"] if g["gate"] == two_q}
    )
    t1_us = next(p["value"] for p in props["qubits"][0] if p["name"] == "T1")
    assert target.qubit_properties[0].t1 == pytest.approx(t1_us * 1e-6)
    gate = next(g for g in props["gates"] if g["gate"] == two_q)
    error = next(p["value"] for p in gate["parameters"] if p["name"] == "gate_error")
    assert target[two_q][tuple(gate["qubits"])].error == pytest.approx(error)
    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    circuit.measure_all()
    isa = generate_preset_pass_manager(optimization_level=1, target=target, seed_transpiler=1).run(
        circuit
    )
    check_isa(isa, target, name)
    with pytest.raises(IBMInputValueError, match="not supported by the target"):
        check_isa(circuit, target, name)


def test_faulty_qubit_and_gate_are_removed() -> None:
    conf, props = load("manila")
    props = copy.deepcopy(props)
    props["qubits"][4].append(
        {"date": "2024-01-01T00:00:00Z", "name": "operational", "unit": "", "value": 0}
    )
    cx01 = next(g for g in props["gates"] if g["gate"] == "cx" and g["qubits"] == [0, 1])
    cx01["parameters"].append(
        {"date": "2024-01-01T00:00:00Z", "name": "operational", "unit": "", "value": 0}
    )
    target = build_target(conf, props)
    assert (4,) not in target["measure"] and (4,) not in target["sx"]
    assert (0, 1) not in target["cx"] and (1, 0) in target["cx"]
    assert not any(4 in qargs for qargs in target["cx"])


def test_control_flow_blocks_are_checked_and_rzz_bounds() -> None:
    conf, props = load("manila")
    target = build_target(conf, props)
    circuit = QuantumCircuit(5, 1)
    circuit.measure(0, 0)
    with circuit.if_test((circuit.clbits[0], 1)):
        circuit.h(2)  # h is not a basis gate
    with pytest.raises(IBMInputValueError, match="instruction h on qubits \\(2,\\)"):
        check_isa(circuit, target, "manila")
    wide = QuantumCircuit(6)
    with pytest.raises(IBMInputValueError, match="has 6 qubits"):
        check_isa(wide, target, "manila")
    frac = dict(conf, basis_gates=[*conf["basis_gates"], "rzz"])
    frac["gates"] = [
        *conf["gates"],
        {
            "name": "rzz",
            "parameters": ["theta"],
            "qasm_def": "",
            "coupling_map": conf["coupling_map"],
        },
    ]
    target = build_target(frac, props)
    assert "rzz" in target.operation_names
    assert "rzz" not in strip_fractional(frac)["basis_gates"]
    bad = QuantumCircuit(5)
    bad.rzz(math.pi, 0, 1)
    with pytest.raises(IBMInputValueError, match="rzz angle"):
        check_isa(bad, target, "manila")


def test_backend_properties_accessors() -> None:
    from qrt_lab.runtime.exceptions import BackendPropertyError
    from qrt_lab.runtime.properties import BackendProperties

    _, props = load("manila")
    properties = BackendProperties(props)
    t1 = next(p for p in props["qubits"][0] if p["name"] == "T1")
    assert properties.t1(0) == pytest.approx(t1["value"] * 1e-6)
    assert properties.frequency(0) > 1e9
    gate = next(g for g in props["gates"] if g["gate"] == "cx")
    length = next(p["value"] for p in gate["parameters"] if p["name"] == "gate_length")
    assert properties.gate_length("cx", gate["qubits"]) == pytest.approx(length * 1e-9)
    assert properties.faulty_qubits() == [] and properties.faulty_gates() == []
    assert properties.is_qubit_operational(0) and properties.is_gate_operational(
        "cx", gate["qubits"]
    )
    with pytest.raises(BackendPropertyError, match="qubit 99"):
        properties.t1(99)
