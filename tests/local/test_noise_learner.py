"""The ``noise-learner`` program with the unmodified official client (NoiseLearner, V3)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import NoiseLearner, QiskitRuntimeService
from qiskit_ibm_runtime.options import NoiseLearnerOptions
from qiskit_ibm_runtime.results import LayerError, NoiseLearnerResult, PauliLindbladError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService) -> Any:
    return service.backend("local_heron156")


def chain(backend: Any, n: int = 3, reps: int = 2) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    for _ in range(reps):
        for i in range(n - 1):
            qc.cx(i, i + 1)
    return generate_preset_pass_manager(
        backend=backend, optimization_level=0, initial_layout=list(range(n)), seed_transpiler=1
    ).run(qc)


def learn(backend: Any, circuits: list[QuantumCircuit], **options: Any) -> NoiseLearnerResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        learner = NoiseLearner(mode=backend, options=NoiseLearnerOptions(**options))
    result = learner.run(circuits).result()
    assert isinstance(result, NoiseLearnerResult)
    return result


def test_layers_decode_as_layer_errors(backend: Any) -> None:
    circuit = chain(backend)
    result = learn(backend, [circuit], simulator={"seed_simulator": 7})
    assert result.data, "a circuit with two-qubit gates has layers to learn"
    for layer in result.data:
        assert isinstance(layer, LayerError)
        assert isinstance(layer.error, PauliLindbladError)
        assert layer.circuit.num_qubits == len(layer.qubits) == layer.error.num_qubits
        assert np.all(layer.error.rates >= 0)
        # a cz on heron has ~0.3-1% error: rates of order 1e-4..1e-2
        assert 1e-5 < layer.error.rates.max() < 0.05
    assert result.metadata["input_options"]["twirling_strategy"] == "active-accum"


def test_options_change_the_answer(backend: Any) -> None:
    circuit = chain(backend, n=4, reps=2)
    base = learn(backend, [circuit], simulator={"seed_simulator": 3})
    again = learn(backend, [circuit], simulator={"seed_simulator": 3})
    coarse = learn(
        backend,
        [circuit],
        num_randomizations=1,
        shots_per_randomization=8,
        layer_pair_depths=[0, 1],
        simulator={"seed_simulator": 3},
    )
    assert [e.error.rates.tolist() for e in base.data] == [
        e.error.rates.tolist() for e in again.data
    ]
    fine_spread = max(float(np.std(e.error.rates)) for e in base.data)
    coarse_spread = max(float(np.std(e.error.rates)) for e in coarse.data)
    assert coarse_spread > fine_spread, "fewer shots and shallower depths: noisier rates"
    one = learn(backend, [circuit], max_layers_to_learn=1)
    assert len(one.data) == 1 < len(base.data)
    active = learn(backend, [circuit], twirling_strategy="active")
    every = learn(backend, [circuit], twirling_strategy="all")
    assert min(len(e.qubits) for e in active.data) == 2
    assert all(len(e.qubits) == circuit.num_qubits for e in every.data)


def test_bad_learning_options_fail_clearly(backend: Any) -> None:
    circuit = chain(backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        learner = NoiseLearner(mode=backend, options={"layer_pair_depths": [2]})
    job = learner.run([circuit])
    with pytest.raises(Exception, match="two distinct depths"):
        job.result()


def test_noise_learner_v3_learns_boxes(backend: Any) -> None:
    from qiskit import ClassicalRegister, QuantumRegister
    from qiskit_ibm_runtime import NoiseLearnerV3
    from samplomatic import Twirl

    qc = QuantumCircuit(QuantumRegister(backend.num_qubits, "q"), ClassicalRegister(2))
    cz = next(q for name, q in _two_qubit_gates(backend) if name == "cz")
    with qc.box([Twirl()]):
        qc.cz(*cz)
    with qc.box([Twirl()]):
        qc.measure(list(cz), [0, 1])
    learner = NoiseLearnerV3(backend)
    learner.options.num_randomizations = 4
    results = learner.run(list(qc.data)).result()
    assert len(results) == 2
    lindblad, trex = results.data
    assert lindblad.metadata["learning_protocol"] == "lindblad"
    assert trex.metadata["learning_protocol"] == "trex"
    maps = results.to_pauli_lindblad_maps()
    assert maps[0].num_qubits == 2 and len(lindblad) == 15
    assert np.all(maps[0].rates >= 0) and maps[0].rates.max() > 0
    assert len(trex) == 2 and np.all(trex._rates >= 0)


def _two_qubit_gates(backend: Any) -> list[tuple[str, tuple[int, ...]]]:
    return [
        (name, tuple(q))
        for name in backend.target.operation_names
        for q in (backend.target.qargs_for_operation_name(name) or [])
        if q is not None and len(q) == 2
    ]
