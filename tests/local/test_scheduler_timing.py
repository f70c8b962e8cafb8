"""``execution.scheduler_timing``: the local executor returns each item's schedule, both clients.

The schedule is the compiler's text form, which the official ``draw_circuit_schedule_timing``
parses; its durations are the device's calibrated lengths in ``dt`` cycles.
"""

from __future__ import annotations

import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import QiskitRuntimeService as OfficialService

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_official_executor_gets_a_schedule_it_can_draw(service: OfficialService) -> None:
    from qiskit_ibm_runtime import Executor, QuantumProgram
    from qiskit_ibm_runtime.visualization import draw_circuit_schedule_timing

    backend = service.backend("local_5q")
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)
    program = QuantumProgram(shots=8)
    program.append_circuit_item(isa)
    executor = Executor(backend)
    executor.options.execution.scheduler_timing = True
    job = executor.run(program)
    timing = job.result()[0].metadata.scheduler_timing
    rows = [line.split(",") for line in timing.timing.splitlines()]
    measures = [row for row in rows if row[1].startswith("measure_")]
    assert len(measures) == 2 and all(row[2].startswith("AWGR") for row in measures)
    qubit = int(measures[0][1].split("_")[1])
    readout = backend.target["measure"][(qubit,)].duration
    assert int(measures[0][4]) == round(readout / backend.dt)
    ends = [int(row[3]) + int(row[4]) for row in rows]
    assert timing.circuit_duration == max(ends) > 0
    two_qubit = [row for row in rows if row[1].split("_")[0] in ("cz", "ecr", "cx")]
    assert two_qubit and int(two_qubit[0][3]) > 0  # after the first qubit's gates
    figure = draw_circuit_schedule_timing(timing.timing)
    assert figure.data
    not_timed = Executor(backend).run(program).result()
    assert not_timed[0].metadata.scheduler_timing is None
