"""The predicted success of a transpiled circuit on one calibration.

*Predicted success* is the probability that one shot runs without any error, assuming errors are
independent: the product of

- ``1 - gate_error`` of every gate (the calibrated error, which already includes the
  relaxation during the gate; virtual ``rz`` and ``barrier`` count nothing),
- ``1 - readout_error`` of every measured qubit (the average of the two readout flips), and
- the average fidelity of thermal relaxation over every *idle window*: on an ASAP schedule with
  the calibrated lengths, the time a qubit waits (or runs a ``delay``) between its first
  operation and its measurement, ``F = 1 - (1 - (1 + 2 exp(-t/T2) + exp(-t/T1)) / 4) * 2 / 3``.

It counts what the local service's noise model simulates (gate errors matched to the calibrated
error, readout flips, T1/T2 relaxation in idle windows). It does not count crosstalk, leakage or
the coherent idle phase, and an error that does not change the outcome (e.g. a Z error before a
Z-basis measurement) still counts as a failure, so the measured fraction of ideal outcomes is
usually somewhat higher than the prediction: it is a ranking score and a lower estimate.

The stated uncertainty starts at :data:`RELATIVE_UNCERTAINTY` of the predicted error
``1 - success`` (the independent-error model is off by about that much on the circuits of the
advisor's benchmark, and calibrations drift by about that much from one to the next). Where the
backend gives earlier calibrations (``backend.properties(datetime=...)``), the ranking predicts
the same circuits on up to :data:`EARLIER_CALIBRATIONS` of them too, and the stated uncertainty
becomes ``hypot(model, drift)``: ``drift`` is the largest change of the prediction from the
current calibration to an earlier one (:func:`with_drift`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from qiskit.circuit import QuantumCircuit

from qrt_lab.billing import delay_seconds

from .calibration import DeviceCalibration

__all__ = [
    "EARLIER_CALIBRATIONS",
    "RELATIVE_UNCERTAINTY",
    "Prediction",
    "idle_infidelity",
    "mean_success",
    "predict_success",
    "with_drift",
]

#: The stated uncertainty, as a fraction of the predicted error.
RELATIVE_UNCERTAINTY = 0.25
#: Earlier calibrations predicted on to measure the drift (when the backend gives them).
EARLIER_CALIBRATIONS = 2
_FREE = frozenset({"barrier", "rz", "delay", "id"})


@dataclass(frozen=True)
class Prediction:
    """The success predicted for one circuit, and where its error comes from."""

    success: float
    uncertainty: float
    log_gates: float
    log_readout: float
    log_idle: float

    @property
    def budget(self) -> dict[str, float]:
        """Fractions of the total (log) error from gates, readout and idling."""
        total = self.log_gates + self.log_readout + self.log_idle
        if total <= 0:
            return {"gates": 0.0, "readout": 0.0, "idle": 0.0}
        return {
            "gates": self.log_gates / total,
            "readout": self.log_readout / total,
            "idle": self.log_idle / total,
        }


def idle_infidelity(seconds: float, t1: float, t2: float) -> float:
    """``1 - F``, the average infidelity of thermal relaxation over ``seconds``."""
    if seconds <= 0:
        return 0.0
    process = (1 + 2 * math.exp(-seconds / t2) + math.exp(-seconds / t1)) / 4
    return (1 - process) * 2 / 3


def _log1m(error: float) -> float:
    return -math.log1p(-min(error, 1 - 1e-12))


@dataclass
class _Clock:
    """ASAP schedule state: when each qubit is free, and its idle time so far."""

    free: list[float]
    started: list[bool]
    idle: list[float]

    def run(self, qubits: Sequence[int], length: float, idle_op: bool) -> None:
        start = max(self.free[q] for q in qubits)
        for q in qubits:
            if self.started[q]:
                self.idle[q] += start - self.free[q] + (length if idle_op else 0.0)
            self.free[q] = start + length
            self.started[q] = self.started[q] or not idle_op


def predict_success(circuit: QuantumCircuit, calibration: DeviceCalibration) -> Prediction:
    """Predict the success of ``circuit``, an ISA circuit of the backend (physical qubits).

    Args:
        circuit: The transpiled circuit (qubit ``i`` is physical qubit ``i``).
        calibration: The backend's calibration.
    """
    n = circuit.num_qubits
    clock = _Clock([0.0] * n, [False] * n, [0.0] * n)
    measured: dict[int, float] = {}
    log_gates = log_readout = 0.0
    for inst in circuit.data:
        qubits = tuple(circuit.find_bit(q).index for q in inst.qubits)
        if not qubits:
            continue
        name = inst.operation.name
        if name == "delay":
            clock.run(qubits, delay_seconds(inst.operation, calibration.dt), True)
            continue
        clock.run(qubits, calibration.length(name, qubits), name == "barrier")
        if name == "measure":
            for q in qubits:
                measured.setdefault(q, clock.idle[q])
            log_readout += _log1m(calibration.error(name, qubits))
        elif name not in _FREE:
            log_gates += _log1m(calibration.error(name, qubits))
    log_idle = 0.0
    for q in range(n):
        idle = measured.get(q, clock.idle[q])
        log_idle += _log1m(idle_infidelity(idle, calibration.t1[q], calibration.t2[q]))
    success = math.exp(-(log_gates + log_readout + log_idle))
    return Prediction(
        success, RELATIVE_UNCERTAINTY * (1 - success), log_gates, log_readout, log_idle
    )


def mean_success(circuits: Sequence[QuantumCircuit], calibration: DeviceCalibration) -> float:
    """The mean predicted success of ``circuits`` on ``calibration``."""
    return sum(predict_success(c, calibration).success for c in circuits) / len(circuits)


def with_drift(
    circuits: Sequence[QuantumCircuit],
    success: float,
    uncertainty: float,
    earlier: Sequence[DeviceCalibration],
) -> tuple[float, float | None]:
    """``(stated uncertainty, drift)``: ``uncertainty`` widened by the drift over ``earlier``.

    ``drift`` is the largest ``|mean_success(circuits, e) - success|`` over the earlier
    calibrations (None and ``uncertainty`` unchanged without any).
    """
    if not earlier:
        return uncertainty, None
    drift = max(abs(mean_success(circuits, cal) - success) for cal in earlier)
    return math.hypot(uncertainty, drift), drift
