"""The time model's form: fixed costs apart from per-shot costs, monotone in the work, additive
terms, threads, and the 1518/1519 thresholds. Deterministic: no simulation runs and no timings
(how close the estimates come to measured runs is ``benchmarks/bench_simulation_plans.py``).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from qiskit.circuit import QuantumCircuit

from qrt_lab.local.execution.simulation_cost import (
    CONSTANTS,
    CostEstimate,
    estimate_cost,
    mps_trajectory_seconds,
    seconds_of,
)
from qrt_lab.local.execution.simulation_limits import check_limits
from qrt_lab.local.job_errors import JobFailure

HALF_PI = np.pi / 2
METHODS = ("density_matrix", "statevector", "matrix_product_state", "stabilizer", "frames")


def _ghz(width: int) -> QuantumCircuit:
    """A GHZ state in ``rz``/``sx``/``cz`` (Clifford), measured at the end."""
    circuit = QuantumCircuit(width, width)
    for q in range(width):
        circuit.rz(HALF_PI, q)
        circuit.sx(q)
        circuit.rz(HALF_PI, q)
        if q:
            circuit.cz(q - 1, q)
    circuit.measure(range(width), range(width))
    return circuit


def _brickwork(width: int, layers: int, seed: int = 3) -> QuantumCircuit:
    rng = np.random.default_rng(seed)
    circuit = QuantumCircuit(width, width)
    for layer in range(layers):
        for q in range(width):
            circuit.rz(float(rng.uniform(-np.pi, np.pi)), q)
            circuit.sx(q)
        for a in range(layer % 2, width - 1, 2):
            circuit.cz(a, a + 1)
    circuit.measure(range(width), range(width))
    return circuit


def _cost(
    method: str,
    circuit: QuantumCircuit,
    shots: int,
    threads: int = 1,
    experiments: int = 1,
    noisy: bool = True,
) -> CostEstimate:
    return estimate_cost(
        "stabilizer" if method == "frames" else method,
        circuit,
        shots=shots,
        experiments=experiments,
        noisy=noisy,
        threads=threads,
        frames=method == "frames",
    )


def _circuit(method: str, width: int) -> QuantumCircuit:
    return _ghz(width) if method in ("stabilizer", "frames") else _brickwork(width, 4)


def _width(method: str) -> int:
    return {"density_matrix": 8, "statevector": 14}.get(method, 30)


@pytest.mark.parametrize("method", METHODS)
def test_every_estimate_is_its_terms_times_the_constants(method: str) -> None:
    estimate = _cost(method, _circuit(method, _width(method)), 500, threads=1, experiments=3)
    assert estimate.terms and {t.name for t in estimate.terms} <= set(CONSTANTS)
    assert estimate.seconds == pytest.approx(seconds_of(estimate.terms))
    assert estimate.serial_seconds == pytest.approx(estimate.seconds)
    fixed = [t for t in estimate.terms if t.name.endswith("_run")]
    assert [t.amount for t in fixed] == [3.0]  # one fixed cost per experiment, never per shot
    assert all(value >= 0 for value in CONSTANTS.values())


@pytest.mark.parametrize("method", METHODS)
def test_estimates_are_affine_in_shots_with_the_fixed_cost_apart(method: str) -> None:
    circuit = _circuit(method, _width(method))
    one, two, three = (_cost(method, circuit, shots).seconds for shots in (1000, 2000, 3000))
    assert three - two == pytest.approx(two - one, rel=1e-9)
    assert two > one
    # a tiny run keeps the whole shot-independent cost: never less than the fixed part
    tiny = _cost(method, circuit, 1)
    shot_free = sum(CONSTANTS[t.name] * t.amount for t in tiny.terms if t.name.endswith("_run"))
    assert tiny.seconds >= shot_free


def test_a_fixed_cost_per_step_dominates_tiny_pauli_frame_runs() -> None:
    """The form the first model missed: per step, frames cost a fixed part besides the shots."""
    for width in (13, 50, 100):
        circuit = _ghz(width)
        tiny, small = _cost("frames", circuit, 1), _cost("frames", circuit, 10)
        per_shot = sum(CONSTANTS[t.name] * t.amount for t in tiny.terms if "shot" in t.name)
        assert per_shot < 0.01 * tiny.seconds  # one shot: nearly all of it is fixed
        assert small.seconds < 1.1 * tiny.seconds  # ten shots cost about the same
        many = _cost("frames", circuit, 100000)
        assert many.seconds > 3 * tiny.seconds  # and many shots are what costs


@pytest.mark.parametrize("method", METHODS)
def test_estimates_grow_with_width(method: str) -> None:
    spans = {
        "density_matrix": [range(9, 17)],
        # Aer fuses gates above 14 qubits (measured: half the cost per amplitude and
        # operation), so a 15-qubit statevector may cost a little less than a 14-qubit one
        "statevector": [range(10, 15), range(15, 25)],
        "matrix_product_state": [range(16, 80, 8)],
        "stabilizer": [range(13, 160, 12)],
        "frames": [range(13, 160, 12)],
    }[method]
    for widths in spans:
        costs = [_cost(method, _circuit(method, w), 1000, threads=2) for w in widths]
        for smaller, larger in itertools.pairwise(costs):
            assert larger.seconds > smaller.seconds
            assert larger.serial_seconds > smaller.serial_seconds
            assert larger.memory_bytes >= smaller.memory_bytes


@pytest.mark.parametrize("method", ["statevector", "matrix_product_state", "stabilizer"])
def test_noise_trajectories_share_the_threads(method: str) -> None:
    circuit = _circuit(method, _width(method))
    one, two = (_cost(method, circuit, 4000, threads=t) for t in (1, 2))
    assert two.serial_seconds == pytest.approx(one.seconds)
    parallel = sum(CONSTANTS[t.name] * t.amount for t in one.terms if t.parallel)
    assert two.seconds == pytest.approx(one.seconds - parallel / 2)
    assert parallel > 0.5 * one.seconds  # at 4,000 shots the trajectories are most of it


def test_pauli_frames_are_one_thread_whatever_the_threads() -> None:
    circuit = _ghz(100)
    assert _cost("frames", circuit, 4096, threads=8).seconds == pytest.approx(
        _cost("frames", circuit, 4096, threads=1).seconds
    )


def test_mps_probe_bound_is_the_trajectory_part_of_the_estimate() -> None:
    circuit = _brickwork(30, 6)
    order = tuple(range(30))
    estimate = estimate_cost(
        "matrix_product_state", circuit, shots=10, experiments=1, noisy=True, threads=1
    )
    trajectories = sum(
        CONSTANTS[t.name] * t.amount for t in estimate.terms if not t.name.endswith("_run")
    )
    assert trajectories == pytest.approx(10 * mps_trajectory_seconds(circuit, order, True))


def _estimate(method: str, seconds: float, memory: float) -> CostEstimate:
    return CostEstimate(method, memory, seconds)


def test_time_refusal_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS", "10")
    monkeypatch.setenv("QRT_LAB_LOCAL_MAX_MEMORY_GB", "1")
    assert check_limits(0, 20, [_estimate("statevector", 9.99, 2**20)]).seconds == 9.99
    with pytest.raises(JobFailure) as refused:
        check_limits(0, 20, [_estimate("statevector", 10.01, 2**20)])
    assert refused.value.reason_code == 1519
    assert "10 s" in str(refused.value) and "QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS" in str(
        refused.value
    )


def test_memory_refusal_threshold_and_the_fastest_fitting_method_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_MAX_MEMORY_GB", "1")
    fast_but_big = _estimate("density_matrix", 1.0, 2**30 + 1)
    slow_fits = _estimate("matrix_product_state", 5.0, 2**30)
    slower_fits = _estimate("statevector", 6.0, 2**29)
    assert check_limits(0, 30, [fast_but_big, slower_fits, slow_fits]) is slow_fits
    with pytest.raises(JobFailure) as refused:
        check_limits(0, 30, [fast_but_big, _estimate("statevector", 2.0, 2**31)])
    assert refused.value.reason_code == 1518
    assert "QRT_LAB_LOCAL_MAX_MEMORY_GB" in str(refused.value)


def test_dense_memory_estimates_are_exact_state_sizes() -> None:
    for width in (10, 14):
        dm = _cost("density_matrix", _brickwork(width, 2), 100)
        assert dm.memory_bytes == 16 * 4**width
        sv = _cost("statevector", _brickwork(width, 2), 100, threads=2)
        assert sv.memory_bytes == 16 * 2**width * 2  # a state per thread's trajectory
        ideal = _cost("statevector", _brickwork(width, 2), 100, threads=2, noisy=False)
        assert ideal.memory_bytes == 16 * 2**width
