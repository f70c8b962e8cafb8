"""qrt-lab's executor primitives against the official client's, on the same local service.

The same programs go through ``qrt_lab.runtime`` and ``qiskit_ibm_runtime`` over loopback HTTP;
results are compared by TVD / within stds, metadata by field name, and each client decodes the
other's jobs (``service.job(id).result()``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from official_setup import official_service
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.primitives.containers import PrimitiveResult, SamplerPubResult
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import Executor as OfficialExecutor
from qiskit_ibm_runtime import QiskitRuntimeService as OfficialService
from qiskit_ibm_runtime import QuantumProgram as OfficialProgram
from qiskit_ibm_runtime.executor_sampler import Sampler as OfficialSampler

from qrt_lab.runtime import IBMInputValueError, QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.executor import Executor
from qrt_lab.runtime.executor_sampler import Sampler
from qrt_lab.runtime.options_models import SamplerOptions
from qrt_lab.runtime.quantum_program import QuantumProgram
from qrt_lab.runtime.quantum_program.results import QuantumProgramResult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def ours(our_service: QiskitRuntimeService) -> QiskitRuntimeService:
    """qrt-lab's client on the local service (beside the official one)."""
    return our_service


@pytest.fixture(scope="module")
def official(
    local_service: LocalServiceInfo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OfficialService]:
    with official_service(local_service, tmp_path_factory.mktemp("home")) as client:
        yield client


def isa(backend: Any, circuit: QuantumCircuit) -> QuantumCircuit:
    return generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)


def ghz(backend: Any, n: int = 3) -> QuantumCircuit:
    circuit = QuantumCircuit(n)
    circuit.h(0)
    for k in range(n - 1):
        circuit.cx(k, k + 1)
    circuit.ry(0.7, 0)
    circuit.measure_all()
    return isa(backend, circuit)


#: Shots of the sampler comparisons. Executor jobs cannot be seeded over the wire (the official
#: client sends no simulator options to a service), so the TVD of two runs is chance: with 4000
#: shots each its mean is ~0.017 and P(TVD > 0.08) ~ 3e-11 per comparison (multinomial
#: simulation of this circuit's distribution); at 2000 shots it was ~7e-6 (measured mean 0.028,
#: sd 0.009 over 15 twirled repeats). A lost ry(0.7) moves it by ~0.12, undone twirl flips by ~0.5.
TVD_SHOTS = 4000


def tvd(a: dict[str, int], b: dict[str, int]) -> float:
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


def counts_of(result: Any) -> dict[str, int]:
    return dict(result[0].data.meas.get_counts())


@pytest.mark.parametrize("twirl", [False, True])
def test_sampler_same_distribution_and_metadata_through_both_clients(
    ours: QiskitRuntimeService, official: OfficialService, twirl: bool
) -> None:
    our_backend, their_backend = ours.backend("local_5q"), official.backend("local_5q")
    circuit = ghz(our_backend)
    our_sampler, their_sampler = Sampler(mode=our_backend), OfficialSampler(mode=their_backend)
    for sampler in (our_sampler, their_sampler):
        sampler.options.twirling.enable_gates = twirl
        sampler.options.twirling.enable_measure = twirl
    mine = our_sampler.run([circuit], shots=TVD_SHOTS).result()
    theirs = their_sampler.run([circuit], shots=TVD_SHOTS).result()
    assert isinstance(mine, PrimitiveResult) and isinstance(mine[0], SamplerPubResult)
    # twirling rounds the shots up to whole randomizations (4032 here), as the official does
    assert mine[0].data.meas.num_shots == theirs[0].data.meas.num_shots >= TVD_SHOTS
    assert tvd(counts_of(mine), counts_of(theirs)) < 0.08
    assert set(mine.metadata) == set(theirs.metadata) == {"executor", "options", "shots"}
    assert mine.metadata["shots"] == theirs.metadata["shots"]
    assert set(mine[0].metadata) == set(theirs[0].metadata)
    if twirl:
        assert mine[0].metadata["num_randomizations"] == theirs[0].metadata["num_randomizations"]
    spans = mine.metadata["executor"].chunk_timing
    assert spans and all(span.stop >= span.start for span in spans)
    assert set(mine.metadata["options"]) == set(theirs.metadata["options"])


