"""``GET jobs/{id}/figure``: one parameter binding, any estimator axis, top-k past the summary.

Real jupyter-server, real local service; expected counts come from the job's own result.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.primitives.containers.sampler_pub import SamplerPub
from server_support import isa_for, local_rest, on_session_service, submit_executor, wait_final

from qrt_lab.runtime import codec

Api = Any
SWEEP = [0.0, math.pi / 2, math.pi, 3 * math.pi / 2, 0.3]


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], local_service: Any) -> dict[str, Any]:
    """The extension uses the session's local service; top_k may reach 2048."""
    return on_session_service(jp_server_config, local_service, figure_top_k_max=2048)


def _sweep_body(conf: dict[str, Any], backend: str, shots: int, wide: bool) -> str:
    """A sampler PUB swept over a (5,) and a (2, 3) shape (wide: H on 2 more qubits)."""
    theta, phi = Parameter("theta"), Parameter("phi")
    qc = QuantumCircuit(5 if wide else 3)
    if wide:
        qc.h([1, 3, 4])
    qc.ry(theta, 0)
    qc.ry(phi, 2)
    qc.cx(0, 1)
    qc.measure_all()
    isa = isa_for(conf, qc)
    names = [p.name for p in isa.parameters]
    flat = [{"phi": v / 2, "theta": v} for v in SWEEP]
    grid = [[{"phi": a, "theta": b} for b in SWEEP[:3]] for a in (0.0, math.pi)]
    values_1d = np.array([[d[n] for n in names] for d in flat])
    values_2d = np.array([[[d[n] for n in names] for d in row] for row in grid])
    pubs = [
        codec.encode_sampler_pub(SamplerPub.coerce((isa, values, shots)))
        for values in (values_1d, values_2d)
    ]
    body = {
        "program_id": "sampler",
        "backend": backend,
        "params": {"pubs": pubs, "options": {}, "version": 2, "support_qiskit": True},
    }
    return str(codec.dumps(body))


async def _sweep_job(local: Any, shots: int = 400, wide: bool = False) -> tuple[str, Any]:
    """Submit the sweep to the local service; return its id and the decoded result."""
    rest = local_rest(local)
    try:
        conf = await rest.backend_configuration("local_5q")
        body = await asyncio.to_thread(_sweep_body, conf, "local_5q", shots, wide)
        job_id = str((await rest.create_job(body))["id"])
        await wait_final(rest, job_id)
        text = await rest.job_results(job_id)
    finally:
        await rest.aclose()
    return job_id, codec.decode_result(text)


def _bars(body: dict[str, Any]) -> dict[str, int]:
    trace = body["figure"]["data"][0]
    return dict(zip(trace["x"], trace["y"], strict=True))


async def test_one_binding_of_a_sweep_is_that_bindings_counts(qrt_local: Any, qrt_api: Api) -> None:
    job_id, result = await _sweep_job(qrt_local)
    meas = result[0].data.meas
    code, whole = await qrt_api("GET", f"jobs/{job_id}/figure", params={"top_k": 64})
    assert code == 200, whole
    assert whole["shape"] == [5] and whole["index"] is None
    assert _bars(whole) == meas.get_counts()
    for i in range(len(SWEEP)):
        code, body = await qrt_api(
            "GET", f"jobs/{job_id}/figure", params={"index": str(i), "top_k": 64}
        )
        assert code == 200, body
        assert body["index"] == [i] and body["shots"] == 400
        assert _bars(body) == meas.get_counts(loc=i)
        assert sum(body["figure"]["data"][0]["customdata"]) == pytest.approx(100, abs=0.1)
    # top_k 1 of one binding: the rest of that binding is "other"
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"index": "2", "top_k": 1})
    top = max(meas.get_counts(loc=2).items(), key=lambda kv: (kv[1], -int(kv[0], 2)))
    assert body["figure"]["data"][0]["x"][0] == top[0]
    assert _bars(body).get("other", 0) == 400 - top[1]
    # a 2-D shape: one index per axis, ket labels on request
    grid = result[1].data.meas
    code, body = await qrt_api(
        "GET",
        f"jobs/{job_id}/figure",
        params={"pub": 1, "index": "1,2", "labels": "ket", "sort": "key", "top_k": 64},
    )
    assert code == 200, body
    expected = {f"|{k}⟩": v for k, v in grid.get_counts(loc=(1, 2)).items()}
    assert _bars(body) == expected
    assert body["figure"]["data"][0]["x"] == sorted(expected)


