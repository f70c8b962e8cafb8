"""Batched executor simulation: same statistics as one Aer call per group, seeded reproducibility.

The batched path (:mod:`qrt_lab.local.execution.batched_parts`) runs an item's independent
parts in one Aer call and draws shots from exact outcome probabilities; the earlier path
(``QRT_LAB_LOCAL_EXECUTOR_BATCHING=0``) runs each group of parts in its own Aer call and
samples there. Both must give the same distributions for every element and classical bit.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from execution_support import hadamard
from qiskit.circuit import ClassicalRegister, Parameter, QuantumCircuit, QuantumRegister

from qrt_lab.local.devices.catalog import DeviceCatalog, builtin_devices
from qrt_lab.local.devices.model import DeviceModel, device_model
from qrt_lab.local.execution.circuit_parts import split_parts
from qrt_lab.local.execution.executor_program import BATCHING_VARIABLE, execute_program
from qrt_lab.local.jobspec import JobSpec

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SHOTS = 4000


def _model() -> DeviceModel:
    return device_model(next(d for d in builtin_devices() if d.name == "local_heron156"))


def _edge(model: DeviceModel) -> tuple[int, int]:
    return next(
        q
        for (g, q), cal in model.gates.items()
        if g == "cz" and cal.error < 0.05 and q[0] < q[1] and not set(q) & model.faulty_qubits
    )


def _program_spec(model: DeviceModel, seed: int | None) -> JobSpec:
    """A Bell pair with a swept phase, twirl-like rotated idle qubits, and a qubit measured
    mid-circuit (that part runs on its own plan), on 156 qubits, with repeated rows."""
    from qiskit_ibm_runtime import QuantumProgram
    from qiskit_ibm_runtime.options_models import ExecutorOptions
    from qiskit_ibm_runtime.quantum_program.params_converters import (
        QUANTUM_PROGRAM_PARAMS_CONVERTERS,
    )

    a, b = _edge(model)
    free = [q for q in range(model.num_qubits) if q not in (a, b, *model.faulty_qubits)]
    idle, twice = free[:6], free[6]
    theta, phi = Parameter("theta"), Parameter("phi")
    circuit = QuantumCircuit(model.num_qubits, 10)
    hadamard(circuit, a)
    hadamard(circuit, b)
    circuit.cz(a, b)
    for _ in range(30):  # identity pairs: their noise must show in the distributions
        circuit.cz(a, b)
        circuit.cz(a, b)
    hadamard(circuit, b)
    circuit.rz(theta, a)
    for i, q in enumerate(idle):
        circuit.rz(phi if i % 2 else theta, q)
        circuit.sx(q)
    circuit.barrier()
    circuit.x(twice)
    circuit.measure(twice, 9)
    circuit.x(twice)
    circuit.measure([a, b, *idle, twice], [0, 1, 2, 3, 4, 5, 6, 7, 8])
    rows = np.array([[0.0, 0.0], [1.2, 0.4], [0.0, 0.0], [2.5, 3.0], [1.2, 0.4], [0.0, 0.0]])
    order = [p.name for p in circuit.parameters]
    assert order == ["phi", "theta"]
    program = QuantumProgram(shots=SHOTS)
    program.append_circuit_item(circuit, circuit_arguments=rows)
    encoder = QUANTUM_PROGRAM_PARAMS_CONVERTERS["v2.0"].encoder
    params = encoder(program, ExecutorOptions()).model_dump(mode="json")
    return JobSpec("job-b", "executor", model.name, json.dumps(params), None, seed)


def _bits(spec: JobSpec) -> np.ndarray:
    """``(rows, shots, 10)`` bools of the item's register."""
    from ibm_quantum_schemas.common import CompressedTensorModel

    outcome = execute_program(spec, DeviceCatalog())
    assert outcome.status == "Completed", outcome.reason
    results = json.loads(outcome.result_json)["data"][0]["results"]
    return np.asarray(CompressedTensorModel.model_validate(results["c"]).to_numpy())


def _statistics(bits: np.ndarray) -> np.ndarray:
    """Per element: every classical bit's frequency of 1, and the Bell pair's parity."""
    parity = (bits[..., 0] ^ bits[..., 1]).mean(axis=1)
    return np.concatenate([bits.mean(axis=1), parity[:, None]], axis=1)


