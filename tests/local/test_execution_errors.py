"""Bad jobs fail cleanly: Failed outcomes with a clear reason and a distinct reason code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from execution_support import (
    DEVICE_DIR,
    bell,
    estimator_spec,
    healthy_edge,
    healthy_path,
    sampler_spec,
)
from qiskit.circuit import Parameter, QuantumCircuit

from qrt_lab.local.devices.model import device_model
from qrt_lab.local.execution.execute import catalog, execute, init_worker
from qrt_lab.local.execution.simulation_plan import MAX_EXACT_NOISY_QUBITS
from qrt_lab.local.jobspec import JobSpec


@pytest.fixture(scope="module", autouse=True)
def _worker() -> None:
    init_worker([str(DEVICE_DIR)] if DEVICE_DIR.is_dir() else [])


def _failure(spec: JobSpec, code: int, *fragments: str) -> str:
    outcome = execute(spec)
    assert outcome.status == "Failed"
    assert outcome.reason_code == code, outcome.reason
    assert outcome.reason and outcome.result_json == outcome.reason
    for fragment in fragments:
        assert fragment in outcome.reason
    return outcome.reason


def _heron_model():
    device = catalog().get("local_heron156")
    assert device is not None
    return device_model(device)


def test_non_basis_gate_is_rejected_as_non_isa() -> None:
    circuit = QuantumCircuit(156, 1)
    circuit.h(3)
    circuit.measure(3, 0)
    reason = _failure(
        sampler_spec([circuit], "local_heron156"), 1517, "non-ISA", "h on qubits (3,)", "#1517"
    )
    assert "transpile" in reason


def test_uncoupled_pair_is_rejected() -> None:
    circuit = QuantumCircuit(156)
    circuit.cz(0, 100)
    _failure(estimator_spec([(circuit, {"Z" * 156: 1.0})], "local_heron156"), 1517, "(0, 100)")


def test_ecr_against_its_direction_is_rejected() -> None:
    a, b = healthy_edge("local_eagle127")
    circuit = bell(127, b, a, "ecr")
    _failure(sampler_spec([circuit], "local_eagle127"), 1517, f"ecr on qubits ({b}, {a})")


def test_faulty_qubit_and_coupler_are_rejected() -> None:
    model = _heron_model()
    qubit = min(model.faulty_qubits)
    circuit = QuantumCircuit(156, 1)
    circuit.measure(qubit, 0)
    _failure(sampler_spec([circuit], "local_heron156"), 1517, "faulty qubit", str(qubit))
    _, (a, b) = min(model.faulty_edges)
    circuit = QuantumCircuit(156, 2)
    circuit.cz(a, b)
    circuit.measure([a, b], [0, 1])
    _failure(sampler_spec([circuit], "local_heron156"), 1517, "faulty coupler")


def test_instructions_inside_control_flow_are_checked() -> None:
    circuit = QuantumCircuit(5, 1)
    circuit.x(0)
    circuit.measure(0, 0)
    with circuit.if_test((circuit.clbits[0], 1)):
        circuit.h(2)
    _failure(sampler_spec([circuit], "local_5q"), 1517, "h on qubits (2,)")


def test_dynamic_circuit_runs() -> None:
    circuit = QuantumCircuit(5, 2)
    circuit.x(0)
    circuit.measure(0, 0)
    with circuit.if_test((circuit.clbits[0], 1)):
        circuit.x(1)
    circuit.measure(1, 1)
    outcome = execute(sampler_spec([(circuit, None, 200)], "local_ideal"))
    assert outcome.status == "Completed", outcome.reason


def test_circuit_wider_than_device() -> None:
    _failure(sampler_spec([QuantumCircuit(6, 1)], "local_5q"), 1517, "6 qubits")


def test_too_many_shots() -> None:
    circuit = bell(5, 0, 1, "cx")
    _failure(sampler_spec([(circuit, None, 100_001)], "local_5q"), 1516, "100000")
    pub = (QuantumCircuit(1), {"Z": 1.0}, None, 0.001)
    _failure(estimator_spec([pub], "local_ideal"), 1516, "precision")


@pytest.mark.parametrize(
    "params_json",
    [
        "{not json",
        "[]",
        json.dumps({"pubs": []}),
        json.dumps({"pubs": [[{"__type__": "QuantumCircuit", "__value__": "bm90LXFweQ=="}]]}),
    ],
)
def test_malformed_params(params_json: str) -> None:
    _failure(JobSpec("j", "sampler", "local_5q", params_json, None), 1513)


def test_unknown_backend_and_program() -> None:
    good = sampler_spec([bell(5, 0, 1, "cx")], "local_5q")
    spec = JobSpec("j", "sampler", "ibm_nowhere", good.params_json, None)
    _failure(spec, 1515, "ibm_nowhere", "local_heron156")
    spec = JobSpec("j", "circuit-runner", "local_5q", good.params_json, None)
    _failure(spec, 1514, "circuit-runner")


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"execution": {"meas_type": "raw"}}, "meas_type"),
        ({"default_shots": "10"}, "default_shots"),
        ({"default_shots": 0}, "default_shots"),
        ({"execution": {"rep_delay": 0.1}}, "rep_delay"),
        ({"simulator": {"seed_simulator": -1}}, "seed_simulator"),
        ({"simulator": {"seed_simulator": 2**63}}, "seed_simulator"),
        ({"twirling": 3}, "twirling"),
    ],
)
def test_bad_sampler_options(options: dict, fragment: str) -> None:
    _failure(sampler_spec([bell(5, 0, 1, "cx")], "local_5q", options), 1513, fragment)


@pytest.mark.parametrize(
    ("options", "level", "fragment"),
    [
        ({"default_precision": 0}, None, "default_precision"),
        ({"seed_estimator": 2**70}, None, "seed_estimator"),
        ({}, 7, "resilience_level"),
        ({"resilience": {"measure_mitigation": "yes"}}, None, "measure_mitigation"),
    ],
)
def test_bad_estimator_options(options: dict, level: int | None, fragment: str) -> None:
    spec = estimator_spec([(QuantumCircuit(1), {"Z": 1.0})], "local_ideal", options, level)
    _failure(spec, 1513, fragment)


def _dense_circuit(width: int, layers: int) -> QuantumCircuit:
    """Non-Clifford layers of cz along a path of healthy heavy-hex qubits (entangles a lot)."""
    model = _heron_model()
    path = healthy_path(model, width)
    circuit = QuantumCircuit(156, width)
    for _ in range(layers):
        for q in path:
            circuit.rz(0.1, q)
            circuit.sx(q)
        for start in (0, 1):
            for a, b in zip(path[start::2], path[start + 1 :: 2], strict=False):
                circuit.cz(a, b)
    circuit.measure(path, range(width))
    return circuit


def test_impossible_dense_circuit_fails_at_once_with_its_estimate() -> None:
    circuit = _dense_circuit(60, 40)
    reason = _failure(
        sampler_spec([circuit], "local_heron156"),
        1518,
        "60 qubits",
        "memory limit",
        "Estimates: statevector",
        "matrix_product_state",
        "fewer active qubits",
    )
    assert "2^" in reason  # the estimates are astronomically large, and say so


def test_too_slow_simulation_fails_with_1519(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS", "0.001")
    assert MAX_EXACT_NOISY_QUBITS < 14
    _failure(
        sampler_spec([(_dense_circuit(14, 3), None, 1000)], "local_heron156"),
        1519,
        "too long",
        "QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS",
        "fewer shots",
    )


def test_options_not_applied_are_reported() -> None:
    options = {"dynamical_decoupling": {"enable": True}, "twirling": {"enable_gates": True}}
    outcome = execute(sampler_spec([bell(5, 0, 1, "cx")], "local_5q", options))
    assert outcome.status == "Completed"
    assert outcome.metadata["not_applied"] == ["twirling.enable_gates"]
    assert "not applied" in outcome.logs


def test_a_bug_in_the_worker_fails_the_job_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    from qrt_lab.local.execution import execute as execution

    def broken(spec: JobSpec) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(execution, "_run", broken)
    reason = _failure(sampler_spec([bell(5, 0, 1, "cx")], "local_5q"), 1500, "KeyError")
    assert "bug in the local service" in reason and "resubmit" in reason


def test_per_pub_seeds_past_the_largest_seed_still_run() -> None:
    pubs = [bell(5, 0, 1, "cx")] * 2  # pub 1 runs with seed_simulator + 1
    options = {"simulator": {"seed_simulator": 2**63 - 1}}
    outcome = execute(sampler_spec(pubs, "local_5q", options))
    assert outcome.status == "Completed", outcome.reason


def _estimator_raw(mutate: Any, options: dict[str, Any] | None = None) -> JobSpec:
    """An estimator spec whose encoded pub is edited as JSON (what a hostile client can send)."""
    theta = Parameter("t")
    circuit = QuantumCircuit(5)
    circuit.rz(theta, 0)
    circuit.sx(0)
    good = estimator_spec([(circuit, "ZIIII", [0.3])], "local_5q", options)
    params = json.loads(good.params_json)
    mutate(params["pubs"][0])
    return JobSpec("j", "estimator", "local_5q", json.dumps(params), None, 7)


def _set(position: int, value: Any) -> Any:
    return lambda pub: pub.__setitem__(position, value)


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (_set(2, [float("nan")]), "found nan"),
        (_set(2, [None]), "null value decodes as nan"),
        (_set(2, [float("inf")]), "found inf"),
        (_set(2, [-float("inf")]), "found -inf"),
        (_set(2, [10**400]), "int too large"),
        (_set(1, {"ZIIII": float("inf")}), "observable coefficient inf"),
        (_set(1, {"ZIIII": float("nan")}), "observable coefficient nan"),
        (_set(1, {"ZIIII": 1e308, "IZIII": 1e308}), "at most 1e+150"),
        (_set(3, float("inf")), "precision must be a finite number"),
        (_set(3, float("nan")), "precision must be a finite number"),
        (_set(3, 0), "precision must be a finite number"),
    ],
)
def test_numbers_no_simulation_can_use_fail_with_1513(mutate: Any, fragment: str) -> None:
    _failure(_estimator_raw(mutate), 1513, fragment)


@pytest.mark.parametrize("precision", [1e-170, 1e-300, 5e-324])
def test_a_precision_too_fine_to_count_fails_with_1516(precision: float) -> None:
    reason = _failure(_estimator_raw(_set(3, precision)), 1516, "more shots than can be counted")
    assert "coarser precision" in reason
    spec = _estimator_raw(lambda pub: None, {"default_precision": precision})
    _failure(spec, 1516, "more shots than can be counted")


def test_non_finite_default_precision_and_sampler_values_fail_with_1513() -> None:
    _failure(_estimator_raw(lambda pub: None, {"default_precision": float("inf")}), 1513)
    theta = Parameter("t")
    circuit = QuantumCircuit(5, 1)
    circuit.rz(theta, 0)
    circuit.measure(0, 0)
    _failure(sampler_spec([(circuit, [float("nan")])], "local_5q"), 1513, "found nan")


def test_a_very_coarse_precision_still_runs_at_least_one_shot() -> None:
    outcome = execute(_estimator_raw(_set(3, 1e6)))
    assert outcome.status == "Completed", outcome.reason
