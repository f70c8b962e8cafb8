"""Reduced noise models and circuit compaction: calibrated errors on the used qubits only."""

from __future__ import annotations

import numpy as np
import pytest
from execution_support import sampler_spec
from qiskit.circuit import Parameter, QuantumCircuit
from qiskit.quantum_info import average_gate_fidelity

from qrt_lab.local.devices.catalog import builtin_devices
from qrt_lab.local.devices.model import device_model
from qrt_lab.local.execution.compaction import active_qubits, compact_circuit
from qrt_lab.local.execution.execute import execute
from qrt_lab.local.execution.noise import noise_model_for
from qrt_lab.local.execution.timing import circuit_duration
from qrt_lab.runtime import codec


def _model(name: str):
    return device_model(next(d for d in builtin_devices() if d.name == name))


def _edge(model) -> tuple[int, int]:
    return next(
        q for (g, q), cal in model.gates.items() if g == "cz" and cal.error < 0.05 and q[0] < q[1]
    )


def test_noise_model_covers_only_the_requested_qubits() -> None:
    model = _model("local_heron156")
    a, b = _edge(model)
    noise = noise_model_for(model, (a, b))
    assert noise is not None
    assert sorted(noise.noise_qubits) == [0, 1]
    assert noise_model_for(model, (a, b)) is noise  # cached
    assert noise_model_for(_model("local_ideal"), (0, 1)) is None


@pytest.mark.parametrize("gate", ["sx", "cz"])
def test_gate_errors_match_the_calibration(gate: str) -> None:
    model = _model("local_heron156")
    a, b = _edge(model)
    qubits = (a,) if gate == "sx" else (a, b)
    noise = noise_model_for(model, (a, b))
    assert noise is not None
    local = (0,) if gate == "sx" else (0, 1)
    error = noise._local_quantum_errors[gate][local]
    infidelity = 1 - average_gate_fidelity(error.to_quantumchannel())
    assert infidelity == pytest.approx(model.gates[(gate, qubits)].error, rel=0.02)


def test_readout_errors_match_prob_meas() -> None:
    model = _model("local_heron156")
    a, b = _edge(model)
    noise = noise_model_for(model, (b, a))  # order defines the compact numbering
    assert noise is not None
    probabilities = np.asarray(noise._local_readout_errors[(0,)].probabilities)
    cal = model.qubits[b]
    assert probabilities[0, 1] == pytest.approx(cal.prob_meas1_prep0)
    assert probabilities[1, 0] == pytest.approx(cal.prob_meas0_prep1)


def test_compaction_keeps_operations_registers_and_parameters() -> None:
    theta = Parameter("theta")
    circuit = QuantumCircuit(156, 2, global_phase=0.3, metadata={"k": 1})
    circuit.rz(theta, 40)
    circuit.sx(40)
    circuit.cz(40, 41)
    circuit.barrier()
    circuit.delay(100, 7)
    circuit.measure([41, 40], [0, 1])
    assert active_qubits(circuit) == [40, 41]
    compact = compact_circuit(circuit, [40, 41])
    assert compact.num_qubits == 2 and compact.cregs == circuit.cregs
    assert list(compact.parameters) == [theta]
    assert compact.global_phase == pytest.approx(0.3) and compact.metadata == {"k": 1}
    ops = [(i.operation.name, [compact.find_bit(q).index for q in i.qubits]) for i in compact.data]
    assert ops == [
        ("rz", [0]),
        ("sx", [0]),
        ("cz", [0, 1]),
        ("barrier", [0, 1]),
        ("measure", [1]),
        ("measure", [0]),
    ]
    with pytest.raises(ValueError, match="outside"):
        compact_circuit(circuit, [40])


def test_duration_uses_calibrated_lengths() -> None:
    model = _model("local_heron156")
    a, b = _edge(model)
    circuit = QuantumCircuit(2)
    circuit.sx(0)
    circuit.cz(0, 1)
    circuit.measure_all()
    expected = (
        model.gates[("sx", (a,))].length
        + model.gates[("cz", (a, b))].length
        + max(model.qubits[a].readout_length, model.qubits[b].readout_length)
    )
    assert circuit_duration(circuit, model, (a, b)) == pytest.approx(expected)


def test_delays_relax_towards_ground_state() -> None:
    model = _model("local_5q")
    t1 = model.qubits[0].t1
    excited = []
    for wait in (0.0, t1):
        circuit = QuantumCircuit(5, 1)
        circuit.x(0)
        if wait:
            circuit.delay(round(wait / model.dt), 0)  # QPY keeps delays in dt
        circuit.measure(0, 0)
        outcome = execute(sampler_spec([(circuit, None, 4000)], "local_5q"))
        result = codec.loads(outcome.result_json)
        excited.append(result[0].data.c.get_int_counts().get(1, 0) / 4000)
    assert excited[1] / excited[0] == pytest.approx(np.exp(-1), abs=0.05)
