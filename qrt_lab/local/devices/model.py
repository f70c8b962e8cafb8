"""What execution needs to know about a device, parsed once from its two documents.

:class:`DeviceModel` answers: which instructions run on which physical qubits (for ISA
validation), which qubits and couplers are faulty, and the calibration of each qubit and gate
(for noise models, readout mitigation and duration estimates). Models are cached per device.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from qrt_lab.runtime.api import documents

from .catalog import Device

__all__ = ["DeviceModel", "GateCalibration", "QubitCalibration", "device_model"]

#: Instructions every device runs on every (non-faulty) qubit besides its gates.
_ALWAYS = ("measure", "reset", "delay", "barrier")
_CONTROL_FLOW = frozenset({"if_else", "for_loop", "switch_case", "while_loop", "box"})
_DEFAULT_T1_US = 100.0
_DEFAULT_READOUT_NS = 1500.0


@dataclass(frozen=True)
class QubitCalibration:
    """One qubit's calibration (times in seconds, probabilities in [0, 1])."""

    t1: float
    t2: float
    prob_meas1_prep0: float
    prob_meas0_prep1: float
    readout_length: float

    @property
    def readout_fidelity_factor(self) -> float:
        """``1 - p01 - p10``: how much readout error shrinks a ⟨Z⟩ expectation."""
        return 1.0 - self.prob_meas1_prep0 - self.prob_meas0_prep1


@dataclass(frozen=True)
class GateCalibration:
    """One gate on given qubits: error probability and duration in seconds."""

    error: float
    length: float


@dataclass
class DeviceModel:
    """Execution view of a device.

    Attributes:
        name: Device name.
        num_qubits: Number of qubits.
        is_simulator: Ideal simulators accept any supported instruction on any qubits.
        supported: Instruction name → allowed qubit tuples, or None when allowed on any qubits.
        faulty_qubits: Qubits marked ``operational: 0``.
        faulty_edges: Gate ``(name, qubits)`` pairs marked ``operational: 0``.
        qubits: Per-qubit calibration (empty for simulators).
        gates: ``(name, qubits)`` → calibration.
        max_shots: The configuration's ``max_shots``.
        default_rep_delay: Seconds between shots.
        rep_delay_range: Allowed ``rep_delay`` in seconds.
        dt: The device's time unit in seconds.
    """

    name: str
    num_qubits: int
    is_simulator: bool
    supported: dict[str, frozenset[tuple[int, ...]] | None]
    faulty_qubits: frozenset[int]
    faulty_edges: frozenset[tuple[str, tuple[int, ...]]]
    qubits: list[QubitCalibration] = field(default_factory=list)
    gates: dict[tuple[str, tuple[int, ...]], GateCalibration] = field(default_factory=dict)
    max_shots: int = 100_000
    default_rep_delay: float = 250e-6
    rep_delay_range: tuple[float, float] = (0.0, 500e-6)
    dt: float = 0.5e-9

    def gates_on(self, qubits: Collection[int]) -> list[tuple[str, tuple[int, ...]]]:
        """The ``(name, qubits)`` keys of :attr:`gates` acting only on ``qubits``, in order."""
        index = self._gates_by_qubit
        wanted = set(qubits)
        found = {p for q in wanted for p in index.get(q, ())}
        keys = self._gate_keys
        return [keys[p] for p in sorted(found) if all(q in wanted for q in keys[p][1])]

    @functools.cached_property
    def gate_names(self) -> frozenset[str]:
        """The names of the calibrated gates."""
        return frozenset(name for name, _ in self.gates)

    @functools.cached_property
    def _gate_keys(self) -> list[tuple[str, tuple[int, ...]]]:
        return list(self.gates)

    @functools.cached_property
    def _gates_by_qubit(self) -> dict[int, list[int]]:
        index: dict[int, list[int]] = {}
        for position, (_name, qubits) in enumerate(self._gate_keys):
            for q in qubits:
                index.setdefault(q, []).append(position)
        return index

    def gate_length(self, name: str, qubits: tuple[int, ...]) -> float:
        """Duration of an instruction in seconds (0 when unknown, e.g. virtual ``rz``)."""
        cal = self.gates.get((name, qubits))
        if cal is not None:
            return cal.length
        if name == "measure" and self.qubits:
            return max(self.qubits[q].readout_length for q in qubits)
        return 0.0


