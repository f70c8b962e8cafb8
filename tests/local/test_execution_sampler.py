"""Sampler jobs through execute(): real Aer simulation, results in the runtime's encoding."""

from __future__ import annotations

import json

import numpy as np
import pytest
from execution_support import DEVICE_DIR, bell, hadamard, healthy_edge, sampler_spec
from qiskit.circuit import ClassicalRegister, Parameter, QuantumCircuit, QuantumRegister
from qiskit_ibm_runtime import RuntimeDecoder

from qrt_lab.local.devices.model import device_model
from qrt_lab.local.execution.execute import catalog, execute, init_worker
from qrt_lab.runtime import codec
from qrt_lab.runtime.codec.spans import DoubleSliceSpan


@pytest.fixture(scope="module", autouse=True)
def _worker() -> None:
    init_worker([str(DEVICE_DIR)] if DEVICE_DIR.is_dir() else [])


def _result(outcome):
    assert outcome.status == "Completed", outcome.reason
    return codec.loads(outcome.result_json)


@pytest.mark.parametrize(
    ("backend", "gate"),
    [
        ("local_heron156", "cz"),
        ("local_eagle127", "ecr"),
        ("local_5q", "cx"),
        ("local_ideal", "cx"),
    ],
)
def test_bell_counts_concentrate_on_00_and_11(backend: str, gate: str) -> None:
    device = catalog().get(backend)
    assert device is not None
    a, b = (0, 1) if device.is_simulator else healthy_edge(backend)
    circuit = bell(device.num_qubits, a, b, gate)
    result = _result(execute(sampler_spec([(circuit, None, 1024)], backend)))
    bits = result[0].data.c
    assert bits.num_shots == 1024 and bits.num_bits == 2
    assert bits.array.shape == (1024, 1) and bits.array.dtype == np.uint8
    counts = bits.get_counts()
    good = counts.get("00", 0) + counts.get("11", 0)
    assert good >= (1024 if device.is_simulator else 900)
    assert min(counts.get("00", 0), counts.get("11", 0)) > 400


def test_noise_is_present_on_devices_and_absent_on_ideal() -> None:
    a, b = healthy_edge("local_heron156")
    noisy = _result(execute(sampler_spec([(bell(156, a, b, "cz"), None, 4000)], "local_heron156")))
    ideal = _result(execute(sampler_spec([(bell(2, 0, 1, "cz"), None, 4000)], "local_ideal")))
    assert set(noisy[0].data.c.get_counts()) - {"00", "11"}
    assert set(ideal[0].data.c.get_counts()) == {"00", "11"}


def test_bell_on_156_qubits_simulates_two() -> None:
    a, b = healthy_edge("local_heron156")
    big = execute(sampler_spec([(bell(156, a, b, "cz"), None, 1024)], "local_heron156"))
    small = execute(sampler_spec([(bell(5, 0, 1, "cx"), None, 1024)], "local_5q"))
    assert big.metadata["simulated_qubits"] == [[a, b]]
    assert small.metadata["simulated_qubits"] == [[0, 1]]


def test_result_metadata_and_spans() -> None:
    circuit = bell(5, 0, 1, "cx")
    circuit.metadata = {"tag": "bell"}
    outcome = execute(sampler_spec([(circuit, None, 100), (circuit, None, 50)], "local_5q"))
    result = _result(outcome)
    assert result[0].metadata["circuit_metadata"] == {"tag": "bell"}
    assert result[0].metadata["simulation"]["method"] == "automatic"
    assert result.metadata["version"] == 2
    spans = result.metadata["execution"]["execution_spans"]
    assert [span.pub_idxs for span in spans] == [[0], [1]]
    assert isinstance(spans[0], DoubleSliceSpan) and spans[1].mask(1).shape == (50,)
    assert spans[0].start <= spans[0].stop
    wire = json.loads(outcome.result_json)
    span = wire["__value__"]["metadata"]["execution"]["execution_spans"]["__value__"]["spans"][0]
    assert span["__type__"] == "DoubleSliceSpan"
    assert span["__value__"]["data_slices"] == {"0": [[100], 0, 1, 0, 100]}


def test_results_decode_with_the_official_decoder() -> None:
    outcome = execute(sampler_spec([(bell(5, 0, 1, "cx"), None, 256)], "local_5q"))
    official = json.loads(outcome.result_json, cls=RuntimeDecoder)
    ours = codec.loads(outcome.result_json)
    assert official[0].data.c.get_counts() == ours[0].data.c.get_counts()
    assert len(official.metadata["execution"]["execution_spans"]) == 1


def test_registers_are_sliced_big_endian() -> None:
    qr = QuantumRegister(3, "q")
    low, high = ClassicalRegister(2, "low"), ClassicalRegister(9, "high")
    circuit = QuantumCircuit(qr, low, high)
    circuit.x(0)
    circuit.x(2)
    circuit.measure([0, 1], [low[0], low[1]])  # low = 0b01
    circuit.measure(2, high[8])  # high = 0b1_0000_0000
    circuit.measure(0, high[0])
    result = _result(execute(sampler_spec([(circuit, None, 10)], "local_ideal")))
    data = result[0].data
    assert data.low.get_counts() == {"01": 10}
    assert data.high.array.shape == (10, 2)
    assert data.high.get_int_counts() == {0b100000001: 10}
    assert data.high.array[0].tolist() == [1, 1]


