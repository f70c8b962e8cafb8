"""The built-in devices: configuration documents (§3.2) around seeded calibrations (§3.3).

| name | qubits | topology | 2q gate |
|---|---|---|---|
| ``local_5q`` | 5 | Falcon r4 T shape | ``cx`` (both directions) |
| ``local_falcon27`` | 27 | Falcon heavy-hex | ``cx`` (both directions) |
| ``local_eagle127`` | 127 | Eagle r3 heavy-hex | ``ecr`` (one direction per edge) |
| ``local_heron156`` | 156 | Heron r2 heavy-hex | ``cz`` (both directions) |
| ``local_ideal`` | 32 | all-to-all | broad basis, noiseless simulator |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np

from .calibrations import HISTORY_DAYS, seeded_calibration_id
from .catalog import Device
from .seeded_calibration import CalibrationProfile, calibration_anchor, properties_document
from .topology import (
    Topology,
    falcon_t5,
    heavy_hex_eagle127,
    heavy_hex_falcon27,
    heavy_hex_heron156,
)

__all__ = ["IDEAL_BASIS_GATES", "build_builtin_devices"]

_CONTROL_FLOW = ["if_else", "for_loop", "switch_case"]
_QASM_DEFS = {
    "id": ([], "gate id q { U(0, 0, 0) q; }"),
    "rz": (["theta"], "gate rz(theta) q { U(0, 0, theta) q; }"),
    "sx": ([], "gate sx q { U(pi/2, 3*pi/2, pi/2) q; }"),
    "x": ([], "gate x q { U(pi, 0, pi) q; }"),
    "cx": ([], "gate cx q0, q1 { CX q0, q1; }"),
    "ecr": ([], "gate ecr q0, q1 { rzx(pi/4) q0, q1; x q0; rzx(-pi/4) q0, q1; }"),
    "cz": ([], "gate cz q0, q1 { U(pi/2, 0, pi) q1; CX q0, q1; U(pi/2, 0, pi) q1; }"),
}
#: Gates of the ideal simulator (all natively simulated by qiskit-aer).
IDEAL_BASIS_GATES = [
    "ccx", "cx", "cy", "cz", "ecr", "h", "id", "p", "rx", "rxx", "ry", "rz", "rzz", "s", "sdg",
    "swap", "sx", "sxdg", "t", "tdg", "u", "x", "y", "z",
]  # fmt: skip
_IDEAL_PARAMS = {"p": 1, "rx": 1, "rxx": 1, "ry": 1, "rz": 1, "rzz": 1, "u": 3}


@dataclass(frozen=True)
class _DeviceSpec:
    name: str
    topology: Topology
    two_qubit_gate: str
    both_directions: bool
    processor_type: dict[str, Any]
    dt_ns: float
    clops_h: int
    online_date: str
    version: str
    seed: int
    profile: CalibrationProfile


_SPECS = [
    _DeviceSpec(
        "local_5q", falcon_t5(), "cx", True, {"family": "Falcon", "revision": "4", "segment": "T"},
        0.2222222222222222, 2900, "2021-01-08T05:00:00+00:00", "1.3.5", 5005,
        CalibrationProfile(120.0, 0.012, 3.5e-4, 35.56, 0.009, (277.33, 312.89, 355.56),
                           5351.11, 5600.0, -0.343, 0, 0),
    ),
    _DeviceSpec(
        "local_falcon27", heavy_hex_falcon27(), "cx", True,
        {"family": "Falcon", "revision": "5.11", "segment": "R"}, 0.2222222222222222, 32000,
        "2021-09-13T04:00:00+00:00", "1.4.11", 2727,
        CalibrationProfile(110.0, 0.009, 2.8e-4, 35.56, 0.009, (334.22, 355.56, 405.33),
                           2400.0, 2900.0, -0.341, 0, 1),
    ),
    _DeviceSpec(
        "local_eagle127", heavy_hex_eagle127(), "ecr", False, {"family": "Eagle", "revision": "3"},
        0.5, 180000, "2023-01-23T05:00:00+00:00", "1.1.80", 127127,
        CalibrationProfile(220.0, 0.009, 2.4e-4, 60.0, 0.0075, (660.0, 740.0, 780.0),
                           1300.0, 1300.0, -0.308, 1, 2),
    ),
    _DeviceSpec(
        "local_heron156", heavy_hex_heron156(), "cz", True, {"family": "Heron", "revision": "2"},
        4.0, 195000, "2024-05-14T04:00:00+00:00", "1.2.9", 156156,
        CalibrationProfile(145.0, 0.004, 2.3e-4, 24.0, 0.0039, (68.0, 84.0),
                           1560.0, 1584.0, -0.31, 2, 3),
    ),
]  # fmt: skip


def _directed_edges(spec: _DeviceSpec) -> list[list[int]]:
    if spec.both_directions:
        return spec.topology.directed_both()
    # Cross-resonance gates are calibrated in one direction only; pick it per edge, seeded.
    flips = np.random.default_rng(spec.seed + 1).random(len(spec.topology.edges)) < 0.5
    return sorted(
        [b, a] if flip else [a, b] for (a, b), flip in zip(spec.topology.edges, flips, strict=True)
    )


def _gate_doc(name: str, coupling: list[list[int]] | None) -> dict[str, Any]:
    params, qasm = _QASM_DEFS.get(name, ([], None))
    doc: dict[str, Any] = {"name": name, "parameters": params, "qasm_def": qasm}
    if coupling is not None:
        doc["coupling_map"] = coupling
    return doc


def _common_configuration(name: str, n: int, version: str, online: str) -> dict[str, Any]:
    return {
        "backend_name": name,
        "backend_version": version,
        "n_qubits": n,
        "local": False,
        "simulator": False,
        "conditional": False,
        "open_pulse": False,
        "memory": True,
        "max_shots": 100_000,
        "max_experiments": 300,
        "online_date": online,
        "rep_delay_range": [0.0, 500.0],
        "default_rep_delay": 250.0,
        "rep_times": [1000.0],
        "dynamic_reprate_enabled": True,
        "meas_levels": [1, 2],
        "meas_map": [list(range(n))],
        "supported_features": ["qobj", "qasm3", "parameters"],
        "n_registers": 1,
        "credits_required": True,
        "conditional_latency": [],
        "acquisition_latency": [],
    }


def _device_configuration(spec: _DeviceSpec, directed: list[list[int]]) -> dict[str, Any]:
    n = spec.topology.num_qubits
    singles = [[q] for q in range(n)]
    basis = [spec.two_qubit_gate, "id", "rz", "sx", "x"]
    family = spec.processor_type["family"]
    conf = _common_configuration(spec.name, n, spec.version, spec.online_date)
    conf.update(
        basis_gates=basis,
        gates=[_gate_doc(g, singles) for g in ("id", "rz", "sx", "x")]
        + [_gate_doc(spec.two_qubit_gate, directed)],
        coupling_map=directed,
        supported_instructions=[*basis, "delay", "measure", "reset", *_CONTROL_FLOW],
        description=f"{n} qubit device (local, simulated {family})",
        sample_name=f"family: {family}, revision: {spec.processor_type['revision']}",
        dt=spec.dt_ns,
        dtm=spec.dt_ns,
        timing_constraints={
            "acquire_alignment": 16,
            "granularity": 16,
            "min_length": 64,
            "pulse_alignment": 16,
        }
        if family == "Falcon"
        else {
            "acquire_alignment": 8,
            "granularity": 8,
            "min_length": 16,
            "pulse_alignment": 8,
        },
        processor_type=spec.processor_type,
        clops_h=spec.clops_h,
        quantum_volume=None,
        coords=[[col + 1, row + 1] for row, col in spec.topology.coords],
    )
    return conf


def _ideal_configuration(num_qubits: int = 32) -> dict[str, Any]:
    conf = _common_configuration("local_ideal", num_qubits, "1.0.0", "2024-01-01T00:00:00+00:00")
    conf.update(
        simulator=True,
        basis_gates=IDEAL_BASIS_GATES,
        gates=[
            {
                "name": g,
                "parameters": [f"p{i}" for i in range(_IDEAL_PARAMS.get(g, 0))],
                "qasm_def": None,
            }
            for g in IDEAL_BASIS_GATES
        ],
        coupling_map=None,
        supported_instructions=[
            *IDEAL_BASIS_GATES,
            "delay",
            "measure",
            "reset",
            *_CONTROL_FLOW,
        ],
        description=f"{num_qubits} qubit ideal simulator (local, noiseless, all-to-all)",
        dt=0.5,
        dtm=0.5,
        processor_type=None,
    )
    return conf


def _calibrations(spec: _DeviceSpec, directed: list[list[int]]) -> list[dict[str, Any]]:
    """Today's calibration and the previous days', newest first, each with its id."""
    anchor = calibration_anchor()
    documents = []
    for day in range(HISTORY_DAYS):
        seed = spec.seed + 7919 * day  # day 0 is the seed the device always had
        props = properties_document(
            name=spec.name,
            version=spec.version,
            num_qubits=spec.topology.num_qubits,
            two_qubit_gate=spec.two_qubit_gate,
            directed_edges=directed,
            profile=spec.profile,
            seed=seed,
            anchor=anchor - timedelta(days=day),
        )
        # the id names the seeded values, not the date: every process (the HTTP side and each
        # worker, whenever started) agrees on which calibration an id is
        documents.append({**props, "calibration_id": seeded_calibration_id(spec.name, seed)})
    return documents


def build_builtin_devices() -> list[Device]:
    """Generate every built-in device (deterministic for a given calibration hour)."""
    devices = []
    for spec in _SPECS:
        directed = _directed_edges(spec)
        current, *past = _calibrations(spec, directed)
        devices.append(
            Device(
                name=spec.name,
                configuration=_device_configuration(spec, directed),
                properties=current,
                is_simulator=False,
                processor_type=spec.processor_type,
                clops=spec.clops_h,
                past_properties=tuple(past),
            )
        )
    devices.append(Device("local_ideal", _ideal_configuration(), None, True, None, None))
    return devices
