"""Helpers for the execution tests: real device documents, JobSpecs built through the codec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.primitives.containers.estimator_pub import EstimatorPub
from qiskit.primitives.containers.sampler_pub import SamplerPub

from qrt_lab.local.devices.model import device_model
from qrt_lab.local.execution.execute import catalog
from qrt_lab.local.jobspec import JobSpec
from qrt_lab.runtime import codec

DEVICE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "devices"
HALF_PI = np.pi / 2


def sampler_spec(
    pubs: list[Any], backend: str, options: dict[str, Any] | None = None, seed: int | None = 7
) -> JobSpec:
    """A sampler JobSpec whose params are encoded exactly as the official client does."""
    encoded = [codec.encode_sampler_pub(SamplerPub.coerce(p)) for p in pubs]
    params = {"pubs": encoded, "options": options or {}, "version": 2, "support_qiskit": True}
    return JobSpec("job-s", "sampler", backend, codec.dumps(params), None, seed)


def estimator_spec(
    pubs: list[Any],
    backend: str,
    options: dict[str, Any] | None = None,
    resilience_level: int | None = None,
    seed: int | None = 7,
) -> JobSpec:
    """An estimator JobSpec encoded through the codec."""
    encoded = [codec.encode_estimator_pub(EstimatorPub.coerce(p)) for p in pubs]
    params: dict[str, Any] = {"pubs": encoded, "options": options or {}, "version": 2}
    params["support_qiskit"] = True
    if resilience_level is not None:
        params["resilience_level"] = resilience_level
    return JobSpec("job-e", "estimator", backend, codec.dumps(params), None, seed)


def hadamard(circuit: QuantumCircuit, qubit: int) -> None:
    """H as the basis gates rz·sx·rz (up to a global phase)."""
    circuit.rz(HALF_PI, qubit)
    circuit.sx(qubit)
    circuit.rz(HALF_PI, qubit)


def bell(num_qubits: int, a: int, b: int, gate: str, measure: bool = True) -> QuantumCircuit:
    """An ISA Bell-pair circuit on physical qubits ``a`` (control) and ``b`` with cx/cz/ecr."""
    circuit = QuantumCircuit(num_qubits, 2 if measure else 0)
    if gate == "ecr":
        # sx on the control before and on the target after make ecr give (|00> + c|11>)/sqrt2.
        circuit.sx(a)
        circuit.ecr(a, b)
        circuit.sx(b)
    elif gate == "cx":
        hadamard(circuit, a)
        circuit.cx(a, b)
    else:
        hadamard(circuit, a)
        hadamard(circuit, b)
        circuit.cz(a, b)
        hadamard(circuit, b)
    if measure:
        circuit.measure([a, b], [0, 1])
    return circuit


def label(num_qubits: int, paulis: dict[int, str]) -> str:
    """A full-width Pauli label with ``paulis`` on the given qubits (qubit 0 rightmost)."""
    chars = ["I"] * num_qubits
    for qubit, pauli in paulis.items():
        chars[num_qubits - 1 - qubit] = pauli
    return "".join(chars)


def healthy_edge(name: str) -> tuple[int, int]:
    """A coupling-map edge of device ``name`` with no faulty qubit or coupler."""
    device = catalog().get(name)
    assert device is not None
    model = device_model(device)
    gate = device.basis_gates[0]
    for a, b in device.coupling_map:
        if {a, b} & model.faulty_qubits:
            continue
        if (gate, (a, b)) not in model.faulty_edges and (gate, (b, a)) not in model.faulty_edges:
            return a, b
    raise AssertionError(f"{name} has no healthy edge")


def healthy_path(model: Any, width: int, gate: str = "cz") -> list[int]:
    """``width`` qubits in path order, joined by ``gate`` couplers, none of them faulty."""
    neighbours: dict[int, set[int]] = {}
    for name, qubits in model.gates:
        bad = (name, qubits) in model.faulty_edges or set(qubits) & model.faulty_qubits
        if name == gate and not bad:
            a, b = qubits
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)

    def extend(path: list[int]) -> list[int] | None:
        if len(path) == width:
            return path
        for nxt in sorted(neighbours.get(path[-1], ())):
            if nxt not in path and (found := extend([*path, nxt])):
                return found
        return None

    for start in sorted(neighbours):
        if found := extend([start]):
            return found
    raise AssertionError(f"no healthy path of {width} qubits")