def test_parameter_sweep_binds_each_row() -> None:
    theta = Parameter("theta")
    circuit = QuantumCircuit(5, 1)
    circuit.sx(0)
    circuit.rz(theta, 0)
    circuit.sx(0)
    circuit.measure(0, 0)
    values = np.array([[0.0], [np.pi / 2], [np.pi]])
    result = _result(execute(sampler_spec([(circuit, values, 2000)], "local_ideal")))
    bits = result[0].data.c
    assert bits.shape == (3,) and bits.array.shape == (3, 2000, 1)
    ones = [bits[i].get_int_counts().get(1, 0) / 2000 for i in range(3)]
    assert ones[0] == pytest.approx(1.0) and ones[2] == pytest.approx(0.0)
    assert ones[1] == pytest.approx(0.5, abs=0.05)


def test_unparameterised_pub_with_shape_and_default_shots() -> None:
    circuit = QuantumCircuit(1, 1)
    hadamard(circuit, 0)
    circuit.measure(0, 0)
    values = np.zeros((2, 3, 0))
    result = _result(
        execute(sampler_spec([(circuit, values)], "local_ideal", {"default_shots": 64}))
    )
    assert result[0].data.c.array.shape == (2, 3, 64, 1)


def test_seed_simulator_makes_runs_reproducible() -> None:
    circuit = bell(5, 0, 1, "cx")
    options = {"simulator": {"seed_simulator": 42}}
    first = execute(sampler_spec([(circuit, None, 300)], "local_5q", options, seed=None))
    second = execute(sampler_spec([(circuit, None, 300)], "local_5q", options, seed=None))
    assert _result(first)[0].data.c == _result(second)[0].data.c
    assert first.metadata["applied_options"]["seed"] == 42


@pytest.mark.parametrize(("meas_type", "shape"), [("kerneled", (200, 2)), ("avg_kerneled", (2,))])
def test_level1_measurements(meas_type: str, shape: tuple[int, ...]) -> None:
    circuit = QuantumCircuit(2, 2)
    circuit.x(1)
    circuit.measure([0, 1], [0, 1])
    options = {"execution": {"meas_type": meas_type}}
    outcome = execute(sampler_spec([(circuit, None, 200)], "local_ideal", options))
    iq = _result(outcome)[0].data.c
    assert iq.shape == shape and np.iscomplexobj(iq)
    means = iq.mean(axis=0) if meas_type == "kerneled" else iq
    assert means[0].real > 0.8 and means[1].real < -0.8
    official = json.loads(outcome.result_json, cls=RuntimeDecoder)
    assert np.array_equal(official[0].data.c, iq)


@pytest.mark.skipif(not DEVICE_DIR.is_dir(), reason="shared device documents absent")
def test_bell_on_real_fez_document() -> None:
    a, b = healthy_edge("ibm_fez")
    result = _result(execute(sampler_spec([(bell(156, a, b, "cz"), None, 1000)], "ibm_fez")))
    counts = result[0].data.c.get_counts()
    assert counts.get("00", 0) + counts.get("11", 0) > 800


def test_quantum_seconds_are_plausible() -> None:
    outcome = execute(sampler_spec([(bell(5, 0, 1, "cx"), None, 1000)], "local_5q"))
    # 2 s set-up + 1000 x (250 us rep delay + a few us of circuit)
    assert 2.25 < outcome.quantum_seconds < 2.3
    assert "physical qubits [0, 1]" in outcome.logs


def _ghz_tree(name: str, size: int) -> tuple[QuantumCircuit, list[int]]:
    """A GHZ state on a breadth-first tree of healthy qubits of a CZ device (ISA, Clifford)."""
    device = catalog().get(name)
    assert device is not None
    model = device_model(device)
    edges = {tuple(e) for e in device.coupling_map if not set(e) & model.faulty_qubits}
    edges -= {q for _, q in model.faulty_edges}
    order, links = [healthy_edge(name)[0]], []
    for node in order:
        for a, b in sorted(edges):
            if a == node and b not in order and len(order) < size:
                order.append(b)
                links.append((a, b))
    assert len(order) == size
    circuit = QuantumCircuit(device.num_qubits, size)
    hadamard(circuit, order[0])
    for a, b in links:
        hadamard(circuit, b)
        circuit.cz(a, b)
        hadamard(circuit, b)
    circuit.measure(order, range(size))
    return circuit, order


#: 10 qubits: an exact method (density matrix or statevector trajectories, whichever the
#: calibrated estimate finds cheaper for 500 shots); 40: the stabilizer's approximate noise.
@pytest.mark.parametrize(
    ("length", "methods"),
    [(10, {"density_matrix", "statevector"}), (40, {"stabilizer"})],
)
def test_ghz_states_choose_a_method_by_width(length: int, methods: set[str]) -> None:
    circuit, path = _ghz_tree("local_heron156", length)
    outcome = execute(sampler_spec([(circuit, None, 500)], "local_heron156"))
    counts = _result(outcome)[0].data.c.get_counts()
    ends = counts.get("0" * length, 0) + counts.get("1" * length, 0)
    assert ends > 150 and len(counts) > 2  # mostly GHZ, visibly noisy
    assert outcome.metadata["simulated_qubits"] == [sorted(path)]
    (method,) = outcome.metadata["simulation_methods"]
    assert method in methods
    assert outcome.metadata["approximate_noise"] == [method == "stabilizer"]