@pytest.mark.parametrize(
    ("index", "words"),
    [
        ("5", "0 to 4"),
        ("-1", "0 to 4"),
        ("1,2", "1 axis"),
        ("a", "index"),
        ("1.0", "index"),
        (",", "1 axis"),
        ("9" * 300, "too long"),
    ],
)
async def test_bad_index_is_a_400_naming_index(
    qrt_local: Any, qrt_api: Api, index: str, words: str
) -> None:
    job_id = await _cached_sweep(qrt_local)
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"index": index})
    assert code == 400, body
    assert body["code"] == "bad_query" and "'index'" in body["message"]
    assert words in body["message"]


_SWEEP_IDS: dict[str, str] = {}


async def _cached_sweep(local: Any) -> str:
    """One sweep job per service for the parametrised error tests."""
    key = str(local.state_dir)
    if key not in _SWEEP_IDS:
        _SWEEP_IDS[key] = (await _sweep_job(local, shots=50))[0]
    return _SWEEP_IDS[key]


async def test_top_k_beyond_the_summary(qrt_local: Any, qrt_api: Api) -> None:
    """Up to 32 outcomes: the summary keeps 16, the figure draws them all."""
    job_id, result = await _sweep_job(qrt_local, shots=4000, wide=True)
    code, summary = await qrt_api("GET", f"jobs/{job_id}/result")
    register = summary["pubs"][0]["registers"]["meas"]
    assert len(register["top_counts"]) == 16 < register["distinct"]
    counts = result[0].data.meas.get_counts()
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"top_k": 2048})
    assert code == 200, body
    assert _bars(body) == counts and "other" not in _bars(body)
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"top_k": 2049})
    assert code == 400 and "'top_k'" in body["message"] and "2048" in body["message"]


async def test_executor_item_binding(qrt_local: Any, qrt_api: Api) -> None:
    rest = local_rest(qrt_local)
    try:
        job_id = await submit_executor(rest, shots=300)
        await wait_final(rest, job_id)
        document = json.loads(await rest.job_results(job_id))
    finally:
        await rest.aclose()
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"top_k": 8})
    assert code == 200, body
    assert body["kind"] == "sampler" and sum(_bars(body).values()) == 300
    assert body["shape"] == list(document["data"][0]["results"]["meas"]["shape"][:-2])
    code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params={"index": "0"})
    assert code == 400 and "'index' must be empty" in body["message"]


def _hostile(count: int = 30) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    junk = st.text(max_size=30)
    numberish = st.one_of(
        junk,
        st.lists(st.integers(-3, 12).map(str) | st.just(":"), max_size=4).map(",".join),
    )

    @settings(max_examples=count, database=None, deadline=None)
    @given(
        index=numberish,
        x=st.one_of(junk, st.integers(-2, 5).map(str)),
        at=numberish,
        axis=st.one_of(junk, st.integers(-1, 3).map(str)),
        labels=st.sampled_from(["raw", "ket", "", "KET", "\x00"]),
        pub=st.one_of(st.integers(-1, 3).map(str), junk),
        top_k=st.one_of(st.integers(-5, 5000).map(str), junk),
    )
    def collect(**query: str) -> None:
        found.append(query)

    collect()
    return found


async def test_hostile_figure_queries_never_500(qrt_local: Any, qrt_api: Api) -> None:
    job_id = await _cached_sweep(qrt_local)
    for query in _hostile():
        code, body = await qrt_api("GET", f"jobs/{job_id}/figure", params=query)
        assert code in (200, 400), (query, body)
        if code == 400:
            assert body["code"] == "bad_query" and body["hint"], body
