"""The contract between the HTTP side of the local service and its worker processes.

The scheduler builds a :class:`JobSpec` for every job it hands to a worker; the worker's
``qrt_lab.local.execution.execute.execute`` returns a :class:`JobOutcome`. Both cross a
process boundary, so they hold only plain, picklable values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["COMPLETED", "FAILED", "MAX_SEED", "JobOutcome", "JobSpec"]

COMPLETED = "Completed"
FAILED = "Failed"
MAX_SEED = 2**63 - 1  # the largest seed SQLite stores and Aer accepts


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs to run one job.

    Attributes:
        job_id: The job id the service gave the job.
        program_id: ``"sampler"``, ``"estimator"``, ``"executor"``, ``"noise-learner"`` or
            ``"calibrate"``.
        backend: The device name.
        params_json: The job's ``params`` exactly as received (JSON text, RuntimeEncoder format).
        max_execution_time: The job ``cost`` in seconds, or None for no limit. The scheduler
            enforces it; workers only report ``quantum_seconds``.
        seed: A simulator seed, or None for a random one.
        calibration_id: Run on the device's calibration with this id (the job's
            ``calibration_id``, checked when it was submitted), or None for the current one.
    """

    job_id: str
    program_id: str
    backend: str
    params_json: str
    max_execution_time: float | None
    seed: int | None = None
    calibration_id: str | None = None


@dataclass(frozen=True)
class JobOutcome:
    """What a worker reports back for one job.

    Attributes:
        status: ``"Completed"`` or ``"Failed"``.
        result_json: Completed: RuntimeEncoder JSON of the PrimitiveResult. Failed: plain error
            text served by ``GET /jobs/{id}/results``.
        reason: A one-line reason shown in the job state (Failed jobs).
        reason_code: An IBM reason code, e.g. 1517 (non-ISA circuit) or 1513 (bad input).
        quantum_seconds: Simulated QPU time charged to the instance.
        logs: Text served by ``GET /jobs/{id}/logs``.
        metadata: Extra facts about the run, e.g. the options that were applied.
    """

    status: str
    result_json: str
    reason: str | None = None
    reason_code: int | None = None
    quantum_seconds: float = 0.0
    logs: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
