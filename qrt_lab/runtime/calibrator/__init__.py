"""``Calibrator`` and its result (``qiskit_ibm_runtime.calibrator``)."""

from .calibrator import Calibrator, CalibratorResult

__all__ = ["Calibrator", "CalibratorResult"]
