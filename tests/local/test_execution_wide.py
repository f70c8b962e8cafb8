"""Wide circuits with the device's full noise, through the real local service over HTTP.

14-, 20- and 24-qubit ``efficient_su2`` circuits (reps 2) transpiled for the 156-qubit device
complete with distributions close to the noiseless ones, a 40-qubit low-entanglement circuit runs
on matrix product states, seeds reproduce on every method, and sweeps, ``default_shots``,
sessions and the estimator work at these widths.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from execution_support import estimator_spec, sampler_spec
from qiskit.circuit import QuantumCircuit
from qiskit.circuit.library import efficient_su2
from qiskit.quantum_info import (
    PTM,
    SparsePauliOp,
    average_gate_fidelity,
    hellinger_fidelity,
)
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_aer import AerSimulator

from qrt_lab.local.devices.model import device_model
from qrt_lab.local.execution.compaction import active_qubits, compact_circuit
from qrt_lab.local.execution.execute import catalog, execute
from qrt_lab.local.execution.noise import noise_model_for
from qrt_lab.local.execution.simulation_cost import bond_exponents, estimate_cost, line_order
from qrt_lab.local.execution.simulation_plan import plan_simulation
from qrt_lab.local.execution.simulator import run_shots
from qrt_lab.runtime import EstimatorV2, QiskitRuntimeService, SamplerV2, Session, codec
from qrt_lab.runtime.api.discovery import LocalServiceInfo

BACKEND = "local_heron156"


def ansatz(width: int, reps: int = 2, measure: bool = True) -> QuantumCircuit:
    """``efficient_su2`` with fixed random parameters."""
    circuit = efficient_su2(width, reps=reps)
    values = np.random.default_rng(42).uniform(-np.pi, np.pi, circuit.num_parameters)
    circuit = circuit.assign_parameters(values)
    if measure:
        circuit.measure_all()
    return circuit


@pytest.fixture(scope="module")
def service(local_service: LocalServiceInfo) -> QiskitRuntimeService:
    return QiskitRuntimeService(
        token=local_service.api_key, instance=local_service.instance, url=local_service.url
    )


@pytest.fixture(scope="module")
def manager(service: QiskitRuntimeService) -> Any:
    backend = service.backend(BACKEND)
    return generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=1)


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService) -> Iterator[Any]:
    yield service.backend(BACKEND)


def _marginals(counts: dict[str, int], width: int) -> tuple[np.ndarray, list[dict[str, float]]]:
    """Per-qubit <Z> and adjacent-pair distributions of bitstring counts (qubit 0 rightmost)."""
    shots = sum(counts.values())
    z = np.zeros(width)
    pairs: list[dict[str, float]] = [{} for _ in range(width - 1)]
    for key, count in counts.items():
        bits = key[::-1]
        for q in range(width):
            z[q] += (1 - 2 * int(bits[q])) * count / shots
        for q in range(width - 1):
            pair = bits[q : q + 2]
            pairs[q][pair] = pairs[q].get(pair, 0.0) + count / shots
    return z, pairs


def _ideal_marginals(circuit: QuantumCircuit) -> tuple[np.ndarray, list[dict[str, float]]]:
    """Exact noiseless marginals like :func:`_marginals`, from Aer's ideal statevector."""
    bare = circuit.remove_final_measurements(inplace=False)
    bare.save_probabilities()
    ideal = AerSimulator(method="statevector", max_parallel_threads=2)
    width = bare.num_qubits
    tensor = np.asarray(ideal.run(bare).result().data(0)["probabilities"]).reshape((2,) * width)
    axis = {q: width - 1 - q for q in range(width)}  # C order: the last axis is qubit 0
    z = np.zeros(width)
    for q in range(width):
        marginal = tensor.sum(axis=tuple(a for a in range(width) if a != axis[q]))
        z[q] = marginal[0] - marginal[1]
    pairs = []
    for q in range(width - 1):
        others = tuple(a for a in range(width) if a not in (axis[q], axis[q + 1]))
        joint = tensor.sum(axis=others)  # axes (qubit q+1, qubit q)
        pairs.append({f"{i}{j}": float(joint[j, i]) for i in (0, 1) for j in (0, 1)})
    return z, pairs