def test_batched_and_per_group_runs_have_the_same_distributions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _model()
    monkeypatch.setenv(BATCHING_VARIABLE, "1")
    batched = _bits(_program_spec(model, seed=5))
    monkeypatch.setenv(BATCHING_VARIABLE, "0")
    grouped = _bits(_program_spec(model, seed=5))
    assert batched.shape == grouped.shape == (6, SHOTS, 10)
    stats_b, stats_g = _statistics(batched), _statistics(grouped)
    pooled = (stats_b + stats_g) / 2
    sigma = np.sqrt(np.maximum(pooled * (1 - pooled), 1 / SHOTS) * 2 / SHOTS)
    assert np.all(np.abs(stats_b - stats_g) < 5 * sigma), np.abs(stats_b - stats_g) / sigma
    # the readout and gate noise are there: an X then a measurement is not always 1
    assert 0.9 < batched[..., 9].mean() < 1.0
    # equal rows are the same element distribution, but independent shots
    assert not np.array_equal(batched[0], batched[2])


def test_seeded_batched_runs_reproduce(monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model()
    monkeypatch.setenv(BATCHING_VARIABLE, "1")
    first = _bits(_program_spec(model, seed=17))
    assert np.array_equal(first, _bits(_program_spec(model, seed=17)))
    assert not np.array_equal(first, _bits(_program_spec(model, seed=18)))
    unseeded = _bits(_program_spec(model, seed=None))
    assert not np.array_equal(first, unseeded)


def test_one_aer_call_for_all_batchable_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    from qrt_lab.local.execution import batched_parts, simulator

    calls: list[int] = []
    real = simulator.simulator()

    class Counting:
        def run(self, circuits: Any, **options: Any) -> Any:
            calls.append(len(circuits))
            return real.run(circuits, **options)

    monkeypatch.setattr(batched_parts, "simulator", lambda: Counting())
    monkeypatch.setattr(simulator, "simulator", lambda: Counting())
    monkeypatch.setenv(BATCHING_VARIABLE, "1")
    _bits(_program_spec(_model(), seed=3))
    # the Bell pair and the six idle qubits together; the mid-circuit measured qubit alone
    assert sorted(calls) == [1, 7]


def test_split_parts_keeps_each_part_with_its_own_bits() -> None:
    q, c = QuantumRegister(5, "q"), ClassicalRegister(4, "meas")
    circuit = QuantumCircuit(q, c)
    circuit.h(0)
    circuit.cx(0, 2)
    circuit.barrier()
    circuit.x(3)
    circuit.measure([0, 2, 3], [2, 0, 3])
    parts = split_parts(circuit)
    assert [p.qubits for p in parts] == [(0, 2), (1,), (3,), (4,)]
    assert [p.clbits for p in parts] == [(0, 2), (), (3,), ()]
    first = parts[0].circuit
    assert [i.operation.name for i in first.data] == ["h", "cx", "barrier", "measure", "measure"]
    # clbit 2 (first measure, of qubit 0) is the part's second bit
    measures = [i for i in first.data if i.operation.name == "measure"]
    assert [first.find_bit(i.clbits[0]).index for i in measures] == [1, 0]


def test_classical_control_keeps_the_circuit_whole() -> None:
    circuit = QuantumCircuit(3, 2)
    circuit.measure(0, 0)
    with circuit.if_test((circuit.clbits[0], 1)):
        circuit.x(2)
    circuit.measure(2, 1)
    (whole,) = split_parts(circuit)
    assert whole.circuit is circuit and whole.clbits == (0, 1)


def test_parts_with_control_flow_or_mid_circuit_measurements_run_on_their_own_plan() -> None:
    from qrt_lab.local.execution.batched_parts import PartJob, _batched_run
    from qrt_lab.local.execution.simulation_plan import SimulationPlan

    plan = SimulationPlan("automatic", None)
    steered = QuantumCircuit(2, 2)
    steered.measure(0, 0)
    with steered.if_test((steered.clbits[0], 1)):
        steered.x(1)
    steered.measure(1, 1)
    again = QuantumCircuit(1, 2)
    again.measure(0, 0)
    again.x(0)
    again.measure(0, 1)
    final = QuantumCircuit(2, 2)
    final.h(0)
    final.cx(0, 1)
    final.measure([0, 1], [1, 0])
    rows = np.zeros((3, 0))
    for circuit, batched in ((steered, False), (again, False), (final, True)):
        job = PartJob(circuit, (0, 1)[: circuit.num_qubits], rows, plan, frozenset(), (0, 1))
        assert (_batched_run(job, 3) is not None) is batched
