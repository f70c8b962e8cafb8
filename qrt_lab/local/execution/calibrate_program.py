"""The ``calibrate`` program (``Calibrator``, params schema v0.1): a calibration run on a device.

On IBM's platform the program re-runs the device's calibration experiments inside the user's
session and answers when it ran (``CalibratorResultModel``: ``start`` and ``stop``, UTC). The
jobs that follow in the session (noise learning, then a PEA/PEC estimator fed with the learned
noise) run on that calibration.

Here the simulated device's noise is what its properties document says, so the run measures it
instead of changing it: the readout experiment (every usable qubit prepared in 0, then in 1, and
measured, :data:`SHOTS` shots each) runs on Aer with the device's noise at the job's calibration
(``calibration_id``, or the current one), and the measured assignment errors are reported in
the job's logs and metadata next to the values the calibration documents. The result is the
window the run took. A mock twin (``dry_run``) only reports the window.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit

from qrt_lab.local.devices.catalog import DeviceCatalog
from qrt_lab.local.devices.model import DeviceModel, device_model
from qrt_lab.local.job_errors import BAD_INPUT, BUG_ADVICE, INTERNAL_ERROR, JobFailure
from qrt_lab.local.jobspec import COMPLETED, FAILED, JobOutcome, JobSpec

from .job_device import job_device
from .noise import noise_model_for
from .simulator import run_shots
from .timing import quantum_seconds

__all__ = ["SHOTS", "ReadoutCalibration", "execute_calibrate", "measure_readout"]

SCHEMA_VERSION = "v0.1"
#: Shots of each readout experiment (prepare all 0, prepare all 1).
SHOTS = 1024
#: Qubits simulated together (a density matrix of this many qubits is cheap).
CHUNK = 6
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadoutCalibration:
    """Measured ``P(1|0)`` and ``P(0|1)`` per qubit (``(n, 2)`` arrays), and documented ones."""

    qubits: list[int]
    measured: np.ndarray
    documented: np.ndarray
    shots: int

    def summary(self) -> dict[str, Any]:
        """Per-qubit values (plain JSON) and the medians of the assignment error."""
        error = self.measured.mean(axis=1)
        return {
            "qubits": self.qubits,
            "shots": self.shots,
            "prob_meas1_prep0": self.measured[:, 0].round(6).tolist(),
            "prob_meas0_prep1": self.measured[:, 1].round(6).tolist(),
            "readout_error_median": float(np.median(error)),
            "documented_readout_error_median": float(np.median(self.documented.mean(axis=1))),
        }


def _bits(outcomes: np.ndarray, width: int) -> np.ndarray:
    """``(shots, width)`` array of measured bits (bit i is clbit i)."""
    size = (width + 7) // 8
    packed = b"".join(int(v).to_bytes(size, "little") for v in outcomes)
    rows = np.frombuffer(packed, dtype=np.uint8).reshape(len(outcomes), size)
    return np.unpackbits(rows, axis=1, bitorder="little")[:, :width]


def _readout_of(model: DeviceModel, chunk: tuple[int, ...], seed: int | None) -> np.ndarray:
    """``(len(chunk), 2)``: measured ``P(1|0)``, ``P(0|1)`` of a few qubits, on their noise."""
    width = len(chunk)
    zero, one = QuantumCircuit(width, width), QuantumCircuit(width, width)
    one.x(range(width))
    for circuit in (zero, one):
        circuit.measure(range(width), range(width))
    gates = [("x", (q,)) for q in chunk if ("x", (q,)) in model.gates]
    noise = noise_model_for(model, chunk, gates=gates)
    first, second = run_shots(
        [zero, one], shots=SHOTS, seed=seed, noise=noise, method="density_matrix"
    )
    return np.stack([_bits(first, width).mean(axis=0), 1.0 - _bits(second, width).mean(axis=0)], 1)


def measure_readout(model: DeviceModel, seed: int | None) -> ReadoutCalibration:
    """Run the readout experiment on every usable qubit of ``model`` with its noise.

    The qubits are prepared and measured independently, so they are simulated a few at a time
    (:data:`CHUNK` qubits, exact density matrices; 156 qubits take well under a second).
    """
    qubits = [q for q in range(model.num_qubits) if q not in model.faulty_qubits]
    if not qubits or not model.qubits:
        raise JobFailure(f"{model.name} has no usable qubits to calibrate.", BAD_INPUT)
    chunks = [tuple(qubits[i : i + CHUNK]) for i in range(0, len(qubits), CHUNK)]
    measured = np.concatenate(
        [
            _readout_of(model, chunk, None if seed is None else seed + k)
            for k, chunk in enumerate(chunks)
        ]
    )
    documented = np.array(
        [[model.qubits[q].prob_meas1_prep0, model.qubits[q].prob_meas0_prep1] for q in qubits]
    )
    return ReadoutCalibration(qubits, measured, documented, SHOTS)


def _result_text(start: datetime, stop: datetime) -> str:
    from ibm_quantum_schemas.calibrator.version_0_1 import CalibratorResultModel

    text: str = CalibratorResultModel(start=start, stop=stop).model_dump_json()
    return text


def _experimental(spec: JobSpec) -> list[str]:
    params = json.loads(spec.params_json)
    options = params.get("options") or {} if isinstance(params, dict) else {}
    experimental = options.get("experimental") or {} if isinstance(options, dict) else {}
    return [f"options.experimental.{str(k)[:40]}" for k in list(experimental)[:10]]


def _logs(spec: JobSpec, model: DeviceModel, found: dict[str, Any] | None, seconds: float) -> str:
    calibration = spec.calibration_id or "the current calibration"
    if found is None:
        return (
            f"Dry run: {spec.backend} is a mock twin; nothing was measured. The calibration "
            f"window took {seconds:.3f} s.\n"
        )
    return (
        f"Calibrated {model.name} ({calibration}) in {seconds:.3f} s: readout of "
        f"{len(found['qubits'])} qubit(s), {found['shots']} shots per preparation; median "
        f"assignment error {found['readout_error_median']:.4f} measured, "
        f"{found['documented_readout_error_median']:.4f} documented.\n"
    )


def execute_calibrate(spec: JobSpec, catalog: DeviceCatalog) -> JobOutcome:
    """Run one ``calibrate`` job and report its outcome (never raises)."""
    start = datetime.now(UTC)
    started = time.perf_counter()
    try:
        device = job_device(spec, catalog)
        model = device_model(device)
        found = None if device.is_mock else measure_readout(model, spec.seed).summary()
        not_applied = _experimental(spec)
    except JobFailure as failure:
        return JobOutcome(
            FAILED, failure.reason, reason=failure.reason, reason_code=failure.reason_code
        )
    except Exception as exc:  # noqa: BLE001 - a worker must report, never die, on a bug
        _log.exception("calibrate job %s failed unexpectedly", spec.job_id)
        reason = f"Internal error while running the job: {type(exc).__name__}: {exc}. {BUG_ADVICE}"
        return JobOutcome(FAILED, reason, reason=reason, reason_code=INTERNAL_ERROR)
    stop = datetime.now(UTC)
    seconds = time.perf_counter() - started
    logs = _logs(spec, model, found, seconds)
    if not_applied:
        logs += "Options accepted but not applied by the local service: "
        logs += ", ".join(not_applied) + "\n"
    readout_length = max((q.readout_length for q in model.qubits), default=0.0)
    return JobOutcome(
        COMPLETED,
        _result_text(start, stop),
        quantum_seconds=quantum_seconds([(2 * SHOTS, readout_length)], model.default_rep_delay),
        logs=logs,
        metadata={
            "calibration_id": (device.properties or {}).get("calibration_id"),
            "readout": found,
            "not_applied": not_applied,
            "simulation_seconds": seconds,
        },
    )
