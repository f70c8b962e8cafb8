"""Simulation plans: Pauli frames sample like Aer's noisy stabilizer, every method gets the
cores, estimates grow with the work, and hopeless jobs are still refused (1518/1519).

No timings are asserted: how well the estimates match is measured by
``benchmarks/bench_simulation_plans.py``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from execution_support import DEVICE_DIR, hadamard, healthy_path, sampler_spec
from qiskit.circuit import ClassicalRegister, QuantumCircuit
from qiskit_aer import AerSimulator
from qiskit_aer.noise import (
    NoiseModel,
    ReadoutError,
    depolarizing_error,
    pauli_error,
    thermal_relaxation_error,
)

from qrt_lab.local.devices.model import device_model
from qrt_lab.local.execution import simulation_plan
from qrt_lab.local.execution.execute import catalog, execute, init_worker
from qrt_lab.local.execution.pauli_frames import (
    frames_apply,
    frames_circuit,
    memory_bits,
    run_pauli_frames,
)
from qrt_lab.local.execution.simulation_cost import estimate_cost
from qrt_lab.local.execution.simulation_plan import plan_simulation
from qrt_lab.local.job_errors import JobFailure

BACKEND = "local_heron156"
HALF_PI = np.pi / 2


@pytest.fixture(scope="module", autouse=True)
def _worker() -> None:
    init_worker([str(DEVICE_DIR)] if DEVICE_DIR.is_dir() else [])


@pytest.fixture(scope="module")
def model() -> Any:
    device = catalog().get(BACKEND)
    assert device is not None
    return device_model(device)


def _brickwork(width: int, layers: int, clifford: bool, seed: int = 3) -> QuantumCircuit:
    """A compact brickwork circuit (qubit i next to i+1), unmeasured."""
    rng = np.random.default_rng(seed)
    circuit = QuantumCircuit(width)
    for layer in range(layers):
        for q in range(width):
            angle = HALF_PI * rng.integers(4) if clifford else rng.uniform(-np.pi, np.pi)
            circuit.rz(angle, q)
            circuit.sx(q)
        for a in range(layer % 2, width - 1, 2):
            circuit.cz(a, a + 1)
    return circuit


def _clifford_mix(width: int, seed: int) -> QuantumCircuit:
    """Random Clifford gates (rz by quarter turns, sx, x, h, cz, ecr) then their inverse, all
    measured: ideally all zeros, so every bit's flips come from how the errors propagate."""
    rng = np.random.default_rng(seed)
    forward = QuantumCircuit(width)
    for _ in range(3):
        for q in range(width):
            forward.rz(HALF_PI * rng.integers(4), q)
            forward.sx(q)
            if rng.random() < 0.3:
                forward.x(q)
            if rng.random() < 0.3:
                forward.h(q)  # not ISA, but frames take any Clifford gate
            if rng.random() < 0.2:
                forward.id(q)
        for a in range(int(rng.integers(2)), width - 1, 2):
            (forward.cz if rng.random() < 0.5 else forward.ecr)(a, a + 1)
    circuit = QuantumCircuit(width, width)
    circuit.compose(forward, inplace=True)
    circuit.compose(forward.inverse(), inplace=True)
    circuit.measure(range(width), range(width))
    return circuit


def _pauli_noise(width: int) -> NoiseModel:
    noise = NoiseModel()
    biased = pauli_error([("X", 0.01), ("Y", 0.005), ("Z", 0.015), ("I", 0.97)])
    for q in range(width):
        noise.add_quantum_error(biased, "sx", [q])
        noise.add_quantum_error(biased, "sxdg", [q])
        noise.add_quantum_error(depolarizing_error(0.03, 1), "x", [q])
        noise.add_quantum_error(pauli_error([("X", 0.05), ("I", 0.95)]), "h", [q])
        noise.add_quantum_error(pauli_error([("Y", 0.02), ("I", 0.98)]), "id", [q])
        p10, p01 = 0.01 + 0.005 * q, 0.04
        noise.add_readout_error(ReadoutError([[1 - p10, p10], [p01, 1 - p01]]), [q])
    for a in range(width - 1):
        for gate in ("cz", "ecr"):
            noise.add_quantum_error(depolarizing_error(0.03, 2), gate, [a, a + 1])
    return noise


