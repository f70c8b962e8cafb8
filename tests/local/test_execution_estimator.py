"""Estimator jobs through execute(): expectation values, precision rule, readout mitigation."""

from __future__ import annotations

import json

import numpy as np
import pytest
from execution_support import DEVICE_DIR, bell, estimator_spec, healthy_edge, label
from qiskit.circuit import Parameter, QuantumCircuit
from qiskit_ibm_runtime import RuntimeDecoder

from qrt_lab.local.execution.execute import execute, init_worker
from qrt_lab.runtime import codec


@pytest.fixture(scope="module", autouse=True)
def _worker() -> None:
    init_worker([str(DEVICE_DIR)] if DEVICE_DIR.is_dir() else [])


def _result(outcome):
    assert outcome.status == "Completed", outcome.reason
    return codec.loads(outcome.result_json)


def test_bell_correlations_on_the_ideal_simulator() -> None:
    circuit = bell(2, 0, 1, "cx", measure=False)
    observables = [{"ZZ": 1.0}, {"XX": 1.0}, {"YY": 1.0}, {"ZI": 1.0}, {"ZZ": 0.5, "XX": 0.5}]
    result = _result(execute(estimator_spec([(circuit, observables)], "local_ideal")))
    evs = result[0].data.evs
    assert evs.shape == (5,)
    assert evs[:3] == pytest.approx([1.0, 1.0, -1.0])
    assert abs(evs[3]) < 0.06 and evs[4] == pytest.approx(1.0)
    assert result[0].data.stds[0] == pytest.approx(0.0)


def test_zz_near_one_on_the_156_qubit_device() -> None:
    a, b = healthy_edge("local_heron156")
    circuit = bell(156, a, b, "cz", measure=False)
    observables = [{label(156, {a: "Z", b: "Z"}): 1.0}, {label(156, {}): 2.0}]
    outcome = execute(estimator_spec([(circuit, observables)], "local_heron156"))
    evs = _result(outcome)[0].data.evs
    assert evs[0] == pytest.approx(1.0, abs=0.06) and evs[1] == pytest.approx(2.0)
    assert outcome.metadata["simulated_qubits"] == [[a, b]]


def _single_z(level: int, seed: int) -> float:
    circuit = QuantumCircuit(5)
    circuit.x(0)
    circuit.x(0)  # ideal <Z0> = +1; noise and readout pull it down
    spec = estimator_spec(
        [(circuit, {"IIIIZ": 1.0})], "local_5q", {"default_shots": 20000}, level, seed
    )
    return float(_result(execute(spec))[0].data.evs)


def test_readout_mitigation_moves_z_towards_ideal() -> None:
    raw = _single_z(0, seed=11)
    mitigated = _single_z(1, seed=11)
    assert raw < 0.99
    assert abs(1.0 - mitigated) < abs(1.0 - raw) / 2


def test_resilience_metadata_reports_what_was_applied() -> None:
    circuit = QuantumCircuit(5)
    outcome = execute(estimator_spec([(circuit, {"IIIIZ": 1.0})], "local_5q", None, 0))
    result = _result(outcome)
    assert result.metadata["resilience"] == {
        "measure_mitigation": False,
        "zne_mitigation": False,
        "pec_mitigation": False,
    }
    assert result.metadata["twirling"]["enable_measure"] is False
    assert result.metadata["version"] == 2
    level2 = execute(estimator_spec([(circuit, {"IIIIZ": 1.0})], "local_5q", None, 2))
    resilience = _result(level2).metadata["resilience"]
    assert resilience["measure_mitigation"] is True
    assert resilience["zne_mitigation"] is True
    assert resilience["zne"]["noise_factors"] == [1.0, 3.0, 5.0]
    assert _result(level2).metadata["twirling"]["enable_gates"] is True
    assert not any("zne" in item.lower() for item in level2.metadata["not_applied"])


@pytest.mark.parametrize(
    ("options", "precision", "shots"),
    # measurement twirling (level 1): shots rounded up to whole randomizations of >= 64 shots
    [({}, None, 4096), ({"default_precision": 0.05}, None, 448), ({}, 0.1, 128)],
)
def test_precision_to_shots_rule(options: dict, precision: float | None, shots: int) -> None:
    pub = (QuantumCircuit(1), {"Z": 1.0}, None, precision)
    result = _result(execute(estimator_spec([pub], "local_ideal", options)))
    assert result[0].metadata["shots"] == shots
    assert result[0].metadata["target_precision"] == (
        precision or options.get("default_precision", 0.015625)
    )


def test_default_shots_overrides_precision() -> None:
    pub = (QuantumCircuit(1), {"X": 1.0}, None, 0.5)
    result = _result(execute(estimator_spec([pub], "local_ideal", {"default_shots": 1000})))
    assert result[0].metadata["shots"] == 1024  # 16 randomizations of 64 shots
    assert result[0].metadata["num_randomizations"] == 16
    assert result[0].metadata["target_precision"] == pytest.approx(1 / np.sqrt(1000))
    assert result[0].data.stds == pytest.approx(np.sqrt(1 / 1000), rel=0.2)


def test_observables_broadcast_with_parameters() -> None:
    theta = Parameter("theta")
    circuit = QuantumCircuit(1)
    circuit.sx(0)
    circuit.rz(theta, 0)
    circuit.sx(0)  # <Z> = -cos(theta)
    values = np.array([[0.0], [np.pi / 2], [np.pi]])
    observables = [[{"Z": 1.0}], [{"Z": -1.0}]]
    result = _result(execute(estimator_spec([(circuit, observables, values)], "local_ideal")))
    data = result[0].data
    assert data.evs.shape == (2, 3) and data.stds.shape == (2, 3)
    assert data.ensemble_standard_error.shape == (2, 3)
    assert data.evs[0] == pytest.approx([-1.0, 0.0, 1.0], abs=0.06)
    assert data.evs[1] == pytest.approx([1.0, 0.0, -1.0], abs=0.06)


def test_seed_estimator_reproducible_and_official_decoder() -> None:
    circuit = QuantumCircuit(2)
    circuit.sx(0)
    spec = estimator_spec([(circuit, {"ZI": 1.0, "IZ": 1.0})], "local_ideal", {"seed_estimator": 5})
    first, second = execute(spec), execute(spec)
    assert _result(first)[0].data.evs == _result(second)[0].data.evs
    official = json.loads(first.result_json, cls=RuntimeDecoder)
    assert float(official[0].data.evs) == pytest.approx(float(_result(first)[0].data.evs))


def test_estimator_quantum_seconds_count_bases() -> None:
    circuit = QuantumCircuit(2)
    spec = estimator_spec(
        [(circuit, {"ZZ": 1.0, "XX": 1.0})], "local_ideal", {"default_shots": 1000}
    )
    outcome = execute(spec)
    # two measurement bases (ZZ and XX) of 1024 shots each (1000 rounded up to 16
    # randomizations of 64), 250 us rep delay, 2 s set-up
    assert 2.512 < outcome.quantum_seconds < 2.52