def _ideal_expectations(circuit: QuantumCircuit, labels: list[str]) -> np.ndarray:
    """Noiseless expectation values of full-width Pauli labels (Aer statevector)."""
    bare = circuit.copy()
    for i, label in enumerate(labels):
        bare.save_expectation_value(SparsePauliOp(label), bare.qubits, label=f"e{i}")
    data = AerSimulator(method="statevector").run(bare).result().data(0)
    return np.array([float(np.real(data[f"e{i}"])) for i in range(len(labels))])


def _sample(backend: Any, isa: QuantumCircuit, shots: int, seed: int) -> tuple[dict, dict]:
    sampler = SamplerV2(mode=backend)
    sampler.options.simulator.seed_simulator = seed
    result = sampler.run([(isa, None, shots)]).result()
    return result[0].data.meas.get_counts(), result[0].metadata["simulation"]


@pytest.mark.slow
@pytest.mark.parametrize("width", [14, 20, 24])
def test_efficient_su2_is_noisy_but_close_to_ideal(backend: Any, manager: Any, width: int) -> None:
    circuit = ansatz(width)
    isa = manager.run(circuit)
    counts, facts = _sample(backend, isa, 500, seed=11)
    assert sum(counts.values()) == 500
    assert facts["method"] == "matrix_product_state", facts
    assert "T1, T2" in facts["noise"] and "readout" in facts["noise"]
    assert facts["bond_dimension_bound"] <= 16
    ideal_z, ideal_pairs = _ideal_marginals(circuit)
    z, pairs = _marginals(counts, width)
    assert np.max(np.abs(z - ideal_z)) < 0.2, (z, ideal_z)
    fidelities = [hellinger_fidelity(p, q) for p, q in zip(pairs, ideal_pairs, strict=True)]
    assert min(fidelities) > 0.95, fidelities
    assert float(np.mean(fidelities)) > 0.985, fidelities


@pytest.mark.slow
def test_noise_is_really_there_on_a_wide_mirror_circuit(backend: Any, manager: Any) -> None:
    """U then U-inverse is the identity: ideally all zeros, with the device's noise clearly not."""
    forward = ansatz(20, measure=False)
    mirror = forward.compose(forward.inverse())
    mirror.measure_all()
    counts, facts = _sample(backend, manager.run(mirror), 500, seed=3)
    zeros = counts.get("0" * 20, 0) / 500
    assert 0.3 < zeros < 0.97, (zeros, facts)


@pytest.mark.slow
def test_forty_qubits_of_low_entanglement_run_on_mps(backend: Any, manager: Any) -> None:
    isa = manager.run(ansatz(40, reps=1))
    counts, facts = _sample(backend, isa, 200, seed=5)
    assert sum(counts.values()) == 200 and all(len(k) == 40 for k in counts)
    assert facts["method"] == "matrix_product_state"
    assert facts["bond_dimension_bound"] <= 4
    assert facts["estimated_memory_bytes"] < 2**20


@pytest.mark.slow
def test_seeds_reproduce_over_http(backend: Any, manager: Any) -> None:
    isa = manager.run(ansatz(14))
    first, _ = _sample(backend, isa, 200, seed=123)
    second, _ = _sample(backend, isa, 200, seed=123)
    other, _ = _sample(backend, isa, 200, seed=124)
    assert first == second
    assert first != other


def _planned(circuit: QuantumCircuit, shots: int) -> tuple[str, list[np.ndarray]]:
    model = device_model(catalog().get(BACKEND))
    physical = tuple(active_qubits(circuit))
    compact = compact_circuit(circuit, physical)
    plan = plan_simulation(compact, model, physical, 0, shots=shots)
    runs = [
        run_shots(
            [compact],
            shots=shots,
            seed=9,
            noise=plan.noise,
            method=plan.method,
            options=plan.options,
            order=plan.order,
        )[0]
        for _ in range(2)
    ]
    return plan.method, runs


