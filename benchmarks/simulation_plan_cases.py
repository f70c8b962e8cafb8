"""The circuits of ``bench_simulation_plans.py``: ISA circuits along healthy qubits of
``local_heron156`` (no transpiler runs), and brickwork on ``local_ideal``, each marked ``fit``
(its run enters the fit of the time model's constants) or ``held-out`` (it only checks them).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

BACKEND = "local_heron156"
FIT, HELD_OUT = "fit", "held-out"


def device_model_of_backend() -> Any:
    from execution_support import DEVICE_DIR

    from qrt_lab.local.devices.model import device_model
    from qrt_lab.local.execution.execute import catalog, init_worker

    init_worker([str(DEVICE_DIR)] if DEVICE_DIR.is_dir() else [])
    device = catalog().get(BACKEND)
    assert device is not None
    return device_model(device)


def healthy_path(width: int) -> list[int]:
    """A path of ``width`` healthy qubits joined by healthy ``cz`` couplers."""
    from execution_support import healthy_path as path_on

    return path_on(device_model_of_backend(), width)


def brickwork(path: list[int], layers: int, clifford: bool, seed: int = 5) -> Any:
    """Brickwork along ``path``: rz·sx on every qubit, then cz on alternating pairs."""
    from qiskit.circuit import QuantumCircuit

    rng = np.random.default_rng(seed)
    circuit = QuantumCircuit(156)
    for layer in range(layers):
        for q in path:
            angle = np.pi / 2 * rng.integers(4) if clifford else rng.uniform(-np.pi, np.pi)
            circuit.rz(angle, q)
            circuit.sx(q)
        for a, b in zip(path[layer % 2 :: 2], path[layer % 2 + 1 :: 2], strict=False):
            circuit.cz(a, b)
    return circuit


def measured(circuit: Any, path: list[int]) -> Any:
    out = circuit.copy()
    out.add_register(__import__("qiskit").circuit.ClassicalRegister(len(path), "meas"))
    out.measure(path, range(len(path)))
    return out


def mirror(path: list[int], layers: int) -> Any:
    """Brickwork then its inverse in ISA gates (sx^-1 as rz(pi) sx rz(pi))."""
    half = brickwork(path, layers, clifford=False)
    circuit = half.copy_empty_like()
    circuit.compose(half, inplace=True)
    for inst in reversed(half.data):
        q = inst.qubits
        if inst.operation.name == "rz":
            circuit.rz(-float(inst.operation.params[0]), q[0])
        elif inst.operation.name == "sx":
            circuit.rz(np.pi, q[0])
            circuit.sx(q[0])
            circuit.rz(np.pi, q[0])
        else:
            circuit.append(inst.operation, q)
    return measured(circuit, path)


def ghz(path: list[int], mid_measure: bool = False) -> Any:
    from qiskit.circuit import ClassicalRegister, QuantumCircuit

    half = np.pi / 2
    circuit = QuantumCircuit(156)
    extra = ClassicalRegister(1, "mid")
    circuit.rz(half, path[0])
    circuit.sx(path[0])
    circuit.rz(half, path[0])
    for a, b in itertools.pairwise(path):
        for gate in ("rz", "sx", "rz"):
            getattr(circuit, gate)(*((half, b) if gate == "rz" else (b,)))
        circuit.cz(a, b)
        for gate in ("rz", "sx", "rz"):
            getattr(circuit, gate)(*((half, b) if gate == "rz" else (b,)))
    if mid_measure:
        circuit.add_register(extra)
        circuit.measure(path[0], extra[0])
        circuit.sx(path[0])
    return measured(circuit, path)


def case(name: str, circuit: Any, shots: int, group: str, backend: str = BACKEND) -> dict[str, Any]:
    return {"name": name, "circuit": circuit, "shots": shots, "group": group, "backend": backend}


def ghz_cases() -> list[dict[str, Any]]:
    """Pauli frames (terminal measurements) and Aer's tableau (a mid-circuit measurement)."""
    cases = []
    frames = [(13, 10, FIT), (13, 20000, FIT), (30, 1000, FIT), (50, 100, FIT), (100, 10, FIT)]
    frames += [(80, 20000, FIT), (100, 4096, FIT), (20, 4096, HELD_OUT), (50, 4096, HELD_OUT)]
    frames += [(64, 300, HELD_OUT), (40, 30000, HELD_OUT), (100, 50000, HELD_OUT)]
    for width, shots, group in frames:
        cases.append(case(f"GHZ {width}q, {shots} shots", ghz(healthy_path(width)), shots, group))
    tableau = [(13, 2000, FIT), (20, 1000, FIT), (40, 300, FIT), (60, 100, FIT)]
    tableau += [(100, 60, FIT), (25, 800, FIT), (30, 500, HELD_OUT), (40, 1000, HELD_OUT)]
    tableau += [(80, 150, HELD_OUT)]
    for width, shots, group in tableau:
        circuit = ghz(healthy_path(width), mid_measure=True)
        cases.append(case(f"GHZ {width}q mid-measure, {shots} shots", circuit, shots, group))
    return cases


def brickwork_cases() -> list[dict[str, Any]]:
    """Density matrix, statevector and matrix product states (bound and probe)."""
    spread = [(9, 6, 2000, FIT), (10, 4, 4000, FIT), (9, 3, 4000, FIT), (10, 8, 1000, FIT)]
    spread += [(9, 12, 3000, HELD_OUT), (10, 6, 2000, HELD_OUT), (11, 3, 2000, HELD_OUT)]
    spread += [(14, 20, 30, FIT), (16, 16, 10, FIT), (15, 12, 20, FIT), (14, 16, 60, FIT)]
    spread += [(13, 14, 100, FIT), (17, 10, 8, HELD_OUT), (16, 18, 20, HELD_OUT)]
    spread += [(16, 4, 200, FIT), (22, 6, 50, FIT), (30, 2, 100, FIT), (50, 2, 50, FIT)]
    spread += [(40, 3, 100, HELD_OUT), (12, 4, 4000, HELD_OUT), (13, 3, 5000, HELD_OUT)]
    spread += [(20, 6, 100, HELD_OUT), (30, 4, 200, HELD_OUT), (50, 6, 100, HELD_OUT)]
    spread += [(40, 8, 50, HELD_OUT)]
    cases = []
    for width, layers, shots, group in spread:
        circuit = measured(brickwork(healthy_path(width), layers, False), healthy_path(width))
        cases.append(case(f"brickwork {width}q x{layers}, {shots} shots", circuit, shots, group))
    for width, layers, shots in ((30, 4, 100), (50, 5, 100)):
        name = f"mirror {width}q 2x{layers}, {shots} shots"
        cases.append(case(name, mirror(healthy_path(width), layers), shots, HELD_OUT))
    for width, group in ((16, FIT), (18, FIT), (20, HELD_OUT)):  # ideal: one state, all shots
        name = f"ideal {width}q x{width}, 1000 shots"
        cases.append(case(name, ideal_brickwork(width, width), 1000, group, "local_ideal"))
    return cases


def ideal_brickwork(width: int, layers: int) -> Any:
    """Brickwork on a ``width``-qubit register (``local_ideal`` has 32 qubits)."""
    from qiskit import QuantumCircuit

    wide = measured(brickwork(list(range(width)), layers, False), list(range(width)))
    ideal = QuantumCircuit(width, width)
    for inst in wide.data:
        qubits = [wide.find_bit(q).index for q in inst.qubits]
        ideal.append(inst.operation, qubits, [wide.find_bit(c).index for c in inst.clbits])
    return ideal
