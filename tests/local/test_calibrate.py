"""The ``calibrate`` program (``Calibrator``) and jobs' ``calibration_id`` on the local service.

Both clients run ``Calibrator`` in a session end to end; each decodes the other's job; the
session's next jobs (NoiseLearnerV3, then a PEC Estimator fed with the learned noise) run on the
same device. Hostile params get a 400 at the boundary; a job's ``calibration_id`` selects the
calibration the worker simulates, and an unknown one is a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_http import runtime_client, wait_final
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import QiskitRuntimeService as OfficialService

from qrt_lab.runtime import QiskitRuntimeService, Session
from qrt_lab.runtime.api.discovery import LocalServiceInfo

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
DEVICE = "local_5q"
PARAMS = {"schema_version": "v0.1", "options": {"experimental": {}}}


@pytest.fixture(scope="module")
def ours(our_service: QiskitRuntimeService) -> QiskitRuntimeService:
    """qrt-lab's client on the local service (beside the official one)."""
    return our_service


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


def _documented_median(logs: str) -> str:
    found = re.search(r"([0-9.]+) documented", logs)
    assert found, logs
    return found.group(1)


def test_official_calibrator_in_a_session_and_our_client_decodes_it(
    service: OfficialService, ours: QiskitRuntimeService
) -> None:
    from qiskit_ibm_runtime import Calibrator as OfficialCalibrator
    from qiskit_ibm_runtime import Session as OfficialSession
    from qiskit_ibm_runtime.results import CalibratorResult as OfficialResult

    from qrt_lab.runtime.calibrator import CalibratorResult

    with OfficialSession(backend=service.backend(DEVICE)) as session:
        job = OfficialCalibrator(session, options={"experimental": {"kind": "fine"}}).run()
        theirs = job.result()
    assert job.primitive_id == "calibrate" and job.session_id == session.session_id
    assert isinstance(theirs, OfficialResult)
    assert theirs.start.tzinfo is not None and theirs.start <= theirs.stop
    logs = job.logs()
    assert f"Calibrated {DEVICE}" in logs and "readout of 5 qubit(s)" in logs
    assert "options.experimental.kind" in logs  # accepted, said not applied
    mine = ours.job(job.job_id()).result()
    assert isinstance(mine, CalibratorResult)
    assert (mine.start, mine.stop) == (theirs.start, theirs.stop)


def test_our_calibrator_then_learned_noise_feeds_the_pec_estimator(
    service: OfficialService, ours: QiskitRuntimeService
) -> None:
    from qiskit_ibm_runtime.results import CalibratorResult as OfficialResult

    from qrt_lab.runtime.calibrator import Calibrator, CalibratorResult
    from qrt_lab.runtime.executor_estimator import Estimator
    from qrt_lab.runtime.noise_learner_v3 import NoiseLearnerV3

    backend = ours.backend(DEVICE)
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=3)
    mapped = isa.run(circuit)
    pub = (mapped, SparsePauliOp("ZZ").apply_layout(mapped.layout))
    with Session(backend=backend) as session:
        calibrated = Calibrator(session).run()
        window = calibrated.result()
        estimator = Estimator(mode=session, options={"resilience": {"pec_mitigation": True}})
        layers = estimator.find_unique_layers([pub])
        learner = NoiseLearnerV3(session)
        learner.options.num_randomizations = 8
        learned = learner.run(layers).result()
        maps = learned.to_pauli_lindblad_maps()
        estimator.options.resilience.layer_noise_model = list(zip(layers, maps, strict=True))
        result = estimator.run([pub], precision=0.05).result()
    assert isinstance(window, CalibratorResult) and window.start <= window.stop
    assert window.start.astimezone(UTC) == window.start
    assert abs(float(result[0].data.evs) - 1.0) < 0.3  # the Bell state's ZZ, noise cancelled
    theirs = service.job(calibrated.job_id()).result()
    assert isinstance(theirs, OfficialResult)
    assert (theirs.start, theirs.stop) == (window.start, window.stop)


def _post(api: httpx.Client, **changes: Any) -> httpx.Response:
    body = {"program_id": "calibrate", "backend": DEVICE, "params": PARAMS, **changes}
    return api.post("/jobs", content=json.dumps(body))


