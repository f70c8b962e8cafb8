"""The device a job runs on: its backend, at the calibration the job named (``calibration_id``)."""

from __future__ import annotations

from qrt_lab.local.devices.catalog import Device, DeviceCatalog
from qrt_lab.local.job_errors import BAD_INPUT, UNKNOWN_BACKEND, JobFailure
from qrt_lab.local.jobspec import JobSpec

__all__ = ["job_device"]


def job_device(spec: JobSpec, catalog: DeviceCatalog) -> Device:
    """``spec.backend`` from ``catalog``, with the properties of ``spec.calibration_id``.

    Raises:
        JobFailure: the backend or the calibration is unknown (both are checked when the job is
            submitted, so only a device folder changed under a running service gets here).
    """
    device = catalog.get(spec.backend)
    if device is None:
        names = ", ".join(catalog.names())
        raise JobFailure(
            f"Unknown backend {spec.backend!r}; choose one of: {names}.", UNKNOWN_BACKEND
        )
    calibrated = device.at(spec.calibration_id)
    if calibrated is None:
        raise JobFailure(
            f"Calibration {spec.calibration_id!r} of backend {spec.backend!r} is not known to "
            "the worker; submit again with a calibration_id from the backend's properties, or "
            "without one to run on the current calibration.",
            BAD_INPUT,
        )
    return calibrated
