"""The qiskit-aer runner: one cached simulator per process, shot memory out as integers.

Every run returns, per experiment, one integer per shot whose bit ``i`` is clbit ``i`` of the
circuit; the sampler and estimator slice registers out of those integers. Parameterised
circuits are bound by Aer itself (``parameter_binds``), one experiment per parameter row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit_aer import AerError, AerSimulator
from qiskit_aer.noise import NoiseModel

from qrt_lab.local.job_errors import CIRCUIT_TOO_LARGE, JobFailure
from qrt_lab.local.jobspec import MAX_SEED

from .compaction import compact_circuit
from .pauli_frames import frames_apply, run_pauli_frames

__all__ = ["run_shots", "simulator", "too_large"]

_SIM: AerSimulator | None = None


def simulator() -> AerSimulator:
    """The process's simulator: single-threaded unless a plan's options ask for more threads.

    Small jobs leave the parallelism to the worker pool; long ones (see
    :mod:`.simulation_plan`) use every core for their shots.
    """
    global _SIM
    if _SIM is None:
        _SIM = AerSimulator(method="automatic", max_parallel_threads=1)
    return _SIM


def _to_ints(memory: Sequence[str], num_clbits: int) -> np.ndarray:
    if num_clbits <= 63:
        return np.fromiter((int(h, 16) for h in memory), dtype=np.uint64, count=len(memory))
    return np.array([int(h, 16) for h in memory], dtype=object)


def run_shots(
    circuits: Sequence[QuantumCircuit],
    *,
    shots: int,
    seed: int | None,
    noise: NoiseModel | None,
    parameter_rows: np.ndarray | None = None,
    method: str = "automatic",
    options: Mapping[str, Any] | None = None,
    order: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Run ``circuits`` and return each experiment's shot outcomes as integers.

    Args:
        circuits: Compact circuits with measurements (all of equal parameters when
            ``parameter_rows`` is given).
        shots: Shots per experiment.
        seed: Simulator seed, or None.
        noise: Noise model, or None for an ideal run.
        method: The Aer simulation method.
        parameter_rows: ``(rows, num_parameters)`` values, columns ordered like
            ``circuit.parameters``; each circuit then yields ``rows`` experiments, circuit-major.
        options: Extra Aer run options (threads, device, shot branching, memory limit).
        order: Simulate compact qubit ``order[i]`` as qubit ``i`` (the noise model must be in
            that numbering); classical bits, and so the results, are unaffected.

    Returns:
        One array of ``shots`` integers per experiment.

    Raises:
        JobFailure: if the circuit is too wide to simulate.

    Noisy Clifford circuits on the stabilizer method with terminal measurements are sampled,
    when the plan's options say ``pauli_frames``, with Pauli frames (:mod:`.pauli_frames`):
    one noiseless Aer shot, the noise as bit arithmetic.
    """
    options = dict(options or {})
    frames = bool(options.pop("pauli_frames", False))
    if frames and method == "stabilizer" and not order and frames_apply(circuits, noise):
        assert noise is not None
        frame_seed = None if seed is None else seed % (MAX_SEED + 1)
        return run_pauli_frames(circuits, shots=shots, seed=frame_seed, noise=noise)
    run_options: dict[str, Any] = dict(options or {})
    run_options.update({"shots": shots, "memory": True, "method": method})
    if seed is not None:
        run_options.pop("shot_branching_enable", None)  # branching ignores the seed (Aer 0.18)
        # per-PUB seeds (seed + i) may pass the maximum
        run_options["seed_simulator"] = seed % (MAX_SEED + 1)
    if noise is not None:
        run_options["noise_model"] = noise
    if parameter_rows is not None and circuits and circuits[0].num_parameters:
        params = list(circuits[0].parameters)
        binds = {p: parameter_rows[:, i].tolist() for i, p in enumerate(params)}
        run_options["parameter_binds"] = [binds] * len(circuits)
    try:
        experiments = [compact_circuit(c, order) for c in circuits] if order else list(circuits)
        result = simulator().run(experiments, **run_options).result()
    except AerError as exc:
        raise too_large(circuits, str(exc)) from exc
    if not result.success:
        raise too_large(circuits, str(getattr(result, "status", "simulation failed")))
    widths = [c.num_clbits for c in circuits]
    per_circuit = len(result.results) // max(len(circuits), 1)
    out = []
    for index, experiment in enumerate(result.results):
        memory = getattr(experiment.data, "memory", None) or []
        out.append(_to_ints(memory, widths[index // max(per_circuit, 1)]))
    return out


def too_large(circuits: Sequence[QuantumCircuit], detail: str) -> JobFailure:
    """The job failure for circuits Aer could not run (``detail``: Aer's message)."""
    width = max((c.num_qubits for c in circuits), default=0)
    return JobFailure(
        f"The simulator could not run a circuit on {width} active qubits ({detail.strip()}). "
        f"Reduce the number of qubits the circuit uses.",
        CIRCUIT_TOO_LARGE,
    )