def _message(reply: httpx.Response) -> str:
    assert reply.status_code == 400, (reply.status_code, reply.text)
    assert "Traceback" not in reply.text
    return str(reply.json()["errors"][0]["message"])


def test_calibrate_params_are_checked_at_the_boundary(api: httpx.Client) -> None:
    assert "v0.1" in _message(_post(api, params={"schema_version": "v9.9", "options": {}}))
    assert "v0.1" in _message(_post(api, params={"options": {}}))
    assert "'params.options'" in _message(_post(api, params={"schema_version": "v0.1"}))
    bad = {"schema_version": "v0.1", "options": {"experimental": [1]}}
    assert "experimental" in _message(_post(api, params=bad))
    huge = {"schema_version": "v0.1", "options": {"experimental": {"x": "a" * 20_000}}}
    assert "at most" in _message(_post(api, params=huge))
    assert "simulator" in _message(_post(api, backend="local_ideal"))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.dictionaries(
        st.sampled_from(["schema_version", "options", "experimental", "x"]), JSON, max_size=3
    )
)
def test_hostile_calibrate_params_get_a_400(api: httpx.Client, params: dict[str, Any]) -> None:
    valid = params.get("schema_version") == "v0.1" and isinstance(params.get("options"), dict)
    valid = valid and isinstance(params["options"].get("experimental", {}), dict)
    reply = _post(api, params=params)
    if valid:
        assert reply.status_code == 200, reply.text
        assert wait_final(api, reply.json()["id"])["state"]["status"] == "Completed"
    else:
        assert _message(reply)


def test_a_job_runs_on_the_calibration_it_names(
    api: httpx.Client, ours: QiskitRuntimeService
) -> None:
    from qrt_lab.runtime.calibrator import Calibrator

    current = api.get(f"/backends/{DEVICE}/properties").json()
    past = api.get(f"/backends/{DEVICE}/properties", params={"calibration_id": "x"})
    assert past.status_code == 404
    known = re.findall(r"[0-9a-f]{24}", past.json()["errors"][0]["message"])
    older = next(cal for cal in known if cal != current["calibration_id"])
    logs = {}
    for cal in (current["calibration_id"], older):
        job = Calibrator(ours.backend(DEVICE, calibration_id=cal)).run()
        job.result()
        assert api.get(f"/jobs/{job.job_id()}").json()["calibration_id"] == cal
        logs[cal] = job.logs()
        assert f"({cal})" in logs[cal]
    # each calibration's documented readout errors are the ones the run was simulated with
    assert _documented_median(logs[older]) != _documented_median(logs[current["calibration_id"]])


def test_an_unknown_calibration_id_is_a_400(api: httpx.Client) -> None:
    message = _message(_post(api, calibration_id="no-such-calibration"))
    assert "not known" in message and "Known calibrations" in message
    assert "1 to 128" in _message(_post(api, calibration_id="x" * 500))
    sampler = {"program_id": "sampler", "backend": "local_ideal", "params": {"pubs": []}}
    reply = api.post("/jobs", content=json.dumps({**sampler, "calibration_id": "abc"}))
    assert reply.status_code == 400


def test_the_official_client_sends_a_past_calibration_id(
    service: OfficialService, api: httpx.Client
) -> None:
    from qiskit_ibm_runtime import SamplerV2

    current = api.get(f"/backends/{DEVICE}/properties").json()["calibration_id"]
    reply = api.get(f"/backends/{DEVICE}/properties", params={"calibration_id": "x"})
    older = next(c for c in re.findall(r"[0-9a-f]{24}", reply.text) if c != current)
    backend = service.backend(DEVICE, calibration_id=older)
    circuit = QuantumCircuit(1)
    circuit.x(0)
    circuit.measure_all()
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)
    job = SamplerV2(mode=backend).run([isa], shots=64)
    assert job.result()[0].data.meas.num_shots == 64
    assert api.get(f"/jobs/{job.job_id()}").json()["calibration_id"] == older


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.one_of(st.text(max_size=200), st.integers(), st.lists(st.text(), max_size=2)))
def test_hostile_calibration_ids_on_jobs_get_a_400(api: httpx.Client, value: Any) -> None:
    reply = _post(api, calibration_id=value)
    assert _message(reply)
