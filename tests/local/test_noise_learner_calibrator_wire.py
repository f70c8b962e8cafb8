"""NoiseLearnerV3 and Calibrator: request payloads equal the official client's, results decode.

Until the local service runs ``noise-learner`` v0.3 and ``calibrate``, both clients talk to the
real local service for everything except those programs' job documents: the ``POST /jobs`` of
the two programs is captured at the transport (httpx for qrt-lab, requests for the official
client) and answered with a job id; that job's status and result are served from results
encoded here as the platform does (ibm-quantum-schemas models), so ``job.result()`` decodes them
through each client's own code path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np
import pytest
import requests
from official_setup import official_service
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import QiskitRuntimeService as OfficialService

from qrt_lab.runtime import IBMInputValueError, QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CAPTURED = ("noise-learner", "calibrate")
JOB_ID = "captured-job"


class Platform:
    """What the platform answers for the captured programs: one result text per program."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.results: dict[str, str] = {}

    def intercept(self, method: str, path: str, body: bytes) -> tuple[int, str] | None:
        if method == "POST" and path.endswith("/jobs"):
            document = json.loads(body)
            if document.get("program_id") in CAPTURED:
                self.bodies.append(document)
                return 200, json.dumps({"id": JOB_ID, "backend": document["backend"]})
        if JOB_ID in path:
            program = self.bodies[-1]["program_id"]
            if path.endswith("/results"):
                return 200, self.results[program]
            state = {
                "id": JOB_ID,
                "state": {"status": "Completed"},
                "program": {"id": program},
                "backend": self.bodies[-1]["backend"],
                "created": "2026-12-07T00:00:00Z",
            }
            return 200, json.dumps(state)
        return None


class CapturingTransport(httpx.BaseTransport):
    def __init__(self, platform: Platform) -> None:
        self.inner, self.platform = httpx.HTTPTransport(), platform

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.platform.intercept(request.method, request.url.path, request.read())
        if answer is None:
            return self.inner.handle_request(request)
        return httpx.Response(
            answer[0], text=answer[1], headers={"content-type": "application/json"}
        )


@pytest.fixture
def platform() -> Platform:
    return Platform()


@pytest.fixture
def ours(local_service: LocalServiceInfo, platform: Platform) -> Iterator[QiskitRuntimeService]:
    svc = QiskitRuntimeService(
        token=local_service.api_key,
        url=local_service.url,
        instance=local_service.instance,
        transport=CapturingTransport(platform),
    )
    yield svc
    svc.close()


