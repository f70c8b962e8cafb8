"""Summaries of ``executor`` results: a real document from the local service, and hostile ones."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qiskit_ibm_runtime import Executor, QuantumProgram
from test_executor_program import backend, rotation  # noqa: F401

from qrt_lab.runtime import codec
from qrt_lab.runtime.accounts import Account
from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.api.rest import RuntimeRest
from qrt_lab.runtime.summaries.executor_results import decode_bool_tensor
from qrt_lab.runtime.summaries.results import summarize_result

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def raw_result(info: LocalServiceInfo, job_id: str) -> str:
    account = Account(token=info.api_key, url=info.url, instance=info.instance)
    with RuntimeRest(RuntimeConnection.from_account(account)) as rest:
        text: str = rest.job_results(job_id)
    return text


def test_a_circuit_item_summarises_like_a_sampler_pub(
    backend: Any,  # noqa: F811
    local_service: LocalServiceInfo,
) -> None:
    arguments = np.array([[0.0, 0.0], [np.pi, 0.0], [np.pi, np.pi]])
    program = QuantumProgram(shots=300)
    program.append_circuit_item(rotation(backend), circuit_arguments=arguments)
    program.append_circuit_item(rotation(backend), circuit_arguments=np.zeros((2, 2)))
    job = Executor(mode=backend).run(program)
    official = job.result()
    text = raw_result(local_service, job.job_id())
    summary = summarize_result(codec.decode_result(text), None, top_k=4)
    assert "raw" not in summary and summary["metadata"]["program"] == "executor"
    first, second = summary["pubs"]
    assert first["kind"] == "sampler" and first["shape"] == [3]
    assert first["metadata"] == {"shots": 300} and second["shape"] == [2]
    meas = first["registers"]["meas"]
    assert meas["num_bits"] == 2 and meas["shots"] == 300 and meas["total_shots"] == 900
    # the official decoder's bools, counted as bitstrings with bit i at position -1 - i
    bools = official[0]["meas"].reshape(-1, 2)
    expected: dict[str, int] = {}
    for row in bools:
        key = "".join("1" if b else "0" for b in row[::-1])
        expected[key] = expected.get(key, 0) + 1
    assert meas["top_counts"] == dict(sorted(expected.items(), key=lambda kv: -kv[1])[:4])
    assert meas["other"] == 900 - sum(meas["top_counts"].values())
    # (0,0) -> "00"; (pi,0) binds phi=pi -> qubit 1 -> "10"; (pi,pi) -> "11"
    assert meas["top_counts"].get("10", 0) > 200 and meas["top_counts"].get("11", 0) > 200
    assert second["registers"]["meas"]["top_counts"].get("00", 0) > 500


def tensor(bools: np.ndarray) -> dict[str, Any]:
    packed = np.packbits(bools.ravel(), bitorder="little").tobytes()
    data = base64.b64encode(zlib.compress(packed)).decode()
    return {"data": data, "shape": list(bools.shape), "dtype": "bool"}


def test_bool_tensors_round_trip_and_pad_wide_registers() -> None:
    bools = np.random.default_rng(3).random((2, 5, 11)) < 0.5
    np.testing.assert_array_equal(decode_bool_tensor(tensor(bools)), bools)
    bools[..., 10] = True
    bools[..., :10] = False
    doc = {"schema_version": "v2.0", "data": [{"results": {"c": tensor(bools)}, "metadata": {}}]}
    (pub,) = summarize_result(doc)["pubs"]
    assert pub["registers"]["c"]["top_counts"] == {"1" + "0" * 10: 10}
    assert pub["shape"] == [2] and pub["metadata"]["shots"] == 5


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
hostile_tensors = st.fixed_dictionaries(
    {
        "data": st.text(max_size=20)
        | st.binary(max_size=30).map(lambda b: base64.b64encode(zlib.compress(b)).decode()),
        "shape": st.lists(st.integers(-3, 2**40), max_size=5) | json_values,
        "dtype": st.sampled_from(["bool", "u8", "f64"]) | json_values,
    }
)


@settings(max_examples=150, deadline=None)
@given(
    results=st.dictionaries(st.text(max_size=6), hostile_tensors | json_values, max_size=3),
    data=json_values,
)
def test_hostile_executor_documents_fall_back_to_raw(results: Any, data: Any) -> None:
    for doc in (
        {"schema_version": "v2.0", "data": [{"results": results}]},
        {"schema_version": "v2.0", "data": data},
    ):
        summary = summarize_result(json.loads(json.dumps(doc)))
        assert isinstance(summary["pubs"], list)
        if not summary["pubs"]:
            assert "raw" in summary or summary.get("metadata", {}).get("program") == "executor"
        json.dumps(summary)


@pytest.mark.parametrize(
    "results",
    [
        {"meas": {"data": "not base64!", "shape": [2, 1], "dtype": "bool"}},
        {
            "meas": {
                "data": base64.b64encode(zlib.compress(b"\0")).decode(),
                "shape": [2**40, 8],
                "dtype": "bool",
            }
        },
        {"meas": {"data": base64.b64encode(b"\0").decode(), "shape": [1, 1], "dtype": "bool"}},
        {
            "meas": {
                "data": base64.b64encode(zlib.compress(b"\0")).decode(),
                "shape": [3],
                "dtype": "bool",
            }
        },
    ],
)
def test_malformed_registers_give_the_raw_fallback(results: dict[str, Any]) -> None:
    summary = summarize_result({"schema_version": "v2.0", "data": [{"results": results}]})
    assert summary["pubs"] == [] and "schema_version" in summary["raw"]
