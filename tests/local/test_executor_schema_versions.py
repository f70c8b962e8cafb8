"""Executor params of another schema version than v2.0: a clear 400 at the HTTP boundary.

qiskit-ibm-runtime 0.47 and 0.48 send schemas v1.0 and v1.1, which the service does not run;
the answer names the field, the version sent, the supported versions and what to upgrade, for
any value of ``schema_version`` (generated with hypothesis), and never reaches a worker.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import Executor, QiskitRuntimeService, QuantumProgram
from qiskit_ibm_runtime.exceptions import IBMRuntimeError

from qrt_lab.runtime.api.discovery import LocalServiceInfo

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def raw_api(local_service: LocalServiceInfo) -> Iterator[Any]:
    from local_http import runtime_client

    with runtime_client(local_service) as client:
        yield client


def _program(backend: Any) -> QuantumProgram:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)
    program = QuantumProgram(shots=16)
    program.append_circuit_item(isa, circuit_arguments=np.zeros((2, 0)))
    return program


def _params(backend: Any, version: str) -> dict[str, Any]:
    from qiskit_ibm_runtime.options_models import ExecutorOptions
    from qiskit_ibm_runtime.quantum_program.params_converters import (
        QUANTUM_PROGRAM_PARAMS_CONVERTERS,
    )

    encoder = QUANTUM_PROGRAM_PARAMS_CONVERTERS[version].encoder
    params: dict[str, Any] = encoder(_program(backend), ExecutorOptions()).model_dump(mode="json")
    return params


@pytest.fixture(scope="module")
def valid_params(service: QiskitRuntimeService) -> dict[str, Any]:
    return _params(service.backend("local_5q"), "v2.0")


def _post(api: Any, params: Any) -> Any:
    return api.post(
        "/jobs", json={"program_id": "executor", "backend": "local_5q", "params": params}
    )


def _assert_clear_400(reply: Any) -> str:
    assert reply.status_code == 400, reply.text
    message = str(reply.json()["errors"][0]["message"])
    assert "params.schema_version" in message
    assert "supported: v2.0" in message and "Upgrade qiskit-ibm-runtime" in message
    assert len(message) < 600  # a hostile version string is not echoed in full
    return message


@pytest.mark.parametrize("version", ["v1.0", "v1.1"])
def test_the_official_encoding_of_an_older_schema_is_refused_clearly(
    service: QiskitRuntimeService, raw_api: Any, version: str
) -> None:
    params = _params(service.backend("local_5q"), version)
    assert params["schema_version"] == version
    message = _assert_clear_400(_post(raw_api, params))
    assert f"is '{version}'" in message and "0.47 and 0.48" in message


def test_an_older_client_sees_the_reason(
    service: QiskitRuntimeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = service.backend("local_5q")
    monkeypatch.setattr(Executor, "_SCHEMA_VERSION", "v1.1")  # what 0.48 sends
    with pytest.raises(IBMRuntimeError) as failure:
        Executor(mode=backend).run(_program(backend))
    text = str(failure.value)
    assert "schema_version" in text and "v2.0" in text and "Upgrade qiskit-ibm-runtime" in text


def test_a_missing_or_non_string_version(raw_api: Any, valid_params: dict[str, Any]) -> None:
    params = copy.deepcopy(valid_params)
    del params["schema_version"]
    assert "is missing" in _assert_clear_400(_post(raw_api, params))
    params["schema_version"] = 2.0
    assert "must be a string, not float" in _assert_clear_400(_post(raw_api, params))


VERSIONS = (
    st.text(max_size=300)
    | st.sampled_from(["v1.0", "v1.1", "v0.1", "v0.2", "v2.1", "v3.0", "2.0", "V2.0", " v2.0"])
    | st.from_regex(r"v[0-9]{1,3}\.[0-9]{1,3}", fullmatch=True)
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.lists(st.text(max_size=4), max_size=3)
    | st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2)
).filter(lambda v: v != "v2.0")


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(version=VERSIONS)
def test_any_other_schema_version_is_a_clear_400(
    raw_api: Any, valid_params: dict[str, Any], version: Any
) -> None:
    params = copy.deepcopy(valid_params)
    params["schema_version"] = version
    _assert_clear_400(_post(raw_api, params))
