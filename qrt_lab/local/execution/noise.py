"""Noise models built from a device's calibration, restricted to the qubits a circuit uses.

qiskit-aer's ``NoiseModel.from_backend`` covers whole devices; here the model covers only the
physical qubits a job touches, renumbered ``0..k-1`` in the order given, so a Bell pair on a
156-qubit device is simulated on 2 qubits. Each gate gets thermal relaxation (from T1, T2 and
the gate length) composed with a depolarizing error sized so that the total average gate error
equals the calibrated ``gate_error``; measurements get the asymmetric readout error of
``prob_meas1_prep0``/``prob_meas0_prep1``. Models are cached per (device, qubits).

The *twirled* variant replaces each gate's error by its Pauli twirl: the same Pauli transfer
matrix diagonal (so the same process fidelity, i.e. exactly the calibrated gate error, and the
same T1/T2 decay of every Pauli expectation value), without relaxation's drift towards ``|0>``
(about ``gate_length / T1``, 1e-4..1e-3 per gate on the built-in devices, well below the gate
and readout errors). Pauli errors are sampled without computing Kraus norms, which is what makes
matrix-product-state trajectories fast; delays keep the exact thermal relaxation.
"""

from __future__ import annotations

import itertools
import math
from collections import OrderedDict
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit_aer.noise import (
    NoiseModel,
    ReadoutError,
    depolarizing_error,
    pauli_error,
    thermal_relaxation_error,
)
from qiskit_aer.noise.errors import QuantumError

from qrt_lab.local.devices.model import DeviceModel, QubitCalibration

from .timing import delay_seconds

__all__ = ["FrozenNoiseModel", "noise_model_for", "with_idle_relaxation"]

_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, int, tuple[int, ...], bool, bool], FrozenNoiseModel | None] = (
    OrderedDict()
)
_ANTICOMMUTE = {(a, b): a != "I" and b != "I" and a != b for a in "IXYZ" for b in "IXYZ"}
_VIRTUAL = frozenset({"rz", "delay"})


class FrozenNoiseModel(NoiseModel):  # type: ignore[misc]  # qiskit-aer ships no types
    """A noise model that is not changed after it is built, so its wire form is computed once.

    qiskit-aer serialises the noise model on every run; for a cached model that costs more than
    simulating a small circuit.
    """

    def __init__(self, basis_gates: list[str] | None = None) -> None:
        super().__init__(basis_gates=basis_gates)
        self._wire: dict[bool, dict[str, Any]] = {}

    def to_dict(self, serializable: bool = False) -> dict[str, Any]:
        """The model as a dict (computed on the first call, then reused until a change)."""
        if serializable not in self._wire:
            self._wire[serializable] = super().to_dict(serializable=serializable)
        return self._wire[serializable]

    # Aer adds the errors of QuantumError instructions to a copy of the model: forget the cache.
    def add_quantum_error(self, *args: Any, **kwargs: Any) -> None:
        self._wire.clear()
        super().add_quantum_error(*args, **kwargs)

    def add_all_qubit_quantum_error(self, *args: Any, **kwargs: Any) -> None:
        self._wire.clear()
        super().add_all_qubit_quantum_error(*args, **kwargs)

    def add_readout_error(self, *args: Any, **kwargs: Any) -> None:
        self._wire.clear()
        super().add_readout_error(*args, **kwargs)

    def add_all_qubit_readout_error(self, *args: Any, **kwargs: Any) -> None:
        self._wire.clear()
        super().add_all_qubit_readout_error(*args, **kwargs)


def _relaxation_process_fidelity(cal: QubitCalibration, length: float) -> float:
    # Trace of the relaxation channel's Pauli transfer matrix over d^2 (diagonal 1, e2, e2, e1).
    return (1 + 2 * math.exp(-length / cal.t2) + math.exp(-length / cal.t1)) / 4


def _depolarizing_parameter(dim: int, relax_fid: float, error: float) -> float:
    target_fid = ((dim + 1) * (1 - min(error, 1.0)) - 1) / dim
    # Depolarizing with parameter p scales the non-identity PTM diagonal by (1 - p).
    denom = dim * dim * relax_fid - 1
    keep = (dim * dim * target_fid - 1) / denom if denom > 0 else 1.0
    return float(np.clip(1 - keep, 0.0, 1.0))