def _moments(memory: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-qubit <Z> and adjacent <Z Z> of shot integers."""
    signs = 1.0 - 2.0 * memory_bits(memory, width)
    pairs = signs[:, :-1] * signs[:, 1:]
    return signs.mean(axis=0), pairs.mean(axis=0)


def test_pauli_frames_sample_like_aers_noisy_stabilizer() -> None:
    width, shots = 8, 12000
    circuit = _clifford_mix(width, seed=4)
    noise = _pauli_noise(width)
    assert frames_apply([circuit], noise)
    (frames,) = run_pauli_frames([circuit], shots=shots, seed=5, noise=noise)
    aer = AerSimulator(method="stabilizer", noise_model=noise)
    result = aer.run(circuit, shots=shots, seed_simulator=5, memory=True).result()
    reference = np.array([int(h, 16) for h in result.results[0].data.memory], dtype=np.uint64)
    z_frames, zz_frames = _moments(frames, width)
    z_aer, zz_aer = _moments(reference, width)
    # two independent estimates of each mean: standard error of the difference <= 0.013
    assert np.all(np.abs(z_frames - z_aer) < 0.05), (z_frames, z_aer)
    assert np.all(np.abs(zz_frames - zz_aer) < 0.05), (zz_frames, zz_aer)
    assert np.all((z_aer > 0.1) & (z_aer < 0.95))  # ideally 1: the noise is clearly there
    (again,) = run_pauli_frames([circuit], shots=shots, seed=5, noise=noise)
    assert np.array_equal(again, frames)  # seeded runs reproduce


def test_wide_ghz_frames_keep_the_parities_and_lose_some_to_noise() -> None:
    width, shots = 70, 4000  # wider than 63 clbits: python integers
    circuit = QuantumCircuit(width, width)
    circuit.rz(HALF_PI, 0)
    circuit.sx(0)
    circuit.rz(HALF_PI, 0)
    for a in range(width - 1):
        circuit.cx(a, a + 1)
    circuit.measure(range(width), range(width))
    noise = NoiseModel()
    noise.add_quantum_error(depolarizing_error(0.01, 2), "cx", [0, 1])
    noise.add_readout_error(ReadoutError([[0.98, 0.02], [0.02, 0.98]]), [width - 1])
    (memory,) = run_pauli_frames([circuit], shots=shots, seed=1, noise=noise)
    bits = memory_bits(memory, width)
    inner = bits[:, 1 : width - 1]
    assert np.all(inner == inner[:, :1])  # no error after the first cx reaches these
    assert 0.4 < bits[:, 1].mean() < 0.6  # GHZ: all zeros or all ones
    flipped = np.mean(bits[:, 0] != bits[:, 1])
    assert 0.002 < flipped < 0.02  # 8/15 of the cx depolarizing Paulis flip qubit 0 alone
    assert 0.01 < np.mean(bits[:, -1] != bits[:, 1]) < 0.04  # the readout error


@pytest.mark.parametrize(
    "change",
    ["mid-circuit measurement", "reset", "non-Clifford angle", "condition-free control flow"],
)
def test_circuits_frames_cannot_run_are_left_to_aer(change: str) -> None:
    circuit = _clifford_mix(4, seed=2)
    assert frames_circuit(circuit)
    if change == "mid-circuit measurement":
        circuit.sx(0)  # after its measurement
    elif change == "reset":
        circuit.reset(1)
    elif change == "non-Clifford angle":
        circuit.rz(0.3, 2)
    else:
        creg = ClassicalRegister(1)
        circuit.add_register(creg)
        with circuit.if_test((creg, 1)):
            circuit.x(3)
    assert not frames_circuit(circuit)


def test_noise_frames_cannot_place_is_left_to_aer() -> None:
    circuit = _clifford_mix(4, seed=2)
    assert frames_apply([circuit], _pauli_noise(4))
    noisy_measure = _pauli_noise(4)
    noisy_measure.add_quantum_error(depolarizing_error(0.01, 1), "measure", [0])
    assert not frames_apply([circuit], noisy_measure)
    relaxing = _pauli_noise(4)
    relaxing.add_quantum_error(thermal_relaxation_error(50e-6, 40e-6, 1e-6), "x", [1])
    assert not frames_apply([circuit], relaxing)  # its reset branch is not a Pauli


def _plan(model: Any, compact: QuantumCircuit, shots: int, **kw: Any) -> Any:
    physical = tuple(healthy_path(model, compact.num_qubits))
    return plan_simulation(compact, model, physical, 0, shots=shots, **kw)


def test_every_method_uses_every_core_on_long_runs(
    model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(simulation_plan, "_threads", lambda: 4)
    stabilizer = _brickwork(20, 3, clifford=True)
    stabilizer.add_register(ClassicalRegister(1))
    stabilizer.measure(0, 0)
    stabilizer.sx(0)  # a mid-circuit measurement: Aer's tableau, not Pauli frames
    plans = {
        "stabilizer": _plan(model, stabilizer, 20000),
        "density_matrix": _plan(model, _brickwork(11, 8, False), 50000),
        "statevector": _plan(model, _brickwork(16, 30, False), 50),
        "matrix_product_state": _plan(model, _brickwork(40, 4, False), 3000),
    }
    for method, plan in plans.items():
        assert plan.method == method, (method, plan.estimate)
        assert plan.options["max_parallel_threads"] == 4, method
        assert plan.threads == 4 and plan.facts(1.0)["threads"] == 4
    assert plans["matrix_product_state"].facts(1.0)["probe_trajectory_seconds"] > 0
    frames = _plan(model, _brickwork(20, 3, clifford=True), 20000)
    assert frames.method == "stabilizer" and frames.options["pauli_frames"]
    assert frames.facts(1.0)["pauli_frames"] and frames.threads == 1  # one vectorised thread


def test_short_runs_stay_on_one_thread_with_their_one_thread_estimate(model: Any) -> None:
    plan = _plan(model, _brickwork(14, 2, False), 20)
    assert "max_parallel_threads" not in plan.options and plan.threads == 1
    assert plan.estimate is not None and plan.estimate.seconds < 0.5


@pytest.mark.parametrize(
    ("method", "width", "clifford"),
    [
        ("density_matrix", 10, False),
        ("statevector", 16, False),
        ("matrix_product_state", 30, False),
        ("stabilizer", 30, True),
    ],
)
@pytest.mark.parametrize("frames", [False, True])
def test_estimates_grow_with_shots_width_and_depth(
    method: str, width: int, clifford: bool, frames: bool
) -> None:
    def cost(shots: int = 100, qubits: int = width, layers: int = 4) -> Any:
        circuit = _brickwork(qubits, layers, clifford)
        return estimate_cost(
            method, circuit, shots=shots, experiments=1, noisy=True, threads=2, frames=frames
        )

    base = cost()
    for bigger in (cost(shots=1000), cost(qubits=width + 4), cost(layers=8)):
        assert bigger.seconds > base.seconds
        assert bigger.memory_bytes >= base.memory_bytes
    assert 0 < base.seconds < 3600 and 0 < base.memory_bytes < 2**40
    several = estimate_cost(
        method,
        _brickwork(width, 4, clifford),
        shots=100,
        experiments=3,
        noisy=True,
        threads=2,
        frames=frames,
    )
    assert several.seconds == pytest.approx(3 * base.seconds)


def test_bond_bound_grows_the_mps_estimate_gate_by_gate() -> None:
    shallow, deep = (
        estimate_cost(
            "matrix_product_state",
            _brickwork(40, layers, False),
            shots=100,
            experiments=1,
            noisy=True,
            threads=1,
        )
        for layers in (4, 16)
    )
    assert deep.bond_dimension > shallow.bond_dimension
    # four times the gates, at a much larger bond dimension: far more than four times the time
    assert deep.seconds > 8 * shallow.seconds


def test_slow_stabilizer_and_dense_jobs_are_refused_before_running(
    model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS", "0.05")
    with pytest.raises(JobFailure) as refused:
        _plan(model, _brickwork(40, 6, clifford=True), 100000)
    assert refused.value.reason_code == 1519
    assert "stabilizer" in str(refused.value) and "fewer shots" in str(refused.value)
    monkeypatch.delenv("QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS")
    monkeypatch.setenv("QRT_LAB_LOCAL_MAX_MEMORY_GB", "0.000001")
    with pytest.raises(JobFailure) as too_big:
        _plan(model, _brickwork(40, 6, clifford=True), 100)
    assert too_big.value.reason_code == 1518


def test_hundred_qubit_ghz_job_runs_on_frames_through_the_worker(model: Any) -> None:
    path = tuple(healthy_path(model, 100))
    circuit = QuantumCircuit(156, 100)
    hadamard(circuit, path[0])
    for a, b in itertools.pairwise(path):
        hadamard(circuit, b)
        circuit.cz(a, b)  # H cz H = cx
        hadamard(circuit, b)
    circuit.measure(path, range(100))
    outcome = execute(sampler_spec([(circuit, None, 2000)], BACKEND, seed=3))
    assert outcome.status == "Completed", outcome.reason
    (facts,) = outcome.metadata["simulation"]
    assert facts["method"] == "stabilizer" and facts["pauli_frames"] is True
    assert "estimated_seconds" in facts
