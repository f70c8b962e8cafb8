"""Readout-error mitigation of Pauli expectation values, from the device calibration.

A Z-basis readout that flips 0→1 with probability ``p10`` and 1→0 with ``p01`` shrinks
⟨Z⟩ by ``1 - p01 - p10`` (plus an offset ``p01 - p10`` that the runtime's TREX removes by
measurement twirling). For a Pauli term on several qubits with independent readout errors the
factors multiply. Dividing by the product undoes the shrinking; this is what TREX converges to
for uncorrelated readout noise, computed here from the calibrated probabilities instead of
learned from twirled calibration circuits.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .device_model import DeviceModel

__all__ = ["mitigate", "readout_factor"]

#: Below this factor a qubit's readout is too poor to invert meaningfully.
_MIN_FACTOR = 0.05


def readout_factor(model: DeviceModel, physical_qubits: Iterable[int]) -> float:
    """``prod(1 - p01 - p10)`` over the qubits (1.0 on an ideal device)."""
    if not model.qubits:
        return 1.0
    factor = 1.0
    for q in physical_qubits:
        factor *= max(model.qubits[q].readout_fidelity_factor, _MIN_FACTOR)
    return factor


def mitigate(values: np.ndarray, stds: np.ndarray, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """Mitigated expectation values and standard errors for one Pauli term."""
    return values / factor, stds / abs(factor)