@pytest.fixture
def official(
    local_service: LocalServiceInfo,
    tmp_path_factory: pytest.TempPathFactory,
    platform: Platform,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[OfficialService]:
    send = requests.adapters.HTTPAdapter.send

    def capture(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        body = request.body or b""
        path = requests.utils.urlparse(request.url).path
        answer = platform.intercept(
            request.method, path, body if isinstance(body, bytes) else body.encode()
        )
        if answer is None:
            return send(adapter, request, *args, **kwargs)
        response = requests.Response()
        response.status_code, response._content = answer[0], answer[1].encode()
        response.headers["Content-Type"] = "application/json"
        response.url, response.request = request.url, request
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", capture)
    with official_service(local_service, tmp_path_factory.mktemp("home")) as client:
        yield client


def layers(backend: Any) -> list[Any]:
    from samplomatic.transpiler import generate_boxing_pass_manager
    from samplomatic.utils import find_unique_box_instructions

    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    circuit.measure_all()
    manager = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=3)
    manager.post_scheduling = generate_boxing_pass_manager(
        enable_gates=True, enable_measures=True, inject_noise_targets="all",
        inject_noise_strategy="individual_modification",
    )  # fmt: skip
    boxed = manager.run(circuit)
    return find_unique_box_instructions(boxed.data, normalize_annotations=None, undress_boxes=False)


def circuit_of(document: dict[str, Any]) -> QuantumCircuit:
    from ibm_quantum_schemas.common import QpyModelV13ToV17

    assert document["qpy_version"] == 17
    circuit: QuantumCircuit = QpyModelV13ToV17.model_validate(document).to_quantum_circuit()
    return circuit


def v3_results(instructions: list[Any]) -> str:
    from ibm_quantum_schemas.common import F64TensorModel
    from ibm_quantum_schemas.noise_learner_v3.version_0_3 import (
        LinbdbladResultMetadataModel,
        LinbdbladResultPostSelectionMetadataModel,
        NoiseLearnerV3ResultModel,
        NoiseLearnerV3ResultsModel,
    )

    data = []
    for k, instruction in enumerate(instructions):
        n = len(instruction.qubits)
        generators = [[("X", [q])] for q in range(n)] + [[("Z", [q]), ("Y", [q])] for q in range(n)]
        rates = np.linspace(0.001, 0.002, len(generators)) * (k + 1)
        data.append(
            NoiseLearnerV3ResultModel(
                generators_sparse=generators,
                num_qubits=n,
                rates=F64TensorModel.from_numpy(rates),
                rates_std=F64TensorModel.from_numpy(rates / 10),
                metadata=LinbdbladResultMetadataModel(
                    post_selection=LinbdbladResultPostSelectionMetadataModel(
                        fraction_kept={0: 1.0}, success_rates={0: {0: 1.0}}
                    )
                ),
            )
        )
    return NoiseLearnerV3ResultsModel(data=data).model_dump_json()


def test_noise_learner_v3_request_and_result_match_the_official_client(
    ours: QiskitRuntimeService, official: OfficialService, platform: Platform
) -> None:
    from qiskit_ibm_runtime import NoiseLearnerV3 as OfficialLearner

    from qrt_lab.runtime.noise_learner_v3 import NoiseLearnerV3, NoiseLearnerV3Results

    instructions = layers(ours.backend("local_5q"))
    assert len(instructions) >= 2
    platform.results["noise-learner"] = v3_results(instructions)
    learner = NoiseLearnerV3(ours.backend("local_5q"))
    learner.options.num_randomizations = 8
    learner.options.environment.job_tags = ["nl"]
    mine_job = learner.run(instructions)
    theirs_learner = OfficialLearner(official.backend("local_5q"))
    theirs_learner.options.num_randomizations = 8
    theirs_learner.options.environment.job_tags = ["nl"]
    theirs_job = theirs_learner.run(instructions)
    mine_body, theirs_body = platform.bodies
    mine_circuit = circuit_of(mine_body["params"].pop("instructions"))
    theirs_circuit = circuit_of(theirs_body["params"].pop("instructions"))
    assert mine_body["params"] == theirs_body["params"]
    # QuantumCircuit() names itself from a process-wide counter: all else is the same
    assert mine_circuit.name != theirs_circuit.name
    mine_circuit.name = theirs_circuit.name
    assert mine_circuit == theirs_circuit
    assert mine_body["params"]["schema_version"] == "v0.3" and mine_body["params"]["version"] == 3
    for key in ("program_id", "backend", "log_level", "tags"):
        assert mine_body[key] == theirs_body[key], key

    mine, theirs = mine_job.result(), theirs_job.result()
    assert isinstance(mine, NoiseLearnerV3Results) and len(mine) == len(theirs)
    for ours_map, their_map in zip(
        mine.to_pauli_lindblad_maps(), theirs.to_pauli_lindblad_maps(), strict=True
    ):
        assert ours_map.simplify() == their_map.simplify()
    noise = mine.to_dict(instructions)
    assert noise.keys() == theirs.to_dict(instructions).keys()
    assert ours.job(JOB_ID).result().to_dict(instructions).keys() == noise.keys()


def test_noise_learner_v3_rejects_what_cannot_be_learned(ours: QiskitRuntimeService) -> None:
    from qiskit.circuit import CircuitInstruction

    from qrt_lab.runtime.noise_learner_v3 import NoiseLearnerV3

    learner = NoiseLearnerV3(ours.backend("local_5q"))
    circuit = QuantumCircuit(5)
    circuit.cx(0, 1)
    with pytest.raises(IBMInputValueError, match="Expected a 'box'"):
        learner.run([circuit.data[0]])
    with pytest.raises(IBMInputValueError, match="No instructions"):
        learner.run([])
    with pytest.raises(ValueError, match="num_randomizations"):
        learner.options.num_randomizations = 0
    assert isinstance(circuit.data[0], CircuitInstruction)


def test_calibrator_request_and_result_match_the_official_client(
    ours: QiskitRuntimeService, official: OfficialService, platform: Platform
) -> None:
    from ibm_quantum_schemas.calibrator.version_0_1 import CalibratorResultModel
    from qiskit_ibm_runtime import Calibrator as OfficialCalibrator

    from qrt_lab.runtime.calibrator import Calibrator, CalibratorResult

    start, stop = datetime(2026, 12, 7, 1, tzinfo=UTC), datetime(2026, 12, 7, 1, 5, tzinfo=UTC)
    platform.results["calibrate"] = CalibratorResultModel(start=start, stop=stop).model_dump_json()
    mine_job = Calibrator(
        ours.backend("local_5q"), options={"experimental": {"kind": "fine"}}
    ).run()
    theirs_job = OfficialCalibrator(
        official.backend("local_5q"), options={"experimental": {"kind": "fine"}}
    ).run()
    mine_body, theirs_body = platform.bodies
    assert mine_body["params"] == theirs_body["params"]
    assert mine_body["program_id"] == theirs_body["program_id"] == "calibrate"
    mine, theirs = mine_job.result(), theirs_job.result()
    assert isinstance(mine, CalibratorResult)
    assert (mine.start, mine.stop) == (theirs.start, theirs.stop) == (start, stop)


def test_learned_noise_feeds_the_pec_estimator(
    ours: QiskitRuntimeService, official: OfficialService, platform: Platform
) -> None:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_ibm_runtime.executor_estimator import Estimator as OfficialEstimator

    from qrt_lab.runtime.executor_estimator import Estimator
    from qrt_lab.runtime.noise_learner_v3 import NoiseLearnerV3

    backend = ours.backend("local_5q")
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=3)
    mapped = isa.run(circuit)
    pub = (mapped, SparsePauliOp("ZZ").apply_layout(mapped.layout))
    estimator = Estimator(mode=backend, options={"resilience": {"pec_mitigation": True}})
    layers = estimator.find_unique_layers([pub])
    official_estimator = OfficialEstimator(mode=official.backend("local_5q"))
    official_estimator.options.resilience.pec_mitigation = True
    theirs = official_estimator.find_unique_layers([pub])
    assert [layer.operation for layer in layers] == [layer.operation for layer in theirs]
    assert layers and all(layer.operation.name == "box" for layer in layers)

    platform.results["noise-learner"] = v3_results(layers)
    learned = NoiseLearnerV3(backend).run(layers).result()
    maps = learned.to_pauli_lindblad_maps()
    estimator.options.resilience.layer_noise_model = list(zip(layers, maps, strict=True))
    # executor jobs cannot be seeded over the wire: at precision 0.05 the value spread 0.078
    # (25 repeats, one at 0.737), at 0.025 it spreads 0.022 (25 repeats): 0.3 is > 10 sds
    result = estimator.run([pub], precision=0.025).result()
    assert abs(float(result[0].data.evs) - 1.0) < 0.3  # the Bell state's ZZ, noise cancelled
    assert result.metadata["options"]["resilience"]["pec_mitigation"] is True