def _numbers(values: dict[str, float | None]) -> dict[str, float]:
    return {name: value for name, value in values.items() if value is not None}


def _qubit_calibrations(props: dict[str, Any], n: int) -> tuple[list[QubitCalibration], set[int]]:
    cals = []
    faulty = {q for q in documents.faulty_qubits(props) if q < n}
    for values in documents.qubit_values(props, n):
        v = _numbers(values)
        t1 = v.get("T1", _DEFAULT_T1_US * 1e-6)
        t2 = min(v.get("T2", t1), 2 * t1)
        p10 = v.get("prob_meas1_prep0", v.get("readout_error", 0.0))
        p01 = v.get("prob_meas0_prep1", v.get("readout_error", 0.0))
        length = v.get("readout_length", _DEFAULT_READOUT_NS * 1e-9)
        cals.append(QubitCalibration(t1, t2, min(p10, 1.0), min(p01, 1.0), length))
    return cals, faulty


def _gate_calibrations(
    props: dict[str, Any],
) -> tuple[dict[tuple[str, tuple[int, ...]], GateCalibration], set[tuple[str, tuple[int, ...]]]]:
    gates, faulty = {}, set()
    for entry in documents.gate_entries(props):
        key = (entry.gate, entry.qubits)
        v = _numbers(entry.values)
        if not entry.operational:
            faulty.add(key)
        error = v.get("gate_error", 0.0)
        gates[key] = GateCalibration(0.0 if math.isnan(error) else error, v.get("gate_length", 0.0))
    return gates, faulty


def _supported(conf: dict[str, Any], n: int) -> dict[str, frozenset[tuple[int, ...]] | None]:
    table: dict[str, frozenset[tuple[int, ...]] | None] = {}
    simulator = bool(conf.get("simulator"))
    for gate in conf.get("gates") or []:
        coupling = gate.get("coupling_map")
        name = str(gate.get("name"))
        table[name] = None if simulator or not coupling else frozenset(tuple(q) for q in coupling)
    for name in conf.get("basis_gates") or []:
        table.setdefault(str(name), None)
    for name in (*_ALWAYS, *(conf.get("supported_instructions") or [])):
        if name not in table:
            table[str(name)] = None
    return table


_CACHE: dict[tuple[str, str | None], tuple[Device, DeviceModel]] = {}


def device_model(device: Device) -> DeviceModel:
    """The (cached) execution model of ``device`` (one per calibration, see :meth:`Device.at`)."""
    key = (device.name, (device.properties or {}).get("calibration_id"))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is device:
        return hit[1]
    conf, props = device.configuration, device.properties or {}
    n = device.num_qubits
    qubits, faulty_q = ([], set()) if device.is_simulator else _qubit_calibrations(props, n)
    gates, faulty_g = ({}, set()) if device.is_simulator else _gate_calibrations(props)
    low, high = (conf.get("rep_delay_range") or [0.0, 500.0])[:2]
    model = DeviceModel(
        name=device.name,
        num_qubits=n,
        is_simulator=device.is_simulator,
        supported=_supported(conf, n),
        faulty_qubits=frozenset(faulty_q),
        faulty_edges=frozenset(faulty_g),
        qubits=qubits,
        gates=gates,
        max_shots=device.max_shots,
        default_rep_delay=float(conf.get("default_rep_delay") or 250.0) * 1e-6,
        rep_delay_range=(float(low) * 1e-6, float(high) * 1e-6),
        dt=float(conf.get("dt") or 0.5) * 1e-9,
    )
    _CACHE[key] = (device, model)
    return model


def is_control_flow(name: str) -> bool:
    """Whether an instruction name is a control-flow operation."""
    return name in _CONTROL_FLOW