def _twirled_error(
    qubits: tuple[int, ...], cals: list[QubitCalibration], error: float, length: float
) -> QuantumError | None:
    """The Pauli twirl of relaxation followed by depolarizing (same PTM diagonal)."""
    decay: list[dict[str, float]] = []
    relax_fid = 1.0
    for q in qubits:
        cal = cals[q]
        t2 = min(cal.t2, 2 * cal.t1)
        e1, e2 = (math.exp(-length / cal.t1), math.exp(-length / t2)) if length > 0 else (1, 1)
        decay.append({"I": 1.0, "X": e2, "Y": e2, "Z": e1})
        relax_fid *= (1 + 2 * e2 + e1) / 4
    dim = 2 ** len(qubits)
    keep = 1 - _depolarizing_parameter(dim, relax_fid, error)
    labels = ["".join(p) for p in itertools.product("IXYZ", repeat=len(qubits))]
    # Pauli string labels are little-endian: character -1 acts on the first qubit.
    fidelity = {
        label: (1.0 if set(label) == {"I"} else keep)
        * math.prod(decay[i][c] for i, c in enumerate(reversed(label)))
        for label in labels
    }
    probabilities = []
    for target in labels:
        signs = (
            -1.0
            if sum(_ANTICOMMUTE[(a, b)] for a, b in zip(target, label, strict=True)) % 2
            else 1.0
            for label in labels
        )
        weight = sum(s * fidelity[label] for s, label in zip(signs, labels, strict=True)) / dim**2
        if weight > 1e-15:
            probabilities.append((target, weight))
    if len(probabilities) == 1:
        return None
    total = sum(w for _, w in probabilities)
    return pauli_error([(label, w / total) for label, w in probabilities])


def _gate_error(
    name: str, qubits: tuple[int, ...], cals: list[QubitCalibration], error: float, length: float
) -> QuantumError | None:
    """Relaxation on each qubit followed by depolarizing, matching ``error`` in total."""
    dim = 2 ** len(qubits)
    relax: QuantumError | None = None
    relax_fid = 1.0
    if length > 0:
        for q in qubits:
            cal = cals[q]
            part = thermal_relaxation_error(cal.t1, min(cal.t2, 2 * cal.t1), length)
            relax = part if relax is None else relax.expand(part)
            relax_fid *= _relaxation_process_fidelity(cal, length)
    p_depol = _depolarizing_parameter(dim, relax_fid, error)
    depol = depolarizing_error(p_depol, len(qubits)) if p_depol > 0 else None
    if relax is None:
        return depol
    return relax if depol is None else relax.compose(depol)


def _build(
    model: DeviceModel, physical: tuple[int, ...], pauli: bool, twirled: bool
) -> FrozenNoiseModel | None:
    if model.is_simulator or not model.qubits:
        return None
    index = {q: i for i, q in enumerate(physical)}
    local_cals = [model.qubits[q] for q in physical]
    noise = FrozenNoiseModel(basis_gates=sorted({name for name, _ in model.gates} - {"reset"}))
    for (name, qubits), cal in model.gates.items():
        if name in _VIRTUAL or name == "reset" or not all(q in index for q in qubits):
            continue
        local = tuple(index[q] for q in qubits)
        # Without a duration no relaxation is added: the error is all depolarizing (Pauli).
        length = 0.0 if pauli else cal.length
        if twirled:
            error = _twirled_error(local, local_cals, cal.error, length)
        else:
            error = _gate_error(name, local, local_cals, cal.error, length)
        if error is not None:
            noise.add_quantum_error(error, name, list(local), warnings=False)
    for i, qubit in enumerate(local_cals):
        p10, p01 = qubit.prob_meas1_prep0, qubit.prob_meas0_prep1
        if p10 > 0 or p01 > 0:
            noise.add_readout_error(ReadoutError([[1 - p10, p10], [p01, 1 - p01]]), [i])
    return noise


def noise_model_for(
    model: DeviceModel, physical: tuple[int, ...], pauli: bool = False, twirled: bool = False
) -> FrozenNoiseModel | None:
    """The noise model of ``physical`` qubits (renumbered ``0..k-1``), or None when ideal.

    Args:
        model: The device.
        physical: Physical qubits in the order of the compact circuit's qubits.
        pauli: Only the Pauli part: depolarizing errors equal to the gate errors, and readout
            errors (for the stabilizer method).
        twirled: Each gate's relaxation and depolarizing as one Pauli channel, its twirl.
    """
    key = (model.name, id(model), physical, pauli, twirled)
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    noise = _build(model, physical, pauli, twirled)
    _cache[key] = noise
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return noise


def with_idle_relaxation(
    compact: QuantumCircuit, model: DeviceModel, physical: tuple[int, ...]
) -> QuantumCircuit:
    """``compact`` with thermal relaxation after every delay, sized by the delay's duration.

    Real qubits decay while they wait; this makes e.g. T1 and Ramsey experiments behave. Delays
    with parameterised durations are left noiseless.
    """
    if not model.qubits or not any(i.operation.name == "delay" for i in compact.data):
        return compact
    out = compact.copy_empty_like()
    for inst in compact.data:
        out.append(inst)
        if inst.operation.name != "delay":
            continue
        seconds = delay_seconds(inst.operation, model.dt)
        for qubit in inst.qubits:
            cal = model.qubits[physical[compact.find_bit(qubit).index]]
            if seconds > 0:
                error = thermal_relaxation_error(cal.t1, min(cal.t2, 2 * cal.t1), seconds)
                out.append(error, [qubit])
    return out
