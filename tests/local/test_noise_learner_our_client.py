"""qrt-lab's own NoiseLearner against the service's ``noise-learner`` program, then PEA with it.

The learned layers decode to qrt-lab's result types, travel back as the Estimator's
``layer_noise_model`` in the official wire form, and the service's ZNE with the PEA amplifier
uses them.
"""

from __future__ import annotations

from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import EstimatorV2, NoiseLearner, QiskitRuntimeService, codec
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.noise_learner.results import LayerError, NoiseLearnerResult


@pytest.fixture(scope="module")
def backend(local_service: LocalServiceInfo) -> Any:
    service = QiskitRuntimeService(
        token=local_service.api_key, url=local_service.url, instance=local_service.instance
    )
    return service.backend("local_5q")


def test_learned_layers_feed_a_pea_estimator(backend: Any) -> None:
    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    isa = generate_preset_pass_manager(
        backend=backend, optimization_level=1, seed_transpiler=1
    ).run(circuit)
    learner = NoiseLearner(mode=backend)
    learner.options.num_randomizations = 4
    learner.options.shots_per_randomization = 64
    learner.options.simulator.seed_simulator = 7  # the learned rates, hence the PEA value, fixed
    learned = learner.run([isa]).result()
    assert isinstance(learned, NoiseLearnerResult) and len(learned) >= 1
    for layer in learned:
        assert isinstance(layer, LayerError) and layer.error is not None
        assert (layer.error.rates >= 0).all() and layer.error.rates.max() < 0.5
    # the official wire form: "_json" objects under the official module name
    wire = codec.dumps({"model": learned})
    assert '"__class__": "NoiseLearnerResult"' in wire and "noise_learner_result" in wire

    estimator = EstimatorV2(mode=backend)
    estimator.options.resilience_level = 2
    estimator.options.resilience.zne.amplifier = "pea"
    estimator.options.resilience.layer_noise_model = learned
    estimator.options.simulator.seed_simulator = 7
    observable = SparsePauliOp("ZZI").apply_layout(isa.layout)
    result = estimator.run([(isa, observable)]).result()[0]
    assert result.data.evs_extrapolated.shape[-1] >= 1
    assert result.metadata["resilience"]["zne"]["extrapolator"]
    assert abs(float(result.data.evs) - 1.0) < 0.2
