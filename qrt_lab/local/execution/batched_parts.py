"""Simulate many small independent circuits, with their parameter rows, in one Aer call.

An executor item's elements (a samplex's twirl randomizations times a parameter sweep) run on
one circuit that splits into independent parts (see :mod:`.circuit_parts`). Every part the plan
would run with Aer's ``automatic`` method (small and noisy: a density matrix) and that is
measured only at the end (the client-side primitives' circuits) goes into one
``AerSimulator.run`` call, as one density-matrix experiment per distinct parameter row (a
padding qubit sees a few distinct twirls among hundreds of elements) that saves the measured
qubits' outcome probabilities. Each element's shots are then drawn from them, independently
and seeded: exactly the distribution of Aer's own sampling of that state.

Aer takes one noise model per call, so each part carries its own: the errors of its plan's
noise model follow the gates they belong to, as Kraus channels (where
``qiskit_aer.utils.insert_noise`` puts them: the channels Aer would apply), and its readout
errors, which only change recorded bits, are applied to the drawn outcomes (each classical bit
flipped with the readout probabilities of the qubit measured into it, as Aer does). Other parts
(other methods, mid-circuit measurements) run on their own plan, one Aer call each.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from qiskit.circuit import CircuitInstruction, QuantumCircuit
from qiskit.quantum_info import Kraus
from qiskit_aer import AerError

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.jobspec import MAX_SEED

from .simulation_plan import SimulationPlan
from .simulator import simulator, too_large

__all__ = ["PartJob", "simulate_parts"]

#: Widest part batched, on a density matrix (4**8 entries): the plans' ``automatic`` width for
#: noisy circuits. Wider ``automatic`` parts (ideal Clifford circuits) run on their own plan.
_MAX_BATCHED_QUBITS = 8

#: Kraus instructions of noise-model errors, by the error's id (least recently used dropped).
_KRAUS: OrderedDict[int, tuple[Any, Any]] = OrderedDict()
_KRAUS_CACHE_SIZE = 8192

Fallback = Callable[["PartJob", int | None], np.ndarray]


@dataclass(frozen=True)
class PartJob:
    """One independent part of an item, planned and ready to simulate.

    Attributes:
        circuit: The part's final circuit (delay noise inserted), its own qubits and clbits.
        physical: The physical qubit of each of its qubits.
        rows: ``(elements, parameters)`` values, columns ordered like ``circuit.parameters``.
        plan: Its simulation plan.
        gates: The ``(name, physical qubits)`` gates it runs (None: unknown, control flow).
        clbits: The item's classical bit of each of its classical bits.
    """

    circuit: QuantumCircuit
    physical: tuple[int, ...]
    rows: np.ndarray
    plan: SimulationPlan
    gates: frozenset[tuple[str, tuple[int, ...]]] | None
    clbits: tuple[int, ...]


@dataclass
class _Run:
    """A batchable part: its distinct rows, which element reads which, what it measures."""

    job: PartJob
    measured: list[tuple[int, int]]
    unique: np.ndarray
    inverse: np.ndarray
    repeats: np.ndarray


def _measured(circuit: QuantumCircuit) -> list[tuple[int, int]] | None:
    """``(qubit, clbit)`` of each measurement when all are final, each bit is written once and
    nothing reads a bit (no control flow), else None."""
    found: list[tuple[int, int]] = []
    done: set[int] = set()
    qubit_index = {q: i for i, q in enumerate(circuit.qubits)}
    clbit_index = {c: i for i, c in enumerate(circuit.clbits)}
    for inst in circuit.data:
        if inst.operation.name == "barrier":
            continue
        if getattr(inst.operation, "blocks", None) or (
            inst.clbits and inst.operation.name != "measure"
        ):
            return None  # control flow: outcomes steer the state
        qubits = [qubit_index[q] for q in inst.qubits]
        if done.intersection(qubits):
            return None  # an operation after a measurement
        if inst.operation.name == "measure":
            found.append((qubits[0], clbit_index[inst.clbits[0]]))
            done.add(qubits[0])
    clbits = [c for _, c in found]
    return found if len(set(clbits)) == len(clbits) else None


def _batched_run(job: PartJob, count: int) -> _Run | None:
    """The part ready to batch, or None when it must run on its own plan.

    Batched parts run on the plain small-circuit plan, are measured only at the end (so their
    outcome distribution is the final state's) and have only errors Aer places after gates.
    """
    plan = job.plan
    if plan.method != "automatic" or plan.order is not None or plan.options:
        return None
    if job.circuit.num_qubits > _MAX_BATCHED_QUBITS:
        return None
    noise = plan.noise
    # errors on measurements go before them, non-local errors elsewhere: leave those to Aer
    if noise is not None and (
        "measure" in noise._local_quantum_errors or noise._default_quantum_errors
    ):
        return None
    measured = _measured(job.circuit)
    if measured is None:
        return None
    if job.circuit.num_parameters and count:
        unique, inverse = np.unique(job.rows, axis=0, return_inverse=True)
        inverse = inverse.ravel()
    else:
        unique, inverse = np.zeros((1, 0)), np.zeros(count, dtype=int)
    return _Run(job, measured, unique, inverse, np.bincount(inverse, minlength=len(unique)))


def _flips(run: _Run) -> np.ndarray | None:
    """Per classical bit of the part: ``P(read 1 | 0)`` and ``P(read 0 | 1)``, or None."""
    noise = run.job.plan.noise
    if noise is None:
        return None
    flips = np.zeros((run.job.circuit.num_clbits, 2))
    for qubit, clbit in run.measured:
        error = noise._local_readout_errors.get((qubit,)) or noise._default_readout_error
        if error is not None:
            probabilities = np.asarray(error.probabilities)
            flips[clbit] = probabilities[0, 1], probabilities[1, 0]
    return flips if flips.any() else None


def _kraus(error: Any) -> Any:
    """The Kraus instruction of a noise model's error (converted once per error object).

    The worker's noise models are cached (:mod:`.noise`), so their errors are the same objects
    job after job; the cache holds each error, so its id cannot be reused while it is listed.
    """
    found = _KRAUS.get(id(error))
    if found is not None and found[0] is error:
        _KRAUS.move_to_end(id(error))
        return found[1]
    instruction = Kraus(error).to_instruction()
    _KRAUS[id(error)] = (error, instruction)
    if len(_KRAUS) > _KRAUS_CACHE_SIZE:
        _KRAUS.popitem(last=False)
    return instruction


def _final_state_circuit(run: _Run) -> QuantumCircuit:
    """The part without its measurements, each gate followed by its error from the plan's noise
    model (where ``qiskit_aer.utils.insert_noise`` puts them, as the channel's Kraus
    operators), saving the measured qubits' probabilities."""
    source = run.job.circuit
    noise = run.job.plan.noise
    local = noise._local_quantum_errors if noise is not None else {}
    index = {q: i for i, q in enumerate(source.qubits)}
    circuit = source.copy_empty_like()
    for inst in source.data:
        name = inst.operation.name
        if name == "measure":
            continue
        circuit._append(inst)
        error = local.get(name, {}).get(tuple(index[q] for q in inst.qubits))
        if error is not None:
            circuit._append(CircuitInstruction(_kraus(error), inst.qubits, ()))
    circuit.save_probabilities([q for q, _ in run.measured])
    return circuit


def _probabilities(runs: list[_Run], seed: int | None) -> list[np.ndarray]:
    """One Aer call for ``runs``; per run, ``(distinct rows, outcomes)`` probabilities."""
    circuits, binds = [], []
    for run in runs:
        circuits.append(_final_state_circuit(run))
        params = list(run.job.circuit.parameters)
        binds.append({p: run.unique[:, i].tolist() for i, p in enumerate(params)})
    options: dict[str, Any] = {"shots": 1, "method": "density_matrix"}
    if seed is not None:
        options["seed_simulator"] = seed % (MAX_SEED + 1)
    if any(binds):
        options["parameter_binds"] = binds
    parts = [run.job.circuit for run in runs]
    try:
        result = simulator().run(circuits, **options).result()
    except AerError as exc:
        raise too_large(parts, str(exc)) from exc
    if not result.success:
        raise too_large(parts, str(getattr(result, "status", "simulation failed")))
    experiments = iter(result.results)
    return [
        np.array([next(experiments).data.probabilities for _ in range(len(run.unique))])
        for run in runs
    ]


def _sampled(
    run: _Run, probabilities: np.ndarray, shots: int, rng: np.random.Generator
) -> np.ndarray:
    """``(elements, shots)`` outcome integers over the part's clbits, each shot drawn
    independently from the exact outcome distribution of its element's row."""
    weights = np.array([1 << c for _, c in run.measured], dtype=np.uint64)
    bits = (np.arange(probabilities.shape[1])[:, None] >> np.arange(len(run.measured))) & 1
    as_clbits = (bits.astype(np.uint64) * weights).sum(axis=1).astype(np.uint64)
    cumulative = np.cumsum(np.clip(probabilities, 0.0, None), axis=1)
    cumulative /= cumulative[:, -1:]
    draws = rng.random((len(run.inverse), shots))
    out = np.empty((len(run.inverse), shots), dtype=np.uint64)
    last = probabilities.shape[1] - 1
    for u in range(len(run.unique)):
        rows = run.inverse == u
        found = np.searchsorted(cumulative[u], draws[rows], side="right")
        out[rows] = as_clbits[np.minimum(found, last)]
    return out


def _scatter(
    bools: np.ndarray,
    outcomes: np.ndarray,
    clbits: tuple[int, ...],
    flips: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> None:
    """Write each shot's outcome bits into the item's classical bits (readout errors applied)."""
    for i, clbit in enumerate(clbits):
        if outcomes.dtype == np.uint64:
            bits = ((outcomes >> np.uint64(i)) & np.uint64(1)).astype(bool)
        else:
            bits = ((outcomes >> i) & 1).astype(bool)
        if flips is not None and rng is not None and flips[i].any():
            chance = np.where(bits, flips[i, 1], flips[i, 0])
            bits ^= rng.random(bits.shape) < chance
        bools[..., clbit] = bits


def simulate_parts(
    jobs: list[PartJob],
    model: DeviceModel,
    count: int,
    shots: int,
    num_clbits: int,
    seed: int | None,
    fallback: Fallback,
) -> np.ndarray:
    """``(count, shots, num_clbits)`` bools: the item's classical bits for every element.

    Args:
        jobs: The item's independent parts.
        model: The device.
        count: Elements (rows) of the item.
        shots: Shots per element.
        num_clbits: Classical bits of the item's circuit.
        seed: Seed of the simulator runs and of the shot draws, or None.
        fallback: Runs one part on its own plan (``(count, shots)`` outcome integers), for
            parts that cannot be batched (other methods, mid-circuit measurements).
    """
    bools = np.zeros((count, shots, num_clbits), dtype=bool)
    if not count or not shots:
        return bools
    batched: list[_Run] = []
    for number, job in enumerate(jobs):
        if not job.clbits:
            continue  # nothing of it is read out
        run = _batched_run(job, count)
        if run is None:
            part_seed = None if seed is None else seed + 104729 * (number + 1)
            _scatter(bools, fallback(job, part_seed), job.clbits)
        else:
            batched.append(run)
    if not batched:
        return bools
    rng = np.random.default_rng(None if seed is None else seed + 1)
    for run, probabilities in zip(batched, _probabilities(batched, seed), strict=True):
        outcomes = _sampled(run, probabilities, shots, rng)
        _scatter(bools, outcomes, run.job.clbits, _flips(run), rng)
    return bools
