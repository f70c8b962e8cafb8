"""Seeded, realistic calibration data for the built-in devices: the properties document (§3.3).

Distributions follow the real IBM documents in ``shared/data/devices``: lognormal T1 around
100-200 us with a long tail, T2 bounded by 2*T1, readout errors of ~1-3% with asymmetric
``prob_meas*`` (relaxation makes 1→0 flips likelier) and a tail of bad qubits, two-qubit errors
of ~0.3-1% with a tail, and a few faulty qubits and couplers (``operational: 0``, error 1.0)
as real devices report them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

__all__ = ["CalibrationProfile", "calibration_anchor", "properties_document"]

#: Calibrations are reported this long before "now", so their age looks like a real device's.
CALIBRATION_AGE = timedelta(hours=3)


@dataclass(frozen=True)
class CalibrationProfile:
    """The statistical shape of one device family's calibration.

    Attributes:
        t1_median_us: Median T1 in microseconds.
        readout_median: Median of ``prob_meas1_prep0`` (``prob_meas0_prep1`` is ~2.5x larger).
        sq_error_median: Median single-qubit (``sx``/``x``) gate error.
        sq_length_ns: Single-qubit gate length in ns.
        tq_error_median: Median two-qubit gate error.
        tq_lengths_ns: The two-qubit gate lengths found on the device, in ns.
        readout_length_ns: Measurement length in ns.
        reset_length_ns: Reset length in ns.
        anharmonicity_ghz: Typical anharmonicity in GHz.
        faulty_qubits: How many qubits to mark ``operational: 0``.
        faulty_edges: How many couplers to mark ``operational: 0`` (with error 1.0).
    """

    t1_median_us: float
    readout_median: float
    sq_error_median: float
    sq_length_ns: float
    tq_error_median: float
    tq_lengths_ns: tuple[float, ...]
    readout_length_ns: float
    reset_length_ns: float
    anharmonicity_ghz: float
    faulty_qubits: int
    faulty_edges: int


def calibration_anchor(now: datetime | None = None) -> datetime:
    """The ``last_update_date`` of the built-in devices: a fixed age before the current hour.

    Rounding to the hour makes every process of the service report the same date.
    """
    now = now or datetime.now(timezone.utc)
    return now.replace(minute=0, second=0, microsecond=0) - CALIBRATION_AGE


def _nduv(date: datetime, name: str, unit: str, value: float) -> dict[str, Any]:
    return {"date": date.isoformat(), "name": name, "unit": unit, "value": float(value)}


def _lognormal(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(size))


def _with_tail(
    rng: np.random.Generator, values: np.ndarray, share: float, factor: float
) -> np.ndarray:
    """Multiply a random ``share`` of the values by 2..``factor`` (the bad-element tail)."""
    bad = rng.random(values.size) < share
    return np.where(bad, values * rng.uniform(2.0, factor, values.size), values)


def _qubit_entries(
    rng: np.random.Generator,
    n: int,
    profile: CalibrationProfile,
    anchor: datetime,
    faulty: set[int],
) -> list[list[dict[str, Any]]]:
    t1 = np.clip(_lognormal(rng, profile.t1_median_us, 0.45, n), 8.0, 500.0)
    t2 = np.minimum(t1 * np.clip(_lognormal(rng, 0.75, 0.5, n), 0.05, 2.0), 2.0 * t1)
    freq = rng.normal(4.85, 0.12, n)
    anharm = rng.normal(profile.anharmonicity_ghz, 0.004, n)
    p10 = np.clip(
        _with_tail(rng, _lognormal(rng, profile.readout_median, 0.5, n), 0.06, 8.0),
        0.0,
        0.4,
    )
    p01 = np.clip(
        _with_tail(rng, 2.5 * _lognormal(rng, profile.readout_median, 0.5, n), 0.06, 8.0),
        0.0,
        0.45,
    )
    qubits = []
    for q in range(n):
        t_coh = anchor - timedelta(hours=float(rng.uniform(1, 20)))
        t_ro = anchor - timedelta(hours=float(rng.uniform(1, 20)))
        entries = [
            _nduv(t_coh, "T1", "us", t1[q]),
            _nduv(t_coh, "T2", "us", t2[q]),
            _nduv(anchor, "frequency", "GHz", freq[q]),
            _nduv(anchor, "anharmonicity", "GHz", anharm[q]),
            _nduv(t_ro, "readout_error", "", (p01[q] + p10[q]) / 2),
            _nduv(t_ro, "prob_meas0_prep1", "", p01[q]),
            _nduv(t_ro, "prob_meas1_prep0", "", p10[q]),
            _nduv(t_ro, "readout_length", "ns", profile.readout_length_ns),
        ]
        if q in faulty:
            entries.append(_nduv(anchor, "operational", "", 0))
        qubits.append(entries)
    return qubits


def _gate_entry(
    gate: str,
    qubits: list[int],
    date: datetime,
    error: float | None,
    length: float,
    faulty: bool,
) -> dict[str, Any]:
    params = []
    if error is not None:
        params.append(_nduv(date, "gate_error", "", error))
    params.append(_nduv(date, "gate_length", "ns", length))
    if faulty:
        params.append(_nduv(date, "operational", "", 0))
    return {
        "qubits": qubits,
        "gate": gate,
        "parameters": params,
        "name": gate + "_".join(map(str, qubits)),
    }


def properties_document(
    *,
    name: str,
    version: str,
    num_qubits: int,
    two_qubit_gate: str,
    directed_edges: list[list[int]],
    profile: CalibrationProfile,
    seed: int,
    anchor: datetime | None = None,
) -> dict[str, Any]:
    """A complete, seeded properties document in the real schema.

    Args:
        name: The backend name.
        version: The backend version.
        num_qubits: Number of qubits.
        two_qubit_gate: ``cx``, ``ecr`` or ``cz``.
        directed_edges: The two-qubit gate's directed coupling map.
        profile: The device family's calibration statistics.
        seed: RNG seed; the same seed gives the same values.
        anchor: The calibration date (default :func:`calibration_anchor`).

    Returns:
        The document served by ``GET /backends/{name}/properties``.
    """
    anchor = anchor or calibration_anchor()
    rng = np.random.default_rng(seed)
    faulty_q = {int(q) for q in rng.choice(num_qubits, profile.faulty_qubits, replace=False)}
    undirected = sorted({(min(a, b), max(a, b)) for a, b in directed_edges})
    healthy = [e for e in undirected if e[0] not in faulty_q and e[1] not in faulty_q]
    picks = rng.choice(len(healthy), profile.faulty_edges, replace=False) if healthy else ()
    faulty_e = {healthy[int(i)] for i in picks}
    qubits = _qubit_entries(rng, num_qubits, profile, anchor, faulty_q)
    gates: list[dict[str, Any]] = []
    sq_err = np.clip(
        _with_tail(rng, _lognormal(rng, profile.sq_error_median, 0.5, num_qubits), 0.04, 10.0),
        5e-5,
        0.05,
    )
    for q in range(num_qubits):
        date = anchor - timedelta(hours=float(rng.uniform(1, 20)))
        for gate in ("id", "sx", "x"):
            gates.append(_gate_entry(gate, [q], date, sq_err[q], profile.sq_length_ns, False))
        gates.append(_gate_entry("rz", [q], date, 0.0, 0.0, False))
    edge_err = {
        e: float(v)
        for e, v in zip(
            undirected,
            np.clip(
                _with_tail(
                    rng,
                    _lognormal(rng, profile.tq_error_median, 0.35, len(undirected)),
                    0.05,
                    8.0,
                ),
                1e-3,
                0.3,
            ),
            strict=True,
        )
    }
    edge_len = {e: float(rng.choice(profile.tq_lengths_ns)) for e in undirected}
    for a, b in directed_edges:
        key = (min(a, b), max(a, b))
        bad = key in faulty_e
        date = anchor - timedelta(hours=float(rng.uniform(1, 20)))
        error = 1.0 if bad else edge_err[key]
        gates.append(_gate_entry(two_qubit_gate, [a, b], date, error, edge_len[key], bad))
    for q in range(num_qubits):
        gates.append(_gate_entry("reset", [q], anchor, None, profile.reset_length_ns, False))
    return {
        "backend_name": name,
        "backend_version": version,
        "last_update_date": anchor.isoformat(),
        "qubits": qubits,
        "gates": gates,
        "general": [],
        "general_qlists": [],
    }
