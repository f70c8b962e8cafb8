"""Noise models built from a device's calibration, restricted to the qubits a circuit uses.

qiskit-aer's ``NoiseModel.from_backend`` covers whole devices; here the model covers only the
physical qubits a job touches, renumbered ``0..k-1`` in the order given, so a Bell pair on a
156-qubit device is simulated on 2 qubits. Each gate gets thermal relaxation (from T1, T2 and
the gate length) composed with a depolarizing error sized so that the total average gate error
equals the calibrated ``gate_error``; measurements get the asymmetric readout error of
``prob_meas1_prep0``/``prob_meas0_prep1``.

Models are cached per process in a bounded LRU keyed by their content: the calibration of the
qubits and gates they are built from (not the device's name or identity), so a cached model is
reused across jobs and devices exactly when it would be rebuilt identical, and a new
calibration can never be served a stale one. A caller that knows which gates its circuit runs
(the executor program) can ask for only those: a twirled 156-qubit estimator circuit packs
independent qubits into groups whose couplers it never uses, and two-qubit errors are the
costly part of a build.

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
from collections.abc import Collection
from typing import Any

import numpy as np
from qiskit.circuit import CircuitInstruction, QuantumCircuit
from qiskit_aer.noise import (
    NoiseModel,
    ReadoutError,
    depolarizing_error,
    pauli_error,
    thermal_relaxation_error,
)
from qiskit_aer.noise.errors import QuantumError

from qrt_lab.local.devices.model import DeviceModel, GateCalibration, QubitCalibration

from .timing import delay_seconds

__all__ = [
    "CACHE_SIZE",
    "FrozenNoiseModel",
    "cache_info",
    "gate_pauli_fidelities",
    "gates_used",
    "idle_detuning",
    "noise_model_for",
    "with_idle_relaxation",
]

#: Most noise models one worker keeps (a 5-qubit model is about 0.1 MB with its wire form).
CACHE_SIZE = 512
_cache: OrderedDict[tuple[Any, ...], FrozenNoiseModel] = OrderedDict()
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


def gate_pauli_fidelities(
    qubits: tuple[int, ...], cals: list[QubitCalibration], error: float, length: float
) -> dict[str, float]:
    """Pauli fidelities (PTM diagonal) of a gate's relaxation + depolarizing error.

    Labels are little-endian over ``qubits`` (character -1 acts on ``qubits[0]``); this is the
    channel the simulator applies, and its Pauli twirl is what the noise learner reports.
    """
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
    return {
        label: (1.0 if set(label) == {"I"} else keep)
        * math.prod(decay[i][c] for i, c in enumerate(reversed(label)))
        for label in labels
    }


def _twirled_error(
    qubits: tuple[int, ...], cals: list[QubitCalibration], error: float, length: float
) -> QuantumError | None:
    """The Pauli twirl of relaxation followed by depolarizing (same PTM diagonal)."""
    fidelity = gate_pauli_fidelities(qubits, cals, error, length)
    labels = list(fidelity)
    dim = 2 ** len(qubits)
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
    return relax if depol is None else _compose(relax, depol)


def _compose(first: QuantumError, then: QuantumError) -> QuantumError:
    """``first.compose(then)``: the same circuits and probabilities, built without copies.

    qiskit-aer composes every pair of circuits with ``QuantumCircuit.compose``, which deep-copies
    each instruction; that was most of a noise model's build time. The errors' instructions are
    never changed, so the pairs can share them.
    """
    if first.num_qubits != then.num_qubits:
        return first.compose(then)
    template = QuantumCircuit(first.num_qubits)
    qubits = template.qubits

    def steps(circuit: QuantumCircuit) -> list[tuple[Any, tuple[int, ...]]]:
        return [
            (inst.operation, tuple(circuit.find_bit(q).index for q in inst.qubits))
            for inst in circuit.data
        ]

    lefts = [steps(c) for c in first.circuits]
    rights = [steps(c) for c in then.circuits]
    circuits, probabilities = [], []
    for left, l_circuit, p_left in zip(lefts, first.circuits, first.probabilities, strict=True):
        for right, r_circuit, p_right in zip(
            rights, then.circuits, then.probabilities, strict=True
        ):
            out = template.copy_empty_like()
            for operation, where in (*left, *right):
                out._append(CircuitInstruction(operation, [qubits[i] for i in where], ()))
            out.global_phase = l_circuit.global_phase + r_circuit.global_phase
            circuits.append(out)
            probabilities.append(p_left * p_right)
    return QuantumError(list(zip(circuits, probabilities, strict=True)))


_GateEntry = tuple[str, tuple[int, ...], GateCalibration]


def _gates_within(
    model: DeviceModel, index: dict[int, int], gates: Collection[tuple[str, tuple[int, ...]]] | None
) -> list[_GateEntry]:
    """The device's noisy gates on ``index``'s qubits (only ``gates`` if given), local numbering."""
    found = []
    for name, qubits in model.gates_on(index):
        if name in _VIRTUAL or name == "reset":
            continue
        if gates is not None and (name, qubits) not in gates:
            continue
        found.append((name, tuple(index[q] for q in qubits), model.gates[(name, qubits)]))
    return found


def _build(
    basis: list[str],
    local_cals: list[QubitCalibration],
    entries: list[_GateEntry],
    pauli: bool,
    twirled: bool,
) -> FrozenNoiseModel:
    noise = FrozenNoiseModel(basis_gates=basis)
    for name, local, cal in entries:
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


def gates_used(
    circuit: QuantumCircuit, physical: tuple[int, ...]
) -> frozenset[tuple[str, tuple[int, ...]]] | None:
    """The ``(name, physical qubits)`` pairs ``circuit`` runs, or None if it has control flow.

    Args:
        circuit: A compact circuit (qubit ``i`` is physical qubit ``physical[i]``).
        physical: The physical qubit of every compact qubit.
    """
    used = set()
    for inst in circuit.data:
        if getattr(inst.operation, "blocks", None):
            return None  # gates inside blocks are not listed here: keep every gate's error
        qubits = tuple(physical[circuit.find_bit(q).index] for q in inst.qubits)
        used.add((inst.operation.name, qubits))
    return frozenset(used)


def noise_model_for(
    model: DeviceModel,
    physical: tuple[int, ...],
    pauli: bool = False,
    twirled: bool = False,
    gates: Collection[tuple[str, tuple[int, ...]]] | None = None,
) -> FrozenNoiseModel | None:
    """The noise model of ``physical`` qubits (renumbered ``0..k-1``), or None when ideal.

    Args:
        model: The device.
        physical: Physical qubits in the order of the compact circuit's qubits.
        pauli: Only the Pauli part: depolarizing errors equal to the gate errors, and readout
            errors (for the stabilizer method).
        twirled: Each gate's relaxation and depolarizing as one Pauli channel, its twirl.
        gates: Only give errors to these ``(name, physical qubits)`` gates (those the circuit
            runs; see :func:`gates_used`), or None for every gate of the device on ``physical``.
    """
    if model.is_simulator or not model.qubits:
        return None
    index = {q: i for i, q in enumerate(physical)}
    local_cals = [model.qubits[q] for q in physical]
    entries = _gates_within(model, index, gates)
    basis = sorted(model.gate_names - {"reset"})
    # Everything the model is built from, so equal keys always mean equal models.
    key = (pauli, twirled, tuple(basis), tuple(local_cals), tuple(entries))
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    noise = _build(basis, local_cals, entries, pauli, twirled)
    _cache[key] = noise
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return noise


def cache_info() -> tuple[int, int]:
    """``(models cached, capacity)`` of this process's noise-model cache."""
    return len(_cache), CACHE_SIZE


