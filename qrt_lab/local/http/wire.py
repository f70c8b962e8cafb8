"""How jobs and sessions stored in SQLite are shown on the wire (spec §3.7, §3.12, §3.14)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from qrt_lab.local.job_errors import BAD_INPUT, NON_ISA, RAN_TOO_LONG
from qrt_lab.local.store import FINAL_STATUSES
from qrt_lab.runtime.api.timestamps import read_timestamp

__all__ = ["job_json", "job_metrics", "parse_time", "session_json"]

USER_ID = "local-user"

_SOLUTIONS = {
    RAN_TOO_LONG: "Increase max_execution_time, or split the work into smaller jobs.",
    BAD_INPUT: "Check the job's inputs: PUB shapes, parameter values and options.",
    NON_ISA: "Transpile your circuits for the backend first, e.g. with "
    "generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit).",
}


def parse_time(text: str) -> datetime:
    """Parse an API timestamp (``...Z`` or with an offset)."""
    return read_timestamp(text)


def _state(row: sqlite3.Row) -> dict[str, Any]:
    code = row["reason_code"]
    return {
        "status": row["status"],
        "reason": row["reason"],
        "reason_code": code,
        "reason_solution": _SOLUTIONS.get(code) if code is not None else None,
    }


def job_json(row: sqlite3.Row) -> dict[str, Any]:
    """The ``JobResponse`` of one job, without ``params``."""
    status = row["status"]
    top_status = "Cancelled - Ran too long" if row["reason_code"] == RAN_TOO_LONG else status
    body: dict[str, Any] = {
        "id": row["id"],
        "backend": row["backend"],
        "state": _state(row),
        "status": top_status,
        "program": {"id": row["program_id"]},
        "created": row["created"],
        "runtime": row["runtime"],
        "cost": row["cost"],
        "tags": json.loads(row["tags"]),
        "session_id": row["session_id"],
        "user_id": USER_ID,
        "instance": row["instance"],
        "private": bool(row["private"]),
        "log_level": row["log_level"],
        "usage": {
            "qpu_charge_time_seconds": row["quantum_seconds"],
            "status": "complete" if status in FINAL_STATUSES else "pending",
        },
        "estimated_running_time_seconds": None,
    }
    if row["calibration_id"]:
        body["calibration_id"] = row["calibration_id"]
    return body


def job_json_text(row: sqlite3.Row, params_text: str | None) -> str:
    """The job as JSON text, splicing the stored params text in without re-parsing it."""
    text = json.dumps(job_json(row))
    if params_text is None:
        return text
    return text[:-1] + ', "params": ' + params_text + "}"


def job_metrics(row: sqlite3.Row) -> dict[str, Any]:
    """The body of ``GET /jobs/{id}/metrics``."""
    final = row["status"] in FINAL_STATUSES
    seconds = row["quantum_seconds"]
    metadata = json.loads(row["metadata"] or "{}")
    return {
        "timestamps": {
            "created": row["created"],
            "running": row["running"],
            "finished": row["finished"],
        },
        "bss": {"seconds": seconds},
        "usage": {
            "quantum_seconds": seconds,
            "seconds": seconds,
            "qpu_charge_time_seconds": seconds,
            "status": "complete" if final else "pending",
        },
        "executions": metadata.get("executions"),
        "num_circuits": metadata.get("num_circuits"),
        "num_qubits": metadata.get("num_qubits"),
        "circuit_depths": metadata.get("circuit_depths"),
        "caller": row["caller"],
        "qiskit_version": metadata.get("qiskit_version"),
    }


def session_json(row: sqlite3.Row, now: datetime) -> dict[str, Any]:
    """The ``JobSession`` body of one session."""
    active_ttl = None
    if row["activated_at"] and row["state"] != "closed":
        used = (now - parse_time(row["activated_at"])).total_seconds()
        active_ttl = max(0, int(row["max_ttl"] - used))
    return {
        "id": row["id"],
        "backend_name": row["backend_name"],
        "mode": row["mode"],
        "state": row["state"],
        "state_reason": row["state_reason"],
        "accepting_jobs": bool(row["accepting_jobs"]),
        "max_ttl": row["max_ttl"],
        "active_ttl": active_ttl,
        "interactive_ttl": row["interactive_ttl"] if row["mode"] == "dedicated" else None,
        "started_at": row["started_at"],
        "activated_at": row["activated_at"],
        "closed_at": row["closed_at"],
        "last_job_started": row["last_job_started"],
        "last_job_completed": row["last_job_completed"],
        "elapsed_time": round(row["elapsed_time"], 6),
        "user_id": USER_ID,
        "instance": row["instance"],
        "timestamps": json.loads(row["timestamps"]),
    }
