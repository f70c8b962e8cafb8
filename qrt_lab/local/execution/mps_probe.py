"""Measuring one matrix-product-state trajectory before choosing the method.

The bond-dimension bound of :mod:`.simulation_cost` is an upper bound: circuits that undo their
own entanglement (mirror circuits, ``U`` then ``U``-inverse) or whose gates entangle little stay
far below it, and a ``chi**3`` cost makes the gap large (a 50-qubit mirror circuit was estimated
40x too long). When one trajectory is bounded by a few seconds, the plan runs it (with the
pub's noise, one thread: after a first shot, once with one shot and once with ``k``, the
difference being ``k - 1`` trajectories without Aer's set-up, ``k`` from 3 to 64 so that the
bound says they take about a tenth of a second) and estimates the job from the CPU time they
took (a busy machine stretches wall time, not CPU time): a few shots' work out of the job's
hundreds or thousands.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit_aer.noise import NoiseModel

from .compaction import compact_circuit
from .simulation_cost import EXPERIMENT_SECONDS, CostEstimate, mps_trajectory_seconds

__all__ = ["PROBE_FROM_SECONDS", "PROBE_UP_TO_SECONDS", "probe_worthwhile", "probed"]

#: Jobs estimated below this on one thread are not probed (the bound is good enough to rank
#: them; a job kept on one thread has its one-thread estimate).
PROBE_FROM_SECONDS = 0.5
#: Longest bound on one trajectory that is probed; above it the bound decides.
PROBE_UP_TO_SECONDS = 10.0
#: Trajectories of the probe's second run: what the bound says takes this long (at least 3).
PROBE_SECONDS = 0.1
_PROBE_MAX_SHOTS = 64


def probe_worthwhile(
    estimate: CostEstimate, circuit: QuantumCircuit, order: Sequence[int], noisy: bool
) -> bool:
    """Whether measuring a trajectory may change the decision and costs at most a few seconds."""
    if max(estimate.seconds, estimate.serial_seconds) < PROBE_FROM_SECONDS:
        return False
    return mps_trajectory_seconds(circuit, order, noisy) <= PROBE_UP_TO_SECONDS


def probed(
    estimate: CostEstimate,
    circuit: QuantumCircuit,
    order: Sequence[int],
    noise: NoiseModel | None,
    *,
    shots: int,
    experiments: int,
    threads: int,
) -> CostEstimate:
    """``estimate`` with its time taken from one measured trajectory of ``circuit``.

    Args:
        estimate: The bound-based estimate.
        circuit: The compact circuit (parameters get fixed values: the bound ignores them too).
        order: The line order (``noise`` is in that numbering).
        noise: The noise model the job will run with, or None.
        shots: Shots per experiment.
        experiments: Experiments of the pub.
        threads: Threads the job may use.
    """
    from .simulator import simulator

    bound = circuit
    if circuit.num_parameters:
        values = np.random.default_rng(0).uniform(-np.pi, np.pi, circuit.num_parameters)
        bound = circuit.assign_parameters(values)
    laid = compact_circuit(bound, order)
    options = {"method": "matrix_product_state", "seed_simulator": 1}
    if noise is not None:
        options["noise_model"] = noise
    # one shot and k: the difference is k - 1 trajectories without Aer's fixed set-up cost
    # (after a first shot that pays the one-off costs, e.g. the noise model's wire form), in
    # CPU time (a busy machine stretches wall time, not CPU time), with k large enough that
    # the difference stands out of the set-up's jitter
    noisy = noise is not None
    guess = mps_trajectory_seconds(circuit, order, noisy)
    many = int(min(max(PROBE_SECONDS / max(guess, 1e-9), 3), _PROBE_MAX_SHOTS, max(shots, 3)))
    taken = []
    for probe_shots in (1, 1, many) if noisy else (1, 1):  # ideal: one state for every shot
        started = time.process_time()
        simulator().run(laid, shots=probe_shots, max_parallel_threads=1, **options).result()
        taken.append(time.process_time() - started)
    trajectory = max((taken[2] - taken[1]) / (many - 1) if noisy else 0.0, taken[1] / 10)
    fixed = max(taken[1] - trajectory, 0.0)
    trajectories = shots if noise is not None else 1
    copies = max(min(threads, trajectories), 1)
    total = (fixed + trajectory * trajectories / copies + EXPERIMENT_SECONDS) * experiments
    serial = (fixed + trajectory * trajectories + EXPERIMENT_SECONDS) * experiments
    return dataclasses.replace(
        estimate, seconds=total, probe_seconds=trajectory, serial_seconds=serial, terms=()
    )
