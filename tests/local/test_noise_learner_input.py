"""Hostile input to the ``noise-learner`` program and the estimator's mitigation options.

At the HTTP boundary a malformed body is a 400; options the boundary cannot judge fail the job
with reason code 1513 and a message naming the option, never a 500 or an internal error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from execution_support import estimator_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_http import runtime_client, wait_final
from qiskit import QuantumCircuit

from qrt_lab.local.execution.execute import execute
from qrt_lab.local.job_errors import BAD_INPUT
from qrt_lab.runtime import codec
from qrt_lab.runtime.api.discovery import LocalServiceInfo

DEVICE = "local_5q"
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


def _post(api: httpx.Client, params: Any) -> httpx.Response:
    body = {"program_id": "noise-learner", "backend": DEVICE, "params": params}
    return api.post("/jobs", content=codec.dumps(body))


def _cx_circuit() -> QuantumCircuit:
    qc = QuantumCircuit(5)
    qc.cx(0, 1)
    return qc


@pytest.mark.parametrize(
    "params",
    [{}, {"circuits": []}, {"circuits": "x"}, {"schema_version": "v0.3"}, {"circuits": None}],
)
def test_malformed_bodies_are_400(api: httpx.Client, params: Any) -> None:
    reply = _post(api, params)
    assert reply.status_code == 400, reply.text
    assert "params" in reply.json()["errors"][0]["message"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(options=JSON)
def test_any_learning_options_fail_cleanly_or_run(api: httpx.Client, options: Any) -> None:
    reply = _post(api, {"circuits": [_cx_circuit()], "options": options})
    if reply.status_code == 400:
        return
    assert reply.status_code == 200, reply.text
    job = wait_final(api, reply.json()["id"])
    state = job["state"]
    assert state["status"] in ("Completed", "Failed"), state
    if state["status"] == "Failed":
        assert state.get("reason_code") == BAD_INPUT, state


@pytest.mark.parametrize(
    "options",
    [
        {"resilience": {"zne": {"extrapolator": "cubic"}}},
        {"resilience": {"zne": {"noise_factors": [0.5, 1]}}},
        {"resilience": {"zne": {"amplifier": "louder"}}},
        {"resilience": {"pec": {"noise_gain": -1}}},
        {"twirling": {"num_randomizations": 0}},
        {"twirling": {"strategy": "some"}},
        {"resilience": {"layer_noise_learning": {"layer_pair_depths": [3]}}},
    ],
)
def test_bad_mitigation_options_fail_with_1513(options: dict[str, Any]) -> None:
    outcome = execute(estimator_spec([(QuantumCircuit(5), {"IIIIZ": 1.0})], DEVICE, options, 2))
    assert outcome.status == "Failed"
    assert outcome.reason_code == BAD_INPUT, outcome.reason
