"""The wire codec round-trips Qiskit objects and agrees with qiskit-ibm-runtime both ways."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import numpy as np
import pytest
import qiskit_ibm_runtime as official
from qiskit.circuit import Parameter, QuantumCircuit
from qiskit.primitives.containers import (
    BitArray,
    DataBin,
    ObservablesArray,
    PrimitiveResult,
    PubResult,
    SamplerPubResult,
)
from qiskit.primitives.containers.estimator_pub import EstimatorPub
from qiskit.primitives.containers.sampler_pub import SamplerPub
from qiskit.quantum_info import SparsePauliOp

from qrt_lab.runtime import codec
from qrt_lab.runtime.codec.npy import NpyFormatError, decode_ndarray, encode_ndarray


def bell() -> QuantumCircuit:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def sampler_result(shots: int = 64, pubs: int = 2, spans_module=None) -> PrimitiveResult:
    rng = np.random.default_rng(7)
    start = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    stop = datetime(2026, 5, 1, 12, 0, 2, tzinfo=timezone.utc)
    results = []
    for _ in range(pubs):
        bits = BitArray(rng.integers(0, 4, size=(shots, 1), dtype=np.uint8), 2)
        results.append(SamplerPubResult(DataBin(meas=bits), {"circuit_metadata": {}}))
    span_types = spans_module or __import__("qrt_lab.runtime.codec.spans", fromlist=["x"])
    slices = {i: ((shots,), slice(0, 1), slice(0, shots)) for i in range(pubs)}
    spans = span_types.ExecutionSpans([span_types.DoubleSliceSpan(start, stop, slices)])
    return PrimitiveResult(results, {"execution": {"execution_spans": spans}, "version": 2})


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=np.float64).reshape(3, 4),
        np.zeros((0,), dtype=np.float64),
        np.array(0.5),
        np.arange(6, dtype=np.uint8).reshape(2, 3),
        np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
        np.array([1 + 2j, 3 - 1j]),
    ],
)
def test_ndarray_round_trip_and_official_compat(array: np.ndarray) -> None:
    text = encode_ndarray(array)
    np.testing.assert_array_equal(decode_ndarray(text), array)
    theirs = json.loads(
        json.dumps({"__type__": "ndarray", "__value__": text}), cls=official.RuntimeDecoder
    )
    np.testing.assert_array_equal(theirs, array)
    mine_from_theirs = codec.loads(json.dumps(array, cls=official.RuntimeEncoder))
    np.testing.assert_array_equal(mine_from_theirs, array)


def test_bad_array_payload_is_a_clear_error() -> None:
    with pytest.raises(NpyFormatError, match="base64"):
        decode_ndarray("not base64 at all!")


def test_sampler_result_decodes_from_official_encoding() -> None:
    result = sampler_result(spans_module=official.execution_span)
    text = json.dumps(result, cls=official.RuntimeEncoder)
    mine = codec.decode_result(text)
    assert isinstance(mine, PrimitiveResult)
    assert isinstance(mine[0], SamplerPubResult)
    assert mine[0].data.meas.get_counts() == result[0].data.meas.get_counts()
    span = mine.metadata["execution"]["execution_spans"][0]
    assert span.mask(1).shape == (64,) and span.size == 128


def test_our_encoding_decodes_with_official_decoder() -> None:
    result = sampler_result()
    theirs = json.loads(codec.dumps(result), cls=official.RuntimeDecoder)
    assert theirs[1].data.meas.get_counts() == result[1].data.meas.get_counts()
    assert theirs.metadata["execution"]["execution_spans"][0].duration == 2.0


def test_estimator_result_round_trip() -> None:
    data = DataBin(shape=(2,), evs=np.array([0.9, -0.1]), stds=np.array([0.01, 0.02]))
    result = PrimitiveResult([PubResult(data, {"shots": 4096})], {"version": 2})
    back = codec.loads(codec.dumps(result))
    np.testing.assert_allclose(back[0].data.evs, [0.9, -0.1])
    assert back[0].metadata == {"shots": 4096}


def test_counting_bit_array_matches_qiskit_counts() -> None:
    rng = np.random.default_rng(1)
    array = rng.integers(0, 256, size=(3, 500, 2), dtype=np.uint8)
    plain = BitArray(array, 11)
    fast = codec.loads(codec.dumps(plain))
    assert fast.get_counts() == plain.get_counts()
    assert fast.get_int_counts(loc=1) == plain.get_int_counts(loc=1)


def test_sampler_pub_wire_form_matches_official() -> None:
    theta = Parameter("θ")
    qc = QuantumCircuit(1, 1)
    qc.rx(theta, 0)
    qc.measure(0, 0)
    pub = SamplerPub.coerce((qc, [[0.1], [0.2], [0.3]], 100))
    mine = json.loads(codec.dumps(codec.encode_sampler_pub(pub)))
    theirs = json.loads(json.dumps(pub, cls=official.RuntimeEncoder))
    assert mine[2] == theirs[2] == 100
    assert mine[1] == theirs[1]
    decoded = codec.decode_sampler_pubs(
        {"pubs": [codec.loads(codec.dumps(codec.encode_sampler_pub(pub)))]}
    )
    assert decoded[0].shape == (3,) and decoded[0].shots == 100
    assert decoded[0].circuit.num_parameters == 1


def test_estimator_pub_decodes_from_official_client_encoding() -> None:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    obs = SparsePauliOp.from_list([("ZZ", 1.0), ("XX", 0.5)])
    pub = EstimatorPub.coerce((qc, [obs, SparsePauliOp("IZ")]), precision=0.01)
    params = json.loads(
        json.dumps({"pubs": [pub]}, cls=official.RuntimeEncoder), cls=official.RuntimeDecoder
    )
    (decoded,) = codec.decode_estimator_pubs(params)
    assert decoded.shape == (2,)
    assert decoded.precision == 0.01
    assert (
        decoded.observables.tolist() == ObservablesArray.coerce([obs, SparsePauliOp("IZ")]).tolist()
    )


def test_unparameterised_pub_from_wire() -> None:
    params = codec.loads(codec.dumps({"pubs": [[bell(), np.zeros((0,)), None]]}))
    (pub,) = codec.decode_sampler_pubs(params)
    assert pub.shape == () and pub.shots is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "non-empty list"),
        ({"pubs": [["not a circuit"]]}, "pub 0: the first element"),
        ({"pubs": [[bell(), np.zeros((2, 3)), 10]]}, "pub 0: parameter values have shape"),
        ({"pubs": [[bell(), None, "many"]]}, "shots must be an integer"),
    ],
)
def test_bad_pubs_give_clear_errors(params: dict, message: str) -> None:
    with pytest.raises(codec.PubDecodeError, match=message):
        codec.decode_sampler_pubs(codec.loads(codec.dumps(params)))


def test_datetime_complex_and_plain_values() -> None:
    value = {"t": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "c": 1 + 2j, "s": {1}}
    assert codec.loads(codec.dumps(value)) == value
    assert codec.decode_result("Traceback: boom") == "Traceback: boom"
    assert codec.decode_result("") is None


def test_row_counting_ignores_unused_high_bits_and_empty_registers() -> None:
    from qrt_lab.runtime.bitrows import bitstrings, shot_rows, unique_rows

    rows = shot_rows(np.array([[0b1111_0101], [0b0000_0101]], dtype=np.uint8), 3)
    unique, counts = unique_rows(rows)
    assert bitstrings(unique, 3) == ["101"] and counts.tolist() == [2]
    empty = shot_rows(np.zeros((4, 0), dtype=np.uint8), 0)
    unique, counts = unique_rows(empty)
    assert bitstrings(unique, 0) == [""] and counts.tolist() == [4]
