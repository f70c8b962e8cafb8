"""``service.job(id).inputs`` of executor and calibrate jobs, across the two clients.

The official client decodes an executor job's params to its ``QuantumProgram`` and
``ExecutorOptions`` and a calibrate job's to ``CalibratorOptions``; qrt-lab's does the same, for
jobs either client submitted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import QiskitRuntimeService as OfficialService

from qrt_lab.runtime import QiskitRuntimeService

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
DEVICE = "local_5q"


@pytest.fixture(scope="module")
def ours(our_service: QiskitRuntimeService) -> QiskitRuntimeService:
    """qrt-lab's client on the local service (beside the official one)."""
    return our_service


def bell(backend: Any) -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    manager = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=2)
    isa: QuantumCircuit = manager.run(circuit)
    return isa


def same_program(mine: Any, theirs: Any) -> None:
    from samplomatic.quantum_program import CircuitItem, SamplexItem

    from qrt_lab.runtime.quantum_program import QuantumProgram

    assert isinstance(mine, QuantumProgram)
    assert mine.shots == theirs.shots and mine.meas_level == theirs.meas_level
    assert mine._semantic_role == theirs._semantic_role
    assert len(mine.items) == len(theirs.items) >= 1
    for a, b in zip(mine.items, theirs.items, strict=True):
        assert type(a) is type(b) and isinstance(a, CircuitItem | SamplexItem)
        assert a.circuit == b.circuit and a.chunk_size == b.chunk_size
        if isinstance(a, CircuitItem):
            np.testing.assert_array_equal(a.circuit_arguments, b.circuit_arguments)
        else:
            assert a.shape == b.shape
            assert set(a.samplex_arguments) == set(b.samplex_arguments)


@pytest.mark.parametrize("submitter", ["ours", "official"])
def test_executor_inputs_decode_to_the_program_in_both_clients(
    submitter: str, ours: QiskitRuntimeService, service: OfficialService
) -> None:
    from qiskit_ibm_runtime import Executor as OfficialExecutor
    from qiskit_ibm_runtime import QuantumProgram as OfficialProgram
    from qiskit_ibm_runtime.executor_sampler import Sampler as OfficialSampler

    from qrt_lab.runtime import Executor, QuantumProgram
    from qrt_lab.runtime.executor_sampler import Sampler
    from qrt_lab.runtime.options_models import ExecutorOptions

    circuit = bell(ours.backend(DEVICE))
    jobs = []
    if submitter == "ours":
        program = QuantumProgram(shots=20)
        program.append_circuit_item(circuit)
        executor = Executor(ours.backend(DEVICE), options={"execution": {"init_qubits": False}})
        jobs.append(executor.run(program))
        twirled = Sampler(ours.backend(DEVICE), options={"twirling": {"enable_gates": True}})
        jobs.append(twirled.run([circuit], shots=40))
    else:
        program = OfficialProgram(shots=20)
        program.append_circuit_item(circuit)
        executor = OfficialExecutor(service.backend(DEVICE))
        executor.options.execution.init_qubits = False
        jobs.append(executor.run(program))
        twirled = OfficialSampler(service.backend(DEVICE))
        twirled.options.twirling.enable_gates = True
        jobs.append(twirled.run([circuit], shots=40))
    for job in jobs:
        mine, theirs = ours.job(job.job_id()).inputs, service.job(job.job_id()).inputs
        assert mine.keys() == theirs.keys() and mine["schema_version"] == "v2.0"
        same_program(mine["quantum_program"], theirs["quantum_program"])
        assert isinstance(mine["options"], ExecutorOptions)
        assert mine["options"].execution.model_dump() == theirs["options"].execution.model_dump()
        assert mine["options"].experimental == theirs["options"].experimental
    twirled_program = ours.job(jobs[1].job_id()).inputs["quantum_program"]
    assert type(twirled_program.items[0]).__name__ == "SamplexItem"
    first = ours.job(jobs[0].job_id()).inputs
    assert first["options"].execution.init_qubits is False
    assert first["quantum_program"].shots == 20


def test_calibrate_inputs_decode_to_calibrator_options(
    ours: QiskitRuntimeService, service: OfficialService
) -> None:
    from qiskit_ibm_runtime import Calibrator as OfficialCalibrator

    from qrt_lab.runtime.options_models import CalibratorOptions

    job = OfficialCalibrator(service.backend(DEVICE), options={"experimental": {"k": 1}}).run()
    mine, theirs = ours.job(job.job_id()).inputs, service.job(job.job_id()).inputs
    assert isinstance(mine["options"], CalibratorOptions)
    assert mine["options"].experimental == theirs["options"].experimental == {"k": 1}
    job.result()


def test_undecodable_executor_params_are_returned_as_sent() -> None:
    from qrt_lab.runtime.program_inputs import decode_inputs

    params = {"schema_version": "v9.0", "quantum_program": {"shots": 1}}
    with pytest.warns(UserWarning, match="as sent"):
        assert decode_inputs("executor", params) == params
    assert decode_inputs("sampler", {"pubs": []}) == {"pubs": []}


def test_noise_learner_v3_inputs_decode_to_instructions_and_options(
    ours: QiskitRuntimeService, service: OfficialService
) -> None:
    from qiskit.quantum_info import SparsePauliOp

    from qrt_lab.runtime.executor_estimator import Estimator
    from qrt_lab.runtime.noise_learner_v3 import NoiseLearnerV3
    from qrt_lab.runtime.options_models import NoiseLearnerV3Options

    backend = ours.backend(DEVICE)
    circuit = bell(backend).remove_final_measurements(inplace=False)
    pub = (circuit, SparsePauliOp("ZZ").apply_layout(circuit.layout))
    estimator = Estimator(mode=backend, options={"resilience": {"pec_mitigation": True}})
    layers = estimator.find_unique_layers([pub])
    learner = NoiseLearnerV3(backend)
    learner.options.num_randomizations = 4
    job = learner.run(layers)
    mine, theirs = ours.job(job.job_id()).inputs, service.job(job.job_id()).inputs
    assert isinstance(mine["options"], NoiseLearnerV3Options)
    assert mine["options"].model_dump() == theirs["options"].model_dump()
    assert mine["options"].num_randomizations == 4
    assert [i.operation for i in mine["instructions"]] == [i.operation for i in layers]
    assert [i.operation for i in theirs["instructions"]] == [i.operation for i in layers]
    job.result()
