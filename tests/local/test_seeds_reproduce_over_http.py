"""A seeded job reproduces over loopback HTTP, through both clients, with mitigation on.

The seed travels from the primitive's options (``simulator.seed_simulator``, ``seed_estimator``)
through the job's params to the local service and on to every random draw there: Aer's shots,
twirling, ZNE folding, PEC sampling, PEA's learned layers and the noise learner's estimates. If
any of them dropped it, two runs with the same seed would differ. A different seed must give
different numbers (else the "seed" would be a constant, not a seed).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import EstimatorV2, NoiseLearner, QiskitRuntimeService, SamplerV2

from qrt_lab.runtime import EstimatorV2 as OurEstimator
from qrt_lab.runtime import NoiseLearner as OurNoiseLearner
from qrt_lab.runtime import QiskitRuntimeService as OurService
from qrt_lab.runtime import SamplerV2 as OurSampler

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: The estimator options of each mitigation path (PEC learns its layers inside the job).
ESTIMATOR_CASES = {
    "twirled TREX": {"resilience_level": 1},
    "ZNE": {"resilience_level": 2},
    "PEA": {"resilience_level": 2, "resilience": {"zne": {"amplifier": "pea"}}},
    "PEC": {
        "resilience_level": 1,
        "twirling": {"num_randomizations": 32, "shots_per_randomization": 16},
        "resilience": {"pec_mitigation": True},
    },
}


def ghz(backend: Any) -> QuantumCircuit:
    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    circuit.ry(0.3, 2)
    manager = generate_preset_pass_manager(
        backend=backend, optimization_level=1, initial_layout=[0, 1, 2], seed_transpiler=1
    )
    return manager.run(circuit)


def observables(circuit: QuantumCircuit) -> list[SparsePauliOp]:
    return [SparsePauliOp(label).apply_layout(circuit.layout) for label in ("ZZI", "IZZ", "XXX")]


def reproduces(run: Callable[[int], Any]) -> None:
    first, again, other = run(5), run(5), run(6)
    np.testing.assert_array_equal(first, again)  # the same seed: the same numbers
    assert not np.array_equal(first, other)  # another seed: other numbers


@pytest.fixture(scope="module")
def official_backend(service: QiskitRuntimeService) -> Any:
    return service.backend("local_5q")


@pytest.fixture(scope="module")
def our_backend(our_service: OurService) -> Any:
    return our_service.backend("local_5q")


@pytest.mark.parametrize("case", list(ESTIMATOR_CASES))
def test_official_estimator_seed_reproduces(official_backend: Any, case: str) -> None:
    circuit = ghz(official_backend)
    pub = (circuit, observables(circuit))

    def run(seed: int) -> Any:
        options = {**ESTIMATOR_CASES[case], "seed_estimator": seed, "default_shots": 512}
        estimator = EstimatorV2(mode=official_backend, options=options)
        return estimator.run([pub]).result()[0].data.evs

    reproduces(run)


@pytest.mark.parametrize("case", ["twirled TREX", "ZNE"])
def test_our_estimator_seed_reproduces(our_backend: Any, case: str) -> None:
    circuit = ghz(our_backend)
    pub = (circuit, observables(circuit))

    def run(seed: int) -> Any:
        estimator = OurEstimator(mode=our_backend, options=dict(ESTIMATOR_CASES[case]))
        estimator.options.default_shots = 512
        estimator.options.simulator.seed_simulator = seed
        return estimator.run([pub]).result()[0].data.evs

    reproduces(run)


def test_twirled_samplers_seed_reproduces(official_backend: Any, our_backend: Any) -> None:
    circuit = ghz(official_backend)
    circuit.measure_all()
    twirling = {"enable_gates": True, "enable_measure": True}

    def theirs(seed: int) -> Any:
        options = {"twirling": twirling, "simulator": {"seed_simulator": seed}}
        sampler = SamplerV2(mode=official_backend, options=options)
        return sampler.run([circuit], shots=300).result()[0].data.meas.array

    def ours(seed: int) -> Any:
        options = {"twirling": twirling, "simulator": {"seed_simulator": seed}}
        sampler = OurSampler(mode=our_backend, options=options)
        return sampler.run([circuit], shots=300).result()[0].data.meas.array

    reproduces(theirs)
    reproduces(ours)


def test_noise_learners_seed_reproduces(official_backend: Any, our_backend: Any) -> None:
    circuit = ghz(official_backend)
    learning = {"num_randomizations": 4, "shots_per_randomization": 64}

    def rates(result: Any) -> Any:
        return np.concatenate([layer.error.rates for layer in result.data])

    def theirs(seed: int) -> Any:
        options = {**learning, "simulator": {"seed_simulator": seed}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            learner = NoiseLearner(mode=official_backend, options=options)
        return rates(learner.run([circuit]).result())

    def ours(seed: int) -> Any:
        learner = OurNoiseLearner(mode=our_backend, options=dict(learning))
        learner.options.simulator.seed_simulator = seed
        return rates(learner.run([circuit]).result())

    reproduces(theirs)
    reproduces(ours)
