"""The worker's noise-model cache: keyed by calibration content, bounded, and result-neutral.

The executor program builds one noise model per group of independent qubits; a 156-qubit
client-side Estimator circuit makes about 30 groups per item. These tests make sure a cached
model is only ever reused where an identical one would be rebuilt, that building only the gates
a circuit runs and composing errors without copies change nothing a seeded job returns.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pytest
from execution_support import hadamard
from qiskit.circuit import Parameter, QuantumCircuit
from qiskit.quantum_info import average_gate_fidelity

from qrt_lab.local.devices.catalog import DeviceCatalog, builtin_devices
from qrt_lab.local.devices.model import DeviceModel, GateCalibration, device_model
from qrt_lab.local.execution import executor_program, noise
from qrt_lab.local.execution.executor_program import execute_program
from qrt_lab.local.jobspec import JobSpec

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _model(name: str) -> DeviceModel:
    return device_model(next(d for d in builtin_devices() if d.name == name))


def _edge(model: DeviceModel, gate: str) -> tuple[int, int]:
    return next(
        q
        for (g, q), cal in model.gates.items()
        if g == gate and cal.error < 0.05 and q[0] < q[1] and not set(q) & model.faulty_qubits
    )


def _sx_infidelity(noise_model: Any, local: int = 0) -> float:
    error = noise_model._local_quantum_errors["sx"][(local,)]
    return float(1 - average_gate_fidelity(error.to_quantumchannel()))


def _readout(noise_model: Any, local: int = 0) -> float:
    return float(np.asarray(noise_model._local_readout_errors[(local,)].probabilities)[0, 1])


def test_same_name_and_qubits_with_another_calibration_gets_its_own_model() -> None:
    model = _model("local_heron156")
    a, b = _edge(model, "cz")
    first = noise.noise_model_for(model, (a, b))
    recalibrated_gates = dict(model.gates)
    recalibrated_gates[("sx", (a,))] = GateCalibration(0.01, model.gates[("sx", (a,))].length)
    qubits = list(model.qubits)
    qubits[a] = dataclasses.replace(qubits[a], prob_meas1_prep0=0.2)
    recalibrated = dataclasses.replace(model, gates=recalibrated_gates, qubits=qubits)
    second = noise.noise_model_for(recalibrated, (a, b))
    assert first is not None and second is not None and second is not first
    assert _sx_infidelity(first) == pytest.approx(model.gates[("sx", (a,))].error, rel=0.02)
    assert _sx_infidelity(second) == pytest.approx(0.01, rel=0.02)
    assert _readout(first) == pytest.approx(model.qubits[a].prob_meas1_prep0)
    assert _readout(second) == pytest.approx(0.2)
    # and the first calibration still gets its own model back
    assert noise.noise_model_for(model, (a, b)) is first


def test_two_devices_with_the_same_group_get_their_own_models() -> None:
    heron, eagle = _model("local_heron156"), _model("local_eagle127")
    group = (3, 4)
    on_heron = noise.noise_model_for(heron, group)
    on_eagle = noise.noise_model_for(eagle, group)
    assert on_heron is not None and on_eagle is not None and on_heron is not on_eagle
    for model, built in ((heron, on_heron), (eagle, on_eagle)):
        assert _sx_infidelity(built) == pytest.approx(model.gates[("sx", (3,))].error, rel=0.02)
        assert _readout(built, 1) == pytest.approx(model.qubits[4].prob_meas1_prep0)


def test_an_identical_calibration_reuses_the_model_across_device_objects() -> None:
    model = _model("local_heron156")
    copy = dataclasses.replace(model, name="another_name_same_calibration")
    a, b = _edge(model, "cz")
    assert noise.noise_model_for(copy, (a, b)) is noise.noise_model_for(model, (a, b))
    assert noise.noise_model_for(model, (a, b), twirled=True) is not noise.noise_model_for(
        model, (a, b)
    )
    assert noise.noise_model_for(model, (b, a)) is not noise.noise_model_for(model, (a, b))


def test_only_the_gates_asked_for_get_errors() -> None:
    model = _model("local_heron156")
    a, b = _edge(model, "cz")
    built = noise.noise_model_for(model, (a, b), gates={("sx", (a,)), ("measure", (a,))})
    assert built is not None
    assert set(built._local_quantum_errors) == {"sx"}
    assert set(built._local_quantum_errors["sx"]) == {(0,)}
    assert set(built._local_readout_errors) == {(0,), (1,)}  # readout of every group qubit
    full = noise.noise_model_for(model, (a, b))
    assert full is not None and {"sx", "x", "cz"} <= set(full._local_quantum_errors)


def test_the_cache_is_bounded_least_recently_used_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(noise, "CACHE_SIZE", 3)
    monkeypatch.setattr(noise, "_cache", type(noise._cache)())
    model = _model("local_heron156")
    kept = noise.noise_model_for(model, (0,))
    for q in (1, 2, 3):
        assert noise.noise_model_for(model, (0,)) is kept  # used again: moves to the back
        noise.noise_model_for(model, (q,))
    assert noise.cache_info() == (3, 3)
    assert noise.noise_model_for(model, (0,)) is kept
    assert noise.noise_model_for(model, (1,)) is not None and noise.cache_info()[0] == 3


@pytest.mark.parametrize(
    ("device", "gate"), [("local_heron156", "cz"), ("local_eagle127", "ecr"), ("local_5q", "cx")]
)
def test_errors_compose_exactly_as_qiskit_aer_does(device: str, gate: str) -> None:
    model = _model(device)
    a, b = _edge(model, gate)
    for name, qubits in ((gate, (a, b)), ("sx", (a,)), ("x", (b,))):
        cal = model.gates[(name, qubits)]
        local = (0, 1) if len(qubits) == 2 else (0,)
        cals = [model.qubits[a], model.qubits[b]]
        ours = noise._gate_error(name, local, cals, cal.error, cal.length)
        monkeypatched = noise._compose
        try:
            noise._compose = lambda first, then: first.compose(then)  # type: ignore[assignment]
            aer = noise._gate_error(name, local, cals, cal.error, cal.length)
        finally:
            noise._compose = monkeypatched
        assert ours is not None and aer is not None
        ours_dict, aer_dict = ours.to_dict(), aer.to_dict()
        ours_dict.pop("id")
        aer_dict.pop("id")
        assert repr(ours_dict) == repr(aer_dict)
        assert [c.global_phase for c in ours.circuits] == [c.global_phase for c in aer.circuits]


def _wide_program_spec(model: DeviceModel, seed: int) -> JobSpec:
    """A circuit item on 156 qubits: a parameterised Bell pair plus measured idle qubits."""
    from qiskit_ibm_runtime import QuantumProgram
    from qiskit_ibm_runtime.options_models import ExecutorOptions
    from qiskit_ibm_runtime.quantum_program.params_converters import (
        QUANTUM_PROGRAM_PARAMS_CONVERTERS,
    )

    a, b = _edge(model, "cz")
    idle = [q for q in range(model.num_qubits) if q not in (a, b)]
    idle = [q for q in idle if q not in model.faulty_qubits][:9]
    circuit = QuantumCircuit(model.num_qubits, 11)
    hadamard(circuit, a)
    hadamard(circuit, b)
    circuit.cz(a, b)
    hadamard(circuit, b)
    circuit.rz(Parameter("t"), a)
    for q in idle:
        circuit.sx(q)
        circuit.x(q)
    circuit.measure([a, b, *idle], list(range(11)))
    program = QuantumProgram(shots=300)
    program.append_circuit_item(circuit, circuit_arguments=np.array([[0.0], [0.5], [1.0]]))
    encoder = QUANTUM_PROGRAM_PARAMS_CONVERTERS["v2.0"].encoder
    params = encoder(program, ExecutorOptions()).model_dump(mode="json")
    return JobSpec("job-x", "executor", model.name, json.dumps(params), None, seed)


def _data(spec: JobSpec) -> Any:
    outcome = execute_program(spec, DeviceCatalog())
    assert outcome.status == "Completed", outcome.reason
    return json.loads(outcome.result_json)["data"]


def test_seeded_results_do_not_depend_on_the_cache_or_the_gate_selection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _model("local_heron156")
    spec = _wide_program_spec(model, seed=11)
    monkeypatch.setattr(noise, "_cache", type(noise._cache)())
    cold = _data(spec)
    built = noise.cache_info()[0]
    assert built >= 2  # the Bell pair and the idle qubits simulate as separate groups
    warm = _data(spec)
    assert noise.cache_info()[0] == built  # nothing rebuilt
    monkeypatch.setattr(executor_program, "gates_used", lambda circuit, physical: None)
    every_gate = _data(spec)
    assert cold == warm == every_gate
    assert _data(_wide_program_spec(model, seed=12)) != cold
