"""Measuring one matrix-product-state trajectory before choosing the method.

The bond-dimension bound of :mod:`.simulation_cost` is an upper bound: circuits that undo their
own entanglement (mirror circuits, ``U`` then ``U``-inverse) or whose gates entangle little stay
far below it, and a ``chi**3`` cost makes the gap large (a 50-qubit mirror circuit was estimated
40x too long). When one trajectory is bounded by a few seconds, the plan runs it (with the
pub's noise, one thread: after a first shot, once with one shot and once with three, the
difference being two trajectories without Aer's set-up) and estimates the job from the time
they took: a few shots' work out of the job's hundreds or thousands.
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

#: Jobs estimated below this are not probed (the bound is good enough to rank them).
PROBE_FROM_SECONDS = 0.5
#: Longest bound on one trajectory that is probed; above it the bound decides.
PROBE_UP_TO_SECONDS = 10.0


def probe_worthwhile(
    estimate: CostEstimate, circuit: QuantumCircuit, order: Sequence[int], noisy: bool
) -> bool:
    """Whether measuring a trajectory may change the decision and costs at most a few seconds."""
    if estimate.seconds < PROBE_FROM_SECONDS:
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
    # one shot and three: the difference is two trajectories without Aer's fixed set-up cost
    # (after a first shot that pays the one-off costs, e.g. the noise model's wire form)
    taken = []
    for probe_shots in (1, 1, 3):
        started = time.perf_counter()
        simulator().run(laid, shots=probe_shots, **options).result()
        taken.append(time.perf_counter() - started)
    trajectory = max((taken[2] - taken[1]) / 2, taken[1] / 10)
    fixed = max(taken[1] - trajectory, 0.0)
    trajectories = shots if noise is not None else 1
    copies = max(min(threads, trajectories), 1)
    total = (fixed + trajectory * trajectories / copies + EXPERIMENT_SECONDS) * experiments
    serial = (fixed + trajectory * trajectories + EXPERIMENT_SECONDS) * experiments
    return dataclasses.replace(
        estimate, seconds=total, probe_seconds=trajectory, serial_seconds=serial
    )