def _clifford_chain(manager: Any, width: int) -> QuantumCircuit:
    chain = QuantumCircuit(width)
    chain.h(0)
    for q in range(width - 1):
        chain.cx(q, q + 1)
    chain.measure_all()
    return manager.run(chain)


@pytest.mark.slow
def test_every_method_reproduces_its_seed(manager: Any) -> None:
    """Density matrix, statevector trajectories, MPS and stabilizer: same seed, same shots."""
    circuits = {
        "density_matrix": (manager.run(ansatz(10, reps=1)), 20000),
        "statevector": (manager.run(ansatz(10, reps=3)), 50),  # reps=1 is estimated cheaper on MPS
        "matrix_product_state": (manager.run(ansatz(18, reps=1)), 100),
        "stabilizer": (_clifford_chain(manager, 30), 200),
    }
    for expected, (circuit, shots) in circuits.items():
        method, (first, second) = _planned(circuit, shots)
        assert method == expected
        assert np.array_equal(first, second), method
        assert len(set(first.tolist())) > 1, method  # noisy: more than one outcome


@pytest.mark.slow
def test_sweep_default_shots_and_session(service: QiskitRuntimeService, manager: Any) -> None:
    circuit = efficient_su2(14, reps=2)
    circuit.measure_all()
    isa = manager.run(circuit)
    values = np.random.default_rng(1).uniform(-np.pi, np.pi, (3, circuit.num_parameters))
    with Session(backend=service.backend(BACKEND)) as session:
        sampler = SamplerV2(mode=session)
        sampler.options.default_shots = 120
        sampler.options.simulator.seed_simulator = 4
        job = sampler.run([(isa, values)])
        result = job.result()
        assert job.session_id == session.session_id
    bits = result[0].data.meas
    assert bits.shape == (3,) and bits.num_shots == 120 and bits.num_bits == 14
    assert result[0].metadata["simulation"]["method"] == "matrix_product_state"
    rows = [bits[i].get_counts() for i in range(3)]
    assert rows[0] != rows[1] != rows[2]


@pytest.mark.slow
def test_estimator_on_twenty_qubits(backend: Any, manager: Any) -> None:
    circuit = ansatz(20, measure=False)
    isa = manager.run(circuit)
    labels = ["Z" + "I" * 19, "I" * 19 + "Z", "I" * 9 + "ZZ" + "I" * 9]
    observables = [SparsePauliOp(label).apply_layout(isa.layout) for label in labels]
    estimator = EstimatorV2(mode=backend)
    estimator.options.seed_estimator = 8
    result = estimator.run([(isa, observables)], precision=0.05).result()
    expected = _ideal_expectations(circuit, labels)
    evs, stds = result[0].data.evs, result[0].data.stds
    assert result[0].metadata["simulation"]["method"] == "matrix_product_state"
    assert np.all(np.abs(evs - expected) < 0.25), (evs, expected)
    assert np.all((stds > 0.005) & (stds < 0.08)), stds  # about the requested precision


def test_small_circuits_keep_their_fast_path() -> None:
    circuit = QuantumCircuit(156, 2)
    circuit.sx(0)
    circuit.measure([0], [0])
    outcome = execute(sampler_spec([circuit], BACKEND))
    assert outcome.status == "Completed"
    (facts,) = outcome.metadata["simulation"]
    assert facts["method"] == "automatic" and facts["threads"] == 1
    assert "pub 0" in outcome.logs and "noise:" in outcome.logs


