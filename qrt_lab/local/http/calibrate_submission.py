"""Boundary checks of a ``calibrate`` job's params (``Calibrator``, schema v0.1), without qiskit.

The document is ``ibm_quantum_schemas.calibrator.version_0_1.ParamsModel``:
``{"schema_version": "v0.1", "options": {"experimental": {...}}}``. Anything else is a 400 that
names the field; an ideal simulator has nothing to calibrate and is refused too.
"""

from __future__ import annotations

import json
from typing import Any

from qrt_lab.local.devices.catalog import Device
from qrt_lab.local.errors import ApiError

__all__ = ["CALIBRATE", "CALIBRATE_SCHEMA_VERSIONS", "check_calibrate_params"]

CALIBRATE = "calibrate"
#: Every ``calibrate`` params schema version this service runs.
CALIBRATE_SCHEMA_VERSIONS = ("v0.1",)
#: Largest ``options.experimental`` object accepted, in characters of JSON.
MAX_EXPERIMENTAL_CHARS = 16_384


def _bad(message: str) -> ApiError:
    return ApiError.bad_request(message)


def check_calibrate_params(params: dict[str, Any], device: Device) -> None:
    """Refuse a ``calibrate`` params document that is not schema v0.1's, or a simulator.

    Raises:
        ApiError: 400 naming what is wrong and what to send instead.
    """
    version = params.get("schema_version")
    if version not in CALIBRATE_SCHEMA_VERSIONS:
        raise _bad(
            f"'params.schema_version' must be one of {', '.join(CALIBRATE_SCHEMA_VERSIONS)} "
            f"for the calibrate program, got {json.dumps(version)[:40]}; send what Calibrator "
            "sends (ibm_quantum_schemas.calibrator.version_0_1.ParamsModel)."
        )
    options = params.get("options")
    if not isinstance(options, dict):
        raise _bad("'params.options' must be an object ({\"experimental\": {...}}).")
    experimental = options.get("experimental", {})
    if not isinstance(experimental, dict):
        raise _bad("'params.options.experimental' must be an object.")
    if len(json.dumps(experimental)) > MAX_EXPERIMENTAL_CHARS:
        raise _bad(
            f"'params.options.experimental' must be at most {MAX_EXPERIMENTAL_CHARS} characters "
            "of JSON."
        )
    if device.is_simulator:
        raise ApiError.bad_request(
            f"Backend {device.name!r} is an ideal simulator: it has no calibration to run. "
            "Calibrate a device backend (one with properties), e.g. local_5q.",
            code="not_calibratable",
        )
