"""Readout-error mitigation of Pauli expectation values, from the device calibration.

A qubit read out with flip probabilities ``p10`` (0 read as 1) and ``p01`` (1 read as 0) turns
a true sign ``z = ±1`` into a measured sign ``s`` with ``E[s] = a*z + d``, where
``a = 1 - p01 - p10`` and ``d = p01 - p10``. So ``(s - d) / a`` is an unbiased per-shot
estimate of ``z``, and for independent readout errors the product of these estimates over a
Pauli term's support is an unbiased estimate of the term. This is the tensored inversion of the
calibrated assignment matrices; it reaches what the runtime's TREX (measurement twirling, then
division by ``prod(a)``) converges to, without having to run twirled calibration circuits.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qrt_lab.local.devices.model import DeviceModel

__all__ = ["readout_parameters", "term_estimates"]

#: Below this factor a qubit's readout is too poor to invert meaningfully.
_MIN_FACTOR = 0.05


def readout_parameters(
    model: DeviceModel, physical: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """``(a, d)`` per qubit: the scale ``1 - p01 - p10`` and offset ``p01 - p10`` (ideal: 1, 0)."""
    if not model.qubits:
        return np.ones(len(physical)), np.zeros(len(physical))
    cals = [model.qubits[q] for q in physical]
    scale = np.array([max(c.readout_fidelity_factor, _MIN_FACTOR) for c in cals])
    offset = np.array([c.prob_meas0_prep1 - c.prob_meas1_prep0 for c in cals])
    return scale, offset


def term_estimates(
    signs: np.ndarray, scale: np.ndarray | None = None, offset: np.ndarray | None = None
) -> np.ndarray:
    """Per-shot estimates of a Pauli term from measured signs ``(shots, k)`` of its qubits.

    Without ``scale``/``offset`` this is the raw parity; with them, the mitigated estimate.
    """
    if scale is None or offset is None:
        return np.asarray(np.prod(signs, axis=-1))
    return np.asarray(np.prod((signs - offset) / scale, axis=-1))
