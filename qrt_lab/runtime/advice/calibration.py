"""What the advisor reads of a backend: its calibration as plain numbers, read once.

Everything comes from the backend's transpilation :class:`~qiskit.transpiler.Target` (built by
the client from the configuration and properties documents; one ``GET .../properties`` on first
use): each instruction's error and duration, each qubit's T1 and T2, and the repetition delay of
the configuration. Faulty qubits and gates are already missing from the target.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from qrt_lab.billing import IDEAL_GATE_SECONDS, IDEAL_MEASURE_SECONDS

__all__ = ["DeviceCalibration", "earlier_calibrations", "read_calibration"]

#: Repetition delay when the configuration names none (the platform's usual default).
DEFAULT_REP_DELAY_SECONDS = 250e-6

Qargs = tuple[int, ...]


@dataclass(frozen=True)
class DeviceCalibration:
    """One backend's calibration, in SI units.

    Attributes:
        name: The backend's name.
        num_qubits: Number of qubits.
        simulator: Whether the backend is a simulator (no errors; ideal lengths).
        errors: ``errors[(gate, qubits)]`` is the gate's error (``measure`` is the readout error).
        lengths: ``lengths[(gate, qubits)]`` is the gate's duration in seconds.
        t1: ``t1[q]`` in seconds (``inf`` when unknown).
        t2: ``t2[q]`` in seconds, at most ``2 * t1[q]`` (``inf`` when unknown).
        dt: The sample time in seconds (for delays given in ``dt``).
        rep_delay: The default delay between shots in seconds.
        edges: Undirected coupler ``(a, b)``, ``a < b`` -> the smallest two-qubit gate error on it.
        calibration_time: ISO-8601 time of the properties (None without properties).
    """

    name: str
    num_qubits: int
    simulator: bool
    errors: Mapping[tuple[str, Qargs], float]
    lengths: Mapping[tuple[str, Qargs], float]
    t1: tuple[float, ...]
    t2: tuple[float, ...]
    dt: float
    rep_delay: float
    edges: Mapping[tuple[int, int], float]
    calibration_time: str | None

    def length(self, name: str, qubits: Qargs) -> float:
        """Seconds ``name`` takes on ``qubits`` (ideal lengths on a simulator; 0 if unknown)."""
        if self.simulator:
            return IDEAL_MEASURE_SECONDS if name == "measure" else IDEAL_GATE_SECONDS
        return self.lengths.get((name, qubits), 0.0)

    def error(self, name: str, qubits: Qargs) -> float:
        """The error of ``name`` on ``qubits`` (0 if unknown or on a simulator)."""
        return self.errors.get((name, qubits), 0.0)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _coherence(target: Any, n: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    props = list(getattr(target, "qubit_properties", None) or [])
    t1, t2 = [math.inf] * n, [math.inf] * n
    for q, qp in enumerate(props[:n]):
        one = _number(getattr(qp, "t1", None))
        two = _number(getattr(qp, "t2", None))
        t1[q] = one if one and one > 0 else math.inf
        t2[q] = min(two if two and two > 0 else math.inf, 2 * t1[q])
    return tuple(t1), tuple(t2)


def _instructions(
    target: Any,
) -> tuple[dict[tuple[str, Qargs], float], dict[tuple[str, Qargs], float]]:
    errors: dict[tuple[str, Qargs], float] = {}
    lengths: dict[tuple[str, Qargs], float] = {}
    for name in target.operation_names:
        for qargs, props in (target[name] or {}).items():
            if qargs is None or props is None:
                continue
            key = (str(name), tuple(int(q) for q in qargs))
            if (error := _number(props.error)) is not None:
                errors[key] = min(max(error, 0.0), 1.0)
            if (length := _number(props.duration)) is not None:
                lengths[key] = max(length, 0.0)
    return errors, lengths


def _couplers(
    target: Any, errors: Mapping[tuple[str, Qargs], float]
) -> dict[tuple[int, int], float]:
    edges: dict[tuple[int, int], float] = {}
    for name in target.operation_names:
        for qargs in target.qargs_for_operation_name(name) or ():
            if qargs is None or len(qargs) != 2:
                continue
            a, b = sorted(int(q) for q in qargs)
            error = errors.get((str(name), tuple(int(q) for q in qargs)), 0.0)
            edges[(a, b)] = min(edges.get((a, b), 1.0), error)
    return edges


def read_calibration(backend: Any) -> DeviceCalibration:
    """The calibration of ``backend`` (a client ``IBMBackend`` or any Qiskit ``BackendV2``).

    The first call on a client backend fetches its properties (one request); later calls reuse
    the backend's cached target.
    """
    conf = backend.configuration() if callable(getattr(backend, "configuration", None)) else None
    simulator = bool((conf.to_dict() if conf is not None else {}).get("simulator", False))
    props = (
        backend.properties()
        if not simulator and callable(getattr(backend, "properties", None))
        else None
    )
    stamp = getattr(props, "last_update_date", None) if props is not None else None
    return _calibration(backend, backend.target, stamp)


def _calibration(backend: Any, target: Any, stamp: Any) -> DeviceCalibration:
    """The calibration ``target`` describes (``stamp``: its ``last_update_date`` or None)."""
    n = int(target.num_qubits or backend.num_qubits)
    conf = backend.configuration() if callable(getattr(backend, "configuration", None)) else None
    conf_data: Mapping[str, Any] = conf.to_dict() if conf is not None else {}
    simulator = bool(conf_data.get("simulator", False))
    errors, lengths = _instructions(target)
    t1, t2 = _coherence(target, n)
    rep_delay_us = _number(conf_data.get("default_rep_delay"))
    return DeviceCalibration(
        name=str(backend.name),
        num_qubits=n,
        simulator=simulator,
        errors={} if simulator else errors,
        lengths=lengths,
        t1=t1,
        t2=t2,
        dt=_number(getattr(target, "dt", None)) or 0.0,
        rep_delay=rep_delay_us * 1e-6 if rep_delay_us is not None else DEFAULT_REP_DELAY_SECONDS,
        edges=_couplers(target, {} if simulator else errors),
        calibration_time=stamp.isoformat() if stamp is not None else None,
    )


def _utc(stamp: datetime) -> datetime:
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def earlier_calibrations(
    backend: Any, current: DeviceCalibration, count: int
) -> list[DeviceCalibration]:
    """Up to ``count`` calibrations before ``current``, newest first.

    Each is asked with ``backend.properties(datetime=t)`` and ``backend.target_history(t)`` (the
    calibration in effect before ``t``; two requests), ``t`` stepping back to the last one
    found. The search stops at the first the backend cannot give: no such methods, a simulator,
    a service without calibration history (it answers with the current calibration again), or
    any error, which never stops the ranking.
    """
    props_at = getattr(backend, "properties", None)
    target_at = getattr(backend, "target_history", None)
    if current.simulator or current.calibration_time is None or not callable(target_at):
        return []
    try:
        before = _utc(datetime.fromisoformat(current.calibration_time))
    except ValueError:
        return []
    found: list[DeviceCalibration] = []
    for _ in range(max(count, 0)):
        try:
            props = props_at(datetime=before) if callable(props_at) else None
            stamp = getattr(props, "last_update_date", None)
            if not isinstance(stamp, datetime) or _utc(stamp) >= before:
                break
            found.append(_calibration(backend, target_at(before), stamp))
        except Exception:  # noqa: BLE001 - history only widens the uncertainty; never fails
            break
        before = _utc(stamp)
    return found