def _estimate(isa: QuantumCircuit, labels: list[str], level: int, seed: int) -> Any:
    observables = [SparsePauliOp(label).apply_layout(isa.layout) for label in labels]
    spec = estimator_spec(
        [(isa, observables, None, 0.02)], BACKEND, resilience_level=level, seed=seed
    )
    outcome = execute(spec)
    assert outcome.status == "Completed", outcome.reason
    return codec.decode_result(outcome.result_json)[0]


@pytest.mark.slow
def test_estimator_takes_exact_values_from_the_noisy_density_matrix(manager: Any) -> None:
    circuit = ansatz(10, reps=1, measure=False)
    isa = manager.run(circuit)
    labels = ["I" * 9 + "Z", "Z" + "I" * 9, "I" * 4 + "ZZ" + "I" * 4, "I" * 4 + "XX" + "I" * 4]
    expected = _ideal_expectations(circuit, labels)
    mitigated = _estimate(isa, labels, 1, seed=8)
    assert mitigated.metadata["simulation"]["method"] == "density_matrix"
    # 2,500 shots (precision 0.02) rounded up to 32 measurement-twirling randomizations of 79
    assert mitigated.metadata["shots"] == 2528
    evs, stds = mitigated.data.evs, mitigated.data.stds
    assert np.all(np.abs(evs - expected) < 0.2), (evs, expected)
    # the standard error of 2,500 shots, inflated a little by the readout mitigation
    assert np.all(stds <= 1.2 / 50) and np.all(stds > 0), stds
    again = _estimate(isa, labels, 1, seed=8)
    assert np.array_equal(again.data.evs, evs)
    raw = _estimate(isa, labels, 0, seed=8)
    # readout errors shrink raw values towards (about) zero; mitigation undoes that on average
    assert np.sum(np.abs(raw.data.evs)) < np.sum(np.abs(evs)) + 0.05


def test_line_order_follows_the_chain_and_bounds_the_bond_dimension() -> None:
    chain = [0, 9, 1, 8, 2, 7, 3, 6, 4, 5]  # a path whose qubit numbers zig-zag
    circuit = QuantumCircuit(10)
    for a, b in itertools.pairwise(chain):
        circuit.rx(0.3, a)
        circuit.cz(a, b)
    assert max(bond_exponents(circuit, range(10))) == 5  # the middle cut is crossed 9 times
    order = line_order(circuit)
    assert list(order) in (chain, chain[::-1])
    assert bond_exponents(circuit, order) == [1] * 9
    mps = estimate_cost(
        "matrix_product_state",
        circuit,
        shots=100,
        experiments=1,
        noisy=True,
        threads=2,
        order=order,
    )
    assert mps.bond_dimension == 2 and mps.memory_bytes < 2**12
    dense = [
        estimate_cost(m, circuit, shots=100, experiments=1, noisy=True, threads=2)
        for m in ("density_matrix", "statevector")
    ]
    assert dense[0].memory_bytes == 16 * 4**10 and dense[1].memory_bytes == 16 * 2**10 * 2
    assert dense[0].seconds > mps.seconds


@pytest.mark.parametrize("gate", ["sx", "cz"])
def test_twirled_gate_error_keeps_the_ptm_diagonal_and_fidelity(gate: str) -> None:
    model = device_model(catalog().get(BACKEND))
    qubits = next(q for (g, q) in model.gates if g == gate and len(q) == (1 if gate == "sx" else 2))
    exact = noise_model_for(model, qubits)._local_quantum_errors[gate][tuple(range(len(qubits)))]
    twirled = noise_model_for(model, qubits, twirled=True)
    pauli = twirled._local_quantum_errors[gate][tuple(range(len(qubits)))]
    exact_ptm = np.diag(PTM(exact.to_quantumchannel()).data).real
    twirled_ptm = np.diag(PTM(pauli.to_quantumchannel()).data).real
    assert np.allclose(exact_ptm, twirled_ptm, atol=1e-12)
    assert 1 - average_gate_fidelity(pauli.to_quantumchannel()) == pytest.approx(
        model.gates[(gate, qubits)].error, rel=0.02
    )