def test_jobs_decode_in_the_other_client(
    ours: QiskitRuntimeService, official: OfficialService
) -> None:
    our_backend, their_backend = ours.backend("local_5q"), official.backend("local_5q")
    circuit = ghz(our_backend)
    our_sampler = Sampler(mode=our_backend, options={"twirling": {"enable_gates": True}})
    their_sampler = OfficialSampler(mode=their_backend)
    their_sampler.options.twirling.enable_gates = True
    our_job = our_sampler.run([circuit], shots=1000)
    their_job = their_sampler.run([circuit], shots=1000)
    mine, theirs = our_job.result(), their_job.result()
    seen_by_them = official.job(our_job.job_id()).result()
    seen_by_us = ours.job(their_job.job_id()).result()
    assert counts_of(seen_by_them) == counts_of(mine)
    assert counts_of(seen_by_us) == counts_of(theirs)
    assert seen_by_us[0].metadata.keys() == theirs[0].metadata.keys()
    assert ours.job(their_job.job_id()).primitive_id == "executor"


def differences(mine: Any, theirs: Any, path: str = "") -> list[str]:
    """The paths where two JSON documents differ."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return [
            d
            for k in sorted(set(mine) | set(theirs))
            for d in differences(mine.get(k), theirs.get(k), f"{path}.{k}")
        ]
    if isinstance(mine, list) and isinstance(theirs, list) and len(mine) == len(theirs):
        return [
            d
            for i, (a, b) in enumerate(zip(mine, theirs, strict=True))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    return [] if mine == theirs else [f"{path}: {str(mine)[:60]} != {str(theirs)[:60]}"]


def circuits_of(document: dict[str, Any]) -> list[QuantumCircuit]:
    from ibm_quantum_schemas.common import CompressedQpyDataModel

    circuits: list[QuantumCircuit] = CompressedQpyDataModel.model_validate(document).to_python()
    return circuits


def rotation(backend: Any) -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.rx(Parameter("theta"), 0)
    circuit.rx(Parameter("phi"), 1)
    circuit.measure_all()
    return isa(backend, circuit)


def test_executor_circuit_item_matches_and_params_are_the_official_wire(
    ours: QiskitRuntimeService, official: OfficialService
) -> None:
    from qiskit_ibm_runtime.options_models import ExecutorOptions as OfficialOptions
    from qiskit_ibm_runtime.quantum_program.params_converters import (
        QUANTUM_PROGRAM_PARAMS_CONVERTERS,
    )

    from qrt_lab.runtime.options_models import ExecutorOptions
    from qrt_lab.runtime.quantum_program.wire import encode_params

    backend = ours.backend("local_5q")
    circuit = rotation(backend)
    arguments = np.array([[0.0, 0.0], [np.pi, 0.0], [np.pi, np.pi]])
    passthrough = {"note": "kept", "values": np.arange(6.0).reshape(2, 3)}
    mine_program = QuantumProgram(shots=300, passthrough_data=passthrough)
    theirs_program = OfficialProgram(shots=300, passthrough_data=passthrough)
    for program in (mine_program, theirs_program):
        program.append_circuit_item(circuit, circuit_arguments=arguments)
    encoder = QUANTUM_PROGRAM_PARAMS_CONVERTERS["v2.0"].encoder
    official_params = encoder(theirs_program, OfficialOptions()).model_dump(mode="json")
    mine_params = encode_params(mine_program, ExecutorOptions())
    # QPY bytes of one circuit can differ between two encodings (qiskit); compare the circuits
    mine_qpy = mine_params["quantum_program"].pop("circuits")
    theirs_qpy = official_params["quantum_program"].pop("circuits")
    assert differences(mine_params, official_params) == []
    assert circuits_of(mine_qpy) == circuits_of(theirs_qpy) == [circuit]
    assert mine_qpy["qpy_version"] == theirs_qpy["qpy_version"]

    mine = Executor(backend).run(mine_program).result()
    theirs = OfficialExecutor(official.backend("local_5q")).run(theirs_program).result()
    assert isinstance(mine, QuantumProgramResult)
    assert mine[0]["meas"].shape == theirs[0]["meas"].shape == (3, 300, 2)
    np.testing.assert_allclose(
        mine[0]["meas"].mean(axis=1), theirs[0]["meas"].mean(axis=1), atol=0.12
    )
    np.testing.assert_array_equal(mine.passthrough_data["values"], passthrough["values"])
    assert len(mine.metadata.chunk_timing) >= 1
    assert mine.timing.draw is not None


def test_sampler_rejects_mixed_shots_and_bad_options(ours: QiskitRuntimeService) -> None:
    backend = ours.backend("local_5q")
    circuit = ghz(backend)
    sampler = Sampler(mode=backend)
    with pytest.raises(IBMInputValueError, match="same number of shots"):
        sampler.run([(circuit, None, 100), (circuit, None, 200)])
    with pytest.raises(IBMInputValueError, match="No pubs"):
        sampler.run([])
    with pytest.raises(ValueError, match="num_randomizations"):
        sampler.options.twirling.num_randomizations = 0
    with pytest.raises(ValueError, match="extra"):
        SamplerOptions(no_such_option=1)
    with pytest.raises(TypeError, match="SamplerOptions or dict"):
        Sampler(mode=backend, options=42)  # type: ignore[arg-type]
    sampler.options.execution.meas_type = "kerneled"
    sampler.options.twirling.enable_measure = True
    with pytest.raises(IBMInputValueError, match="not compatible"):
        sampler.run([circuit])


def test_our_payload_is_valid_json_for_the_schema(ours: QiskitRuntimeService) -> None:
    from ibm_quantum_schemas.executor.version_2_0 import ParamsModel

    from qrt_lab.runtime.executor_sampler.prepare import prepare
    from qrt_lab.runtime.quantum_program.wire import encode_params

    circuit = ghz(ours.backend("local_5q"))
    options = SamplerOptions(twirling={"enable_gates": True, "enable_measure": True})
    program, executor_options = prepare([circuit], options, 1024)
    params = encode_params(program, executor_options)
    model = ParamsModel.model_validate_json(json.dumps(params))
    assert model.quantum_program.semantic_role == "sampler_v2"
    assert model.quantum_program.items[0].shape == [16]
    assert model.quantum_program.shots == 64


def bell_no_meas(backend: Any) -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.ry(0.4, 1)
    return isa(backend, circuit)


#: Per resilience level, a floor for each std at precision 0.03 (see the test below).
SPREAD_FLOORS = {0: 0.04, 1: 0.045, 2: 0.065}


@pytest.mark.parametrize("level", [0, 1, 2])
def test_estimator_levels_agree_within_stds(
    ours: QiskitRuntimeService, official: OfficialService, level: int
) -> None:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_ibm_runtime.executor_estimator import Estimator as OfficialEstimator

    from qrt_lab.runtime.executor_estimator import Estimator, EstimatorPubResult

    our_backend, their_backend = ours.backend("local_5q"), official.backend("local_5q")
    circuit = bell_no_meas(our_backend)
    observables = [
        SparsePauliOp(label).apply_layout(circuit.layout) for label in ("ZZ", "XX", "IZ")
    ]
    mine_estimator = Estimator(mode=our_backend, options={"resilience_level": level})
    theirs_estimator = OfficialEstimator(mode=their_backend)
    theirs_estimator.options.resilience_level = level
    mine = mine_estimator.run([(circuit, observables)], precision=0.03).result()
    theirs = theirs_estimator.run([(circuit, observables)], precision=0.03).result()
    assert isinstance(mine[0], EstimatorPubResult)
    assert set(mine[0].data.keys()) == set(theirs[0].data.keys())
    assert set(mine.metadata) == set(theirs.metadata)
    assert set(mine[0].metadata) == set(theirs[0].metadata)
    assert mine.metadata["shots"] == theirs.metadata["shots"]
    assert (
        mine.metadata["options"]["resilience"].keys()
        == theirs.metadata["options"]["resilience"].keys()
    )
    # Executor jobs cannot be seeded over the wire, so these values are chance. A reported std
    # can be far below the real spread (a ZNE fit's: 0.0002 reported where 55 repeats spread
    # 0.05) or inf, so each std is floored at the real spread of its level: the largest sd of
    # 55 repeats (both clients, the three observables) times 1.19, its 95 % upper confidence
    # bound. 6 floors is then >= 6 real sds: P < 2e-9 per check, < 4e-8 for the 18 checks.
    # (Spreads measured 2026-12-07: level 0 0.034, level 1 0.035, level 2 0.052; ZNE's <IZ>
    # spread does not shrink with more shots, so a smaller precision would not help. Its tail
    # is heavier than normal: the worst of 95 level-2 repeats used 2.9 of the 6 floors.)
    floor = SPREAD_FLOORS[level]
    mine_stds = np.maximum(np.nan_to_num(mine[0].data.stds, posinf=1.0), floor)
    their_stds = np.maximum(np.nan_to_num(theirs[0].data.stds, posinf=1.0), floor)
    difference = np.abs(mine[0].data.evs - theirs[0].data.evs)
    assert np.all(difference <= 6 * np.hypot(mine_stds, their_stds)), difference
    # the rotated Bell state: <ZZ> = <XX> = cos(0.4), <IZ> = 0; noise only shrinks them (by
    # 0.12 unmitigated, the 0.1 allowed at level 0); a sign error is off by 1.8
    exact = np.array([np.cos(0.4), np.cos(0.4), 0.0])
    assert np.all(np.abs(mine[0].data.evs - exact) <= 6 * mine_stds + 0.1 * (level == 0))


def test_estimator_jobs_decode_in_the_other_client(
    ours: QiskitRuntimeService, official: OfficialService
) -> None:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_ibm_runtime.executor_estimator import Estimator as OfficialEstimator

    from qrt_lab.runtime.executor_estimator import Estimator

    backend = ours.backend("local_5q")
    circuit = bell_no_meas(backend)
    pub = (circuit, SparsePauliOp("ZZ").apply_layout(circuit.layout))
    our_job = Estimator(mode=backend).run([pub], precision=0.05)
    their_job = OfficialEstimator(mode=official.backend("local_5q")).run([pub], precision=0.05)
    mine, theirs = our_job.result(), their_job.result()
    np.testing.assert_allclose(
        official.job(our_job.job_id()).result()[0].data.evs, mine[0].data.evs
    )
    np.testing.assert_allclose(
        ours.job(their_job.job_id()).result()[0].data.evs, theirs[0].data.evs
    )


def test_estimator_validation_messages(ours: QiskitRuntimeService) -> None:
    from qiskit.quantum_info import SparsePauliOp

    from qrt_lab.runtime.executor_estimator import Estimator

    backend = ours.backend("local_5q")
    circuit = bell_no_meas(backend)
    zz = SparsePauliOp("ZZ").apply_layout(circuit.layout)
    estimator = Estimator(mode=backend)
    with pytest.raises(IBMInputValueError, match="same precision"):
        estimator.run([(circuit, zz, None, 0.1), (circuit, zz, None, 0.2)])
    estimator.options.resilience.pec_mitigation = True
    with pytest.raises(IBMInputValueError, match="requires a noise model"):
        estimator.run([(circuit, zz)])
    estimator.options.resilience.zne_mitigation = True
    with pytest.raises(IBMInputValueError, match="incompatible"):
        estimator.run([(circuit, zz)])
    with pytest.raises(ValueError, match="resilience_level"):
        estimator.options.resilience_level = 3  # type: ignore[assignment]


def test_executor_primitives_in_a_session_a_batch_and_a_dry_run(
    ours: QiskitRuntimeService,
) -> None:
    from qiskit.quantum_info import SparsePauliOp

    from qrt_lab.runtime import Batch, Session
    from qrt_lab.runtime.executor_estimator import Estimator

    backend = ours.backend("local_5q")
    circuit = ghz(backend)
    with Session(backend=backend) as session:
        job = Sampler(mode=session).run([circuit], shots=300)
        assert job.session_id == session.session_id
        assert job.result()[0].data.meas.num_shots == 300
    with Batch(backend=backend) as batch:
        plain = bell_no_meas(backend)
        pub = (plain, SparsePauliOp("ZZ").apply_layout(plain.layout))
        jobs = [Estimator(mode=batch).run([pub], precision=p) for p in (0.1, 0.05)]
        assert all(j.session_id == batch.session_id for j in jobs)
        assert [j.result().metadata["target_precision"] for j in jobs] == [0.1, 0.05]
    dry = Sampler(mode=backend).run([circuit], shots=100, dry_run=True)
    assert dry.backend().name.startswith("mock_")  # type: ignore[union-attr]
    assert dry.result()[0].data.meas.num_shots == 100


@pytest.mark.parametrize("types", ["gates", "all"])
def test_find_unique_layers_matches_the_official_sampler(
    ours: QiskitRuntimeService, official: OfficialService, types: str
) -> None:
    backend = ours.backend("local_5q")
    circuits = [ghz(backend, 3), ghz(backend, 4)]
    mine = Sampler(mode=backend, options={"twirling": {"enable_gates": True}})
    theirs = OfficialSampler(mode=official.backend("local_5q"))
    theirs.options.twirling.enable_gates = True
    mine_layers = mine.find_unique_layers(circuits, types=types)
    their_layers = theirs.find_unique_layers(circuits, types=types)
    assert [layer.operation for layer in mine_layers] == [layer.operation for layer in their_layers]
    assert [layer.qubits for layer in mine_layers] == [layer.qubits for layer in their_layers]
    assert mine_layers
    with pytest.raises(IBMInputValueError, match="types"):
        mine.find_unique_layers(circuits, types="some")  # type: ignore[arg-type]


@pytest.mark.parametrize("sequence", ["XX", "XY4"])
def test_dynamical_decoupling_pads_like_the_official_sampler(
    ours: QiskitRuntimeService, official: OfficialService, sequence: str
) -> None:
    our_backend, their_backend = ours.backend("local_5q"), official.backend("local_5q")
    circuit = ghz(our_backend, 4)
    dd = {"enable": True, "sequence_type": sequence}
    mine = Sampler(mode=our_backend, options={"dynamical_decoupling": dd})
    theirs = OfficialSampler(mode=their_backend)
    theirs.options.dynamical_decoupling.enable = True
    theirs.options.dynamical_decoupling.sequence_type = sequence
    mine_job = mine.run([circuit], shots=TVD_SHOTS)
    their_job = theirs.run([circuit], shots=TVD_SHOTS)
    # both clients decode executor params into a QuantumProgram
    mine_inputs = [item.circuit for item in mine_job.inputs["quantum_program"].items]
    their_inputs = [item.circuit for item in their_job.inputs["quantum_program"].items]
    assert mine_inputs[0].count_ops() == their_inputs[0].count_ops()
    assert mine_inputs[0].count_ops().get("delay", 0) > 0
    assert tvd(counts_of(mine_job.result()), counts_of(their_job.result())) < 0.08
    with pytest.raises(IBMInputValueError, match="control flow"):
        dynamic = QuantumCircuit(1, 1)
        dynamic.measure(0, 0)
        with dynamic.if_test((dynamic.clbits[0], 1)):
            dynamic.x(0)
        mine.run([isa(our_backend, dynamic)])