def legacy_results() -> str:
    from qiskit.quantum_info import PauliList
    from qiskit_ibm_runtime import RuntimeEncoder
    from qiskit_ibm_runtime.results import LayerError, PauliLindbladError

    layer = QuantumCircuit(2)
    layer.cz(0, 1)
    error = PauliLindbladError(PauliList(["XI", "IZ", "YY"]), [0.001, 0.002, 0.0005])
    # the platform's document: {"data": [LayerError...], "metadata": ...} (not a tagged result)
    result = {"data": [LayerError(layer, [3, 4], error)], "metadata": {"learning": "x"}}
    return json.dumps(result, cls=RuntimeEncoder)


def test_legacy_noise_learner_request_and_result_match_the_official_client(
    ours: QiskitRuntimeService, official: OfficialService, platform: Platform
) -> None:
    from qiskit_ibm_runtime import NoiseLearner as OfficialLearner
    from qiskit_ibm_runtime import RuntimeDecoder

    from qrt_lab.runtime import NoiseLearner, NoiseLearnerOptions, NoiseLearnerV2
    from qrt_lab.runtime.noise_learner import NoiseLearnerResult

    assert NoiseLearnerV2 is NoiseLearner
    backend = ours.backend("local_5q")
    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=3)
    mapped = isa.run(circuit)
    platform.results["noise-learner"] = legacy_results()
    options = {"max_layers_to_learn": 2, "num_randomizations": 8, "twirling_strategy": "all",
               "environment": {"job_tags": ["legacy"]}}  # fmt: skip
    mine_job = NoiseLearner(backend, options=NoiseLearnerOptions(**options)).run([mapped])
    theirs_job = OfficialLearner(official.backend("local_5q"), options=options).run([mapped])
    mine_body, theirs_body = platform.bodies
    mine_params = json.loads(json.dumps(mine_body["params"]), cls=RuntimeDecoder)
    theirs_params = json.loads(json.dumps(theirs_body["params"]), cls=RuntimeDecoder)
    assert mine_params["options"] == theirs_params["options"]
    assert mine_params["circuits"] == theirs_params["circuits"] == [mapped]
    for key in ("program_id", "backend", "log_level", "tags"):
        assert mine_body[key] == theirs_body[key], key

    mine, theirs = mine_job.result(), theirs_job.result()
    assert isinstance(mine, NoiseLearnerResult) and len(mine) == len(theirs) == 1
    assert mine.metadata == theirs.metadata
    assert mine[0].qubits == theirs[0].qubits == [3, 4]
    assert mine[0].circuit == theirs[0].circuit
    assert mine[0].error.generators == theirs[0].error.generators
    np.testing.assert_allclose(mine[0].error.rates, theirs[0].error.rates)
    two_body = mine[0].error.restrict_num_bodies(2)
    assert two_body.generators == theirs[0].error.restrict_num_bodies(2).generators
    with pytest.raises(IBMInputValueError, match="num_randomizations"):
        NoiseLearnerOptions(num_randomizations=0)
