"""The one reader of properties documents: SI units, one faulty rule, shared by every consumer."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest

from qrt_lab.runtime.api import documents
from qrt_lab.runtime.api.timestamps import parse_timestamp, read_timestamp


def nduv(name: str, value: Any, unit: str = "") -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "date": "2026-01-01T00:00:00Z"}


def gate(name: str, qubits: list[int], error: float, length: float) -> dict[str, Any]:
    params = [nduv("gate_error", error), nduv("gate_length", length, "ns")]
    return {"gate": name, "qubits": qubits, "parameters": params}


def props() -> dict[str, Any]:
    qubit = [
        nduv("T1", 100.0, "us"),
        nduv("frequency", 5.0, "GHz"),
        nduv("readout_length", 800, "ns"),
    ]
    return {
        "backend_name": "fake_three",
        "last_update_date": "2026-01-01T00:00:00Z",
        "qubits": [copy.deepcopy(qubit) for _ in range(3)],
        "gates": [gate("sx", [q], 1e-4, 32) for q in range(3)]
        + [gate("cz", list(e), 0.01, 68) for e in [(0, 1), (1, 2)]],
        "general": [],
    }


@pytest.mark.parametrize(
    ("item", "unit", "expected"),
    [
        (nduv("T1", 100.0, "us"), None, 100e-6),
        (nduv("T1", 100.0, "us"), "µs", 100.0),
        (nduv("T1", 0.1, "ms"), "µs", 100.0),
        (nduv("f", 5.0, "GHz"), None, 5e9),
        (nduv("f", 5.0, "GHz"), "GHz", 5.0),
        (nduv("len", 68, "ns"), None, 68e-9),
        (nduv("err", 0.5), None, 0.5),
        (nduv("err", "high"), None, None),
        (nduv("err", True), None, None),
        (nduv("err", None), None, None),
    ],
)
def test_quantity_reads_si_or_the_asked_unit(
    item: dict[str, Any], unit: Any, expected: Any
) -> None:
    got = documents.quantity(item, unit)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_a_value_already_in_the_asked_unit_is_returned_unchanged() -> None:
    assert documents.quantity(nduv("T1", 48.806207822303335, "us"), "µs") == 48.806207822303335


@pytest.mark.parametrize("value", [0, 0.0, False])
def test_operational_zero_or_false_is_faulty(value: Any) -> None:
    assert not documents.is_operational([nduv("operational", value)])


@pytest.mark.parametrize("value", [1, 1.0, True, None, "0"])
def test_anything_else_is_operational(value: Any) -> None:
    assert documents.is_operational([nduv("operational", value)])
    assert documents.is_operational([])


def test_faulty_edges_include_gates_on_faulty_qubits() -> None:
    doc = props()
    doc["qubits"][2].append(nduv("operational", 0))
    assert documents.faulty_qubits(doc) == {2}
    assert documents.faulty_edges(doc) == {(1, 2)}
    doc["gates"][3]["parameters"].append(nduv("operational", 0))
    assert documents.faulty_edges(doc) == {(0, 1), (1, 2)}


def test_gate_entries_skip_malformed_entries() -> None:
    doc = props()
    doc["gates"] += [{"gate": "cz", "qubits": ["a", 1]}, "junk", {"qubits": [0]}]
    entries = list(documents.gate_entries(doc))
    assert len(entries) == 6 and entries[-1].gate == "" and entries[-1].qubits == (0,)
    assert entries[3].values == {"gate_error": 0.01, "gate_length": pytest.approx(68e-9)}


def test_every_consumer_reads_the_same_faulty_set_and_units() -> None:
    pytest.importorskip("qiskit")
    from qrt_lab.runtime.properties import BackendProperties
    from qrt_lab.runtime.summaries.calibration import parse_calibration
    from qrt_lab.runtime.target import build_target

    doc = props()
    doc["qubits"][2].append(nduv("operational", 0))
    doc["gates"][3]["parameters"].append(nduv("operational", 0.0))
    conf = {
        "backend_name": "fake_three",
        "n_qubits": 3,
        "basis_gates": ["sx", "cz", "measure"],
        "coupling_map": [[0, 1], [1, 2]],
        "gates": [
            {"name": "sx", "coupling_map": [[0], [1], [2]]},
            {"name": "cz", "coupling_map": [[0, 1], [1, 2]]},
        ],
    }
    properties = BackendProperties(doc)
    calibration = parse_calibration(doc)
    target = build_target(conf, doc)
    assert properties.faulty_qubits() == calibration.faulty_qubits == [2]
    assert calibration.faulty_edges == [(0, 1)]
    assert properties.t1(0) == pytest.approx(100e-6) and calibration.qubit_metrics["T1"][0] == 100.0
    assert properties.frequency(0) == pytest.approx(5e9)
    assert target.qubit_properties[0].t1 == pytest.approx(100e-6)
    assert not target.instruction_supported("cz", (0, 1))
    assert target["sx"][(0,)].duration == pytest.approx(32e-9)
    assert (2,) not in target["sx"]


def test_timestamps_read_z_offsets_and_naive_as_utc() -> None:
    utc = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    assert read_timestamp("2026-05-01T12:00:00Z") == utc
    assert read_timestamp("2026-05-01T12:00:00") == utc
    assert read_timestamp("2026-05-01T14:00:00+02:00") == utc
    assert parse_timestamp("not a time") is None and parse_timestamp(None) is None
    with pytest.raises(ValueError):
        read_timestamp("yesterday")