def idle_detuning(cal: QubitCalibration, qubit: int) -> float:
    """The static phase rate (rad/s) an idle qubit accumulates: ``±1/T2``, sign by parity.

    It stands for the coherent part of idle error on real devices (a residual frequency offset
    and the always-on ZZ shift from neighbours), which Ramsey-type circuits see as a slow
    rotation and dynamical decoupling refocuses. One radian per T2 is a few hundred Hz to a few
    kHz on the built-in devices, the scale of a Heron's residual ZZ; the calibration documents
    carry no usable per-pair ZZ, so it is derived from T2 (deterministic: the same qubit always
    drifts the same way, alternating direction between even and odd physical qubits).
    """
    return (1.0 if qubit % 2 == 0 else -1.0) / cal.t2


def with_idle_relaxation(
    compact: QuantumCircuit, model: DeviceModel, physical: tuple[int, ...]
) -> QuantumCircuit:
    """``compact`` with idle noise after every delay, sized by the delay's duration.

    Real qubits decay while they wait; this makes e.g. T1 and Ramsey experiments behave: thermal
    relaxation (T1, T2) and the coherent phase of :func:`idle_detuning`, an ``rz`` that
    dynamical decoupling refocuses. Delays with parameterised durations are left noiseless.
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
            where = physical[compact.find_bit(qubit).index]
            cal = model.qubits[where]
            if seconds > 0:
                error = thermal_relaxation_error(cal.t1, min(cal.t2, 2 * cal.t1), seconds)
                out.append(error, [qubit])
                out.rz(idle_detuning(cal, where) * seconds, qubit)
    return out
