"""Error mitigation (twirling, ZNE, PEA, PEC) with the official client's EstimatorV2.

A mirror circuit (a random layer block, then its inverse) has ideal ``<Z...Z> = 1``; on the
simulated Heron its raw value is well below. The numbers are properties, not timings.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import EstimatorV2, NoiseLearner, QiskitRuntimeService

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService) -> Any:
    return service.backend("local_heron156")


def line(backend: Any, n: int) -> list[int]:
    """``n`` operational qubits in a chain."""
    faulty = set(backend.properties().faulty_qubits())
    edges = {tuple(e) for e in backend.coupling_map.get_edges()}
    for start in range(backend.num_qubits):
        path = [start]
        while len(path) < n:
            nxt = [
                q for a, q in sorted(edges) if a == path[-1] and q not in path and q not in faulty
            ]
            if not nxt:
                break
            path.append(nxt[0])
        if len(path) == n and not set(path) & faulty:
            return path
    raise AssertionError("no chain of operational qubits")


def mirror(backend: Any, n: int, depth: int, seed: int = 1) -> tuple[QuantumCircuit, Any]:
    rng = np.random.default_rng(seed)
    half = QuantumCircuit(n)
    for d in range(depth):
        for q in range(n):
            half.rx(float(rng.uniform(0, np.pi)), q)
            half.rz(float(rng.uniform(0, np.pi)), q)
        for q in range(d % 2, n - 1, 2):
            half.cx(q, q + 1)
    qc = half.copy()
    qc.barrier()
    qc.compose(half.inverse(), inplace=True)
    isa = generate_preset_pass_manager(
        backend=backend, optimization_level=1, initial_layout=line(backend, n), seed_transpiler=1
    ).run(qc)
    return isa, SparsePauliOp("Z" * n).apply_layout(isa.layout)


def estimate(backend: Any, pub: tuple, **options: Any) -> Any:
    options.setdefault("seed_estimator", 11)
    options.setdefault("default_shots", 4096)
    estimator = EstimatorV2(mode=backend, options=options)
    return estimator.run([pub]).result()


def test_level2_zne_beats_level1_and_its_fields_decode(backend: Any) -> None:
    pub = mirror(backend, 4, 8)
    raw = estimate(backend, pub, resilience_level=1)[0]
    result = estimate(backend, pub, resilience_level=2)
    zne = result[0]
    assert float(raw.data.evs) < 0.9
    assert abs(1 - float(zne.data.evs)) + float(zne.data.stds) < abs(1 - float(raw.data.evs))
    assert zne.data.evs_noise_factors.shape == (3,)
    assert zne.data.stds_noise_factors.shape == (3,)
    assert zne.data.ensemble_stds_noise_factors.shape == (3,)
    assert zne.data.evs_extrapolated.shape == (2, 4)  # 2 extrapolators x [0, 1, 3, 5]
    assert zne.data.stds_extrapolated.shape == (2, 4)
    assert np.all(np.diff(zne.data.evs_noise_factors) < 0), "more noise, lower value"
    assert zne.metadata["resilience"]["zne"]["extrapolator"] in ("exponential", "linear")
    assert result.metadata["resilience"]["zne_mitigation"] is True
    assert result.metadata["twirling"]["enable_gates"] is True


def test_zne_options_shape_the_answer(backend: Any) -> None:
    pub = mirror(backend, 3, 4)
    options = {
        "resilience_level": 1,
        "resilience": {
            "zne_mitigation": True,
            "zne": {
                "noise_factors": [1, 2, 3, 4],
                "extrapolator": "polynomial_degree_2",
                "amplifier": "gate_folding_front",
                "extrapolated_noise_factors": [0, 0.5],
            },
        },
    }
    data = estimate(backend, pub, **options)[0].data
    assert data.evs_noise_factors.shape == (4,)
    assert data.evs_extrapolated.shape == (1, 2)
    assert float(data.evs) == pytest.approx(float(data.evs_extrapolated[0, 0]))


def test_pea_on_the_noise_learners_layers(backend: Any) -> None:
    circuit, observable = mirror(backend, 4, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        learner = NoiseLearner(
            mode=backend,
            options={"max_layers_to_learn": None, "simulator": {"seed_simulator": 11}},
        )
    layers = learner.run([circuit]).result()
    raw = estimate(backend, (circuit, observable), resilience_level=1)[0]
    options = {
        "resilience_level": 2,
        "resilience": {"zne": {"amplifier": "pea"}, "layer_noise_model": layers},
    }
    pea = estimate(backend, (circuit, observable), **options)[0]
    assert abs(1 - float(pea.data.evs)) < abs(1 - float(raw.data.evs))
    assert pea.metadata["resilience"]["layer_noise"]["learned_layers"] == len(layers.data)


def test_pec_is_within_three_standard_errors(backend: Any) -> None:
    pub = mirror(backend, 3, 4)
    raw = estimate(backend, pub, resilience_level=1)[0]
    options = {
        "resilience_level": 1,
        # many small randomizations: the count of sign-flipped samples is what PEC averages
        "twirling": {"num_randomizations": 256, "shots_per_randomization": 16},
        "resilience": {
            "pec_mitigation": True,
            "layer_noise_learning": {"max_layers_to_learn": None},
        },
    }
    pec = estimate(backend, pub, **options)[0]
    assert float(raw.data.evs) < 0.95
    assert abs(1 - float(pec.data.evs)) < 3 * float(pec.data.stds)
    assert float(pec.data.stds) > float(raw.data.stds), "PEC pays its sampling overhead"
    assert pec.metadata["resilience"]["pec"]["sampling_overhead"] > 1


def test_twirling_metadata_as_the_platform(backend: Any) -> None:
    pub = mirror(backend, 2, 2)
    result = estimate(backend, pub, resilience_level=1, default_shots=1000)
    assert result[0].metadata["shots"] == 1024
    assert result[0].metadata["num_randomizations"] == 16
    assert result[0].metadata["target_precision"] == pytest.approx(1 / np.sqrt(1000))
    assert result.metadata["twirling"]["enable_measure"] is True
    fixed = estimate(
        backend,
        pub,
        resilience_level=1,
        twirling={"num_randomizations": 5, "shots_per_randomization": 100},
    )
    assert fixed[0].metadata["shots"] == 500
    assert fixed[0].metadata["num_randomizations"] == 5
