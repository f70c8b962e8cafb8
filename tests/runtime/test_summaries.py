"""Pure summaries (no tornado, no qiskit): backends, calibration, jobs, sessions, results."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qrt_lab.runtime.summaries.backends import BackendSummary, backend_detail, processor_name
from qrt_lab.runtime.summaries.calibration import calibration_csv, parse_calibration
from qrt_lab.runtime.summaries.jobs import JobSummary, job_detail, session_detail, session_rows
from qrt_lab.runtime.summaries.reasons import explain_reason
from qrt_lab.runtime.summaries.results import observable_label, summarize_result

DEVICES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "devices"


def documents(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = DEVICES / name
    if not folder.exists():
        pytest.skip(f"device documents not available at {folder}")
    conf = json.loads((folder / f"conf_{name}.json").read_text())
    props = json.loads((folder / f"props_{name}.json").read_text())
    return conf, props


def test_backend_summary_from_a_backends_item() -> None:
    item = {
        "name": "ibm_fez",
        "status": {"name": "online", "reason": "available"},
        "is_simulator": False,
        "qubits": 156,
        "clops": {"type": "hardware", "value": 195000},
        "processor_type": {"family": "Heron", "revision": "2", "segment": None},
        "queue_length": 12,
        "performance_metrics": {
            "two_q_error_best": {"value": 0.001, "gate": "cz", "qubits": [3, 4]},
            "two_q_error_median": {"value": 0.003},
            "two_q_error_layered": {"value": 0.004},
            "readout_error_median": {"value": 0.012},
        },
    }
    row = BackendSummary.from_api(item).to_json()
    assert row["name"] == "ibm_fez" and row["qubits"] == 156 and row["status"] == "online"
    assert row["queue_length"] == 12 and row["processor_type"] == "Heron r2"
    assert row["two_q_error_median"] == 0.003 and row["readout_error_median"] == 0.012
    assert row["clops"] == 195000 and row["sx_error_median"] is None
    bare = BackendSummary.from_api("ibm_old")
    assert bare.name == "ibm_old" and bare.qubits is None and bare.status == "unknown"
    assert processor_name({"family": "Eagle", "revision": 3}) == "Eagle r3"


def test_fez_detail_has_every_metric_per_qubit_and_per_edge() -> None:
    conf, props = documents("fez")
    now = datetime(2025, 2, 27, 20, 16, 25, tzinfo=timezone.utc)
    detail = backend_detail(conf, props, now=now)
    json.dumps(detail, allow_nan=False)
    cal = detail["calibration"]
    for key in ("T1", "T2", "readout_error", "prob_meas0_prep1", "prob_meas1_prep0", "sx_error"):
        assert len(cal["qubit_metrics"][key]["values"]) == 156, key
    assert cal["qubit_metrics"]["prob_meas0_prep1"]["label"] == "P(0|1)"
    assert cal["qubit_metrics"]["T1"]["values"][0] == pytest.approx(48.806207822303335)
    assert len(cal["edges"]) == 176
    assert set(cal["edge_metrics"]) >= {"cz_error", "cz_length"}
    cz = dict(zip(map(tuple, cal["edges"]), cal["edge_metrics"]["cz_error"]["values"], strict=True))
    assert cz[(72, 73)] == pytest.approx(0.027903006224195892)
    assert cal["age_seconds"] == pytest.approx(timedelta(days=1).total_seconds())
    assert cal["medians"]["cz_error"] is not None and cal["medians"]["cz_error"] < 0.05
    assert cal["faulty_qubits"] == [] and cal["faulty_edges"] == []
    assert len(detail["coupling_map"]["edges"]) == 176 and "x" not in detail["coupling_map"]
    assert detail["configuration"]["processor_type"] == "Heron r2"
    assert detail["configuration"]["two_qubit_gates"] == ["cz"]


def test_brisbane_directed_ecr_edges_are_merged_and_stale_errors_skipped_in_medians() -> None:
    conf, props = documents("brisbane")
    detail = backend_detail(conf, props)
    cal = detail["calibration"]
    assert len(cal["edges"]) == 144
    values = cal["edge_metrics"]["ecr_error"]["values"]
    assert all(v is not None for v in values)
    assert cal["medians"]["ecr_error"] < 1
    assert detail["configuration"]["two_qubit_gates"] == ["ecr"]


def test_faulty_qubits_and_edges_come_from_operational_flags() -> None:
    _, props = documents("manila")
    props = json.loads(json.dumps(props))
    props["qubits"][2].append({"name": "operational", "value": 0, "unit": "", "date": "x"})
    gate = next(g for g in props["gates"] if len(g["qubits"]) == 2)
    gate["parameters"].append({"name": "operational", "value": 0, "unit": "", "date": "x"})
    cal = parse_calibration(props, 5)
    assert cal.faulty_qubits == [2]
    assert cal.faulty_edges == [tuple(sorted(gate["qubits"]))]


def test_calibration_csv_has_one_row_per_qubit() -> None:
    _, props = documents("torino")
    text = calibration_csv(parse_calibration(props, 133))
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 134
    header = rows[0]
    assert header[0] == "Qubit" and "T1 (µs)" in header and "CZ error" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Qubit"] == "0" and first["Operational"] == "true"
    assert "0_1:" in first["CZ error"]


def test_reason_codes_are_explained() -> None:
    isa = explain_reason(1517, "Circuits do not match the target definition")
    assert isa is not None and "transpile" in isa.hint.lower()
    assert explain_reason(1305).title == "Ran too long"  # type: ignore[union-attr]
    ranged = explain_reason("1599", "boom")
    assert ranged is not None and ranged.code == 1599 and ranged.explanation == "boom"
    assert explain_reason(None, "non-ISA circuits ... #1517").code == 1517  # type: ignore[union-attr]
    assert explain_reason(None, None) is None


def test_job_summary_and_detail() -> None:
    job = {
        "id": "j1",
        "backend": "fake_fez",
        "state": {"status": "Failed", "reason": "non-ISA", "reason_code": 1517},
        "status": "Failed",
        "program": {"id": "sampler"},
        "created": "2026-05-01T12:00:00Z",
        "session_id": "s1",
        "tags": ["a"],
        "usage": {"qpu_charge_time_seconds": 2.5},
        "cost": 600,
    }
    row = JobSummary.from_api(job).to_json()
    assert row["status"] == "Failed" and row["final"] and row["program"] == "sampler"
    assert row["explanation"]["code"] == 1517 and row["usage_seconds"] == 2.5
    odd = JobSummary.from_api({"id": "j2", "status": "CANCELLED - RAN TOO LONG"})
    assert odd.status == "Cancelled" and odd.reason_code == 1305 and odd.explanation
    plain = JobSummary.from_api({"id": "j3", "state": {"status": "Cancelled"}})
    assert plain.explanation is None
    detail = job_detail(job, {"timestamps": {"created": "x", "running": "y"}}, "log text")
    assert detail["timestamps"]["running"] == "y" and detail["logs"] == "log text"


def test_sessions_from_jobs_and_detail() -> None:
    jobs = [
        {
            "id": "a",
            "session_id": "s1",
            "backend": "b",
            "created": "2026-01-01T00:00:01Z",
            "state": {"status": "Running"},
        },
        {
            "id": "b",
            "session_id": "s1",
            "backend": "b",
            "created": "2026-01-01T00:00:02Z",
            "state": {"status": "Completed"},
        },
        {
            "id": "c",
            "session_id": "s2",
            "backend": "b",
            "created": "2026-01-01T00:00:00Z",
            "state": {"status": "Completed"},
        },
        {"id": "d", "backend": "b", "created": "2026-01-01T00:00:03Z"},
    ]
    rows = session_rows(jobs)
    assert [r["id"] for r in rows] == ["s1", "s2"]
    assert rows[0]["job_count"] == 2 and rows[0]["open_jobs"] == 1
    # every documented key is present, null until GET /sessions/{id} fills it
    assert {"mode", "state", "accepting_jobs"} <= set(rows[1]) and rows[1]["state"] is None
    now = datetime(2026, 1, 1, 1, 0, 0, tzinfo=timezone.utc)
    detail = session_detail(
        {
            "id": "s1",
            "state": "open",
            "accepting_jobs": True,
            "max_ttl": 7200,
            "started_at": "2026-01-01T00:00:00Z",
            "mode": "batch",
        },
        jobs[:2],
        now=now,
    )
    assert detail["time_remaining_seconds"] == 3600 and detail["accepting_jobs"]
    assert [j["id"] for j in detail["jobs"]] == ["a", "b"]


def test_sampler_result_summary_matches_qiskit_counts() -> None:
    from qiskit.primitives import PrimitiveResult, SamplerPubResult
    from qiskit.primitives.containers import BitArray, DataBin

    from qrt_lab.runtime import codec

    rng = np.random.default_rng(7)
    samples = rng.integers(0, 2**10, size=5000)
    bits = BitArray.from_samples([format(int(s), "010b") for s in samples], num_bits=10)
    flags = BitArray.from_samples(["1", "0", "1", "1"] * 1250, num_bits=1)
    result = PrimitiveResult(
        [SamplerPubResult(DataBin(meas=bits, flag=flags), metadata={"shots": 5000})],
        metadata={"version": 2},
    )
    decoded = codec.decode_result(codec.dumps(result))
    summary = summarize_result(decoded, top_k=5)
    json.dumps(summary)
    pub = summary["pubs"][0]
    assert pub["kind"] == "sampler" and pub["metadata"]["shots"] == 5000
    meas = pub["registers"]["meas"]
    expected = bits.get_counts()
    assert meas["distinct"] == len(expected) and meas["shots"] == 5000
    top = sorted(expected.items(), key=lambda kv: -kv[1])[:5]
    assert sorted(meas["top_counts"].values(), reverse=True) == [v for _, v in top]
    assert all(expected[k] == v for k, v in meas["top_counts"].items())
    assert meas["other"] == 5000 - sum(meas["top_counts"].values())
    assert pub["registers"]["flag"]["top_counts"] == {"1": 3750, "0": 1250}


def test_estimator_result_summary_has_shapes_and_observable_labels() -> None:
    from qiskit.primitives import PrimitiveResult, PubResult
    from qiskit.primitives.containers import DataBin

    evs = np.array([0.5, -0.25])
    result = PrimitiveResult(
        [PubResult(DataBin(evs=evs, stds=np.abs(evs) / 10, shape=(2,)), metadata={"shots": 4096})]
    )
    params = {"pubs": [["<circuit>", [{"ZZ": 1.0}, {"XX": 0.5, "YY": 0.5}], None, None]]}
    summary = summarize_result(result, params)
    pub = summary["pubs"][0]
    assert pub["kind"] == "estimator" and pub["shape"] == [2]
    assert pub["arrays"]["evs"] == {"shape": [2], "values": [0.5, -0.25]}
    assert pub["arrays"]["stds"]["values"] == pytest.approx([0.05, 0.025])
    assert pub["observables"] == ["ZZ", "0.5·XX + 0.5·YY"]
    assert observable_label("XI") == "XI"


def test_non_primitive_result_is_returned_as_text() -> None:
    assert summarize_result("Traceback: boom")["raw"] == "Traceback: boom"
