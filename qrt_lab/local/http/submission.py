"""Validation of a ``POST /jobs`` body at the boundary (spec §3.5, §5.3).

Cheap structural checks only: the program and backend exist, ``params`` holds a list of PUBs of
the right shape, shot counts fit the device, tags are strings. Decoding circuits (and the ISA
check, reason code 1517) happens in the worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from qrt_lab.local.devices.calibrations import MAX_CALIBRATION_ID_LENGTH
from qrt_lab.local.devices.catalog import Device, DeviceCatalog
from qrt_lab.local.errors import ApiError
from qrt_lab.local.http.calibrate_submission import CALIBRATE, check_calibrate_params
from qrt_lab.local.http.executor_submission import check_executor_params
from qrt_lab.local.http.limits import is_finite_number, is_int
from qrt_lab.local.jobspec import MAX_SEED

__all__ = ["PROGRAMS", "Submission", "parse_submission"]

PROGRAMS = ("sampler", "estimator", "executor", "noise-learner", CALIBRATE)
PROGRAM_NAMES = "'sampler', 'estimator', 'executor', 'noise-learner' and 'calibrate'"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
PUB_LENGTHS = {"sampler": (1, 3), "estimator": (2, 4)}
PUB_LAYOUTS = {
    "sampler": "circuit, parameter values, shots",
    "estimator": "circuit, observables, parameter values, precision",
}


@dataclass(frozen=True)
class Submission:
    """A validated job submission."""

    program_id: str
    backend: str
    params_text: str
    session_id: str | None
    tags: tuple[str, ...]
    cost: float | None
    log_level: str
    private: bool
    runtime: str
    calibration_id: str | None
    seed: int | None


def _optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError.bad_request(f"'{key}' must be a string, not {type(value).__name__}.")
    if value is not None and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate such as "\ud800" cannot be stored
            raise ApiError.bad_request(f"'{key}' must be valid Unicode text.") from None
    return value


def _check_shots(value: Any, where: str, device: Device) -> None:
    if value is None:
        return
    if not is_int(value) or value < 1:
        raise ApiError.bad_request(f"{where} must be a positive integer number of shots.")
    if value > device.max_shots:
        raise ApiError.bad_request(
            f"{where} asks for {value} shots but {device.name} allows at most "
            f"{device.max_shots} per PUB. Lower the shots or split the work into several PUBs.",
            code="too_many_shots",
        )


def _check_pubs(program: str, params: dict[str, Any], device: Device) -> None:
    pubs = params.get("pubs")
    if not isinstance(pubs, list) or not pubs:
        raise ApiError.bad_request("'params.pubs' must be a non-empty list of PUBs.")
    low, high = PUB_LENGTHS[program]
    for index, pub in enumerate(pubs):
        if not isinstance(pub, list) or not low <= len(pub) <= high:
            raise ApiError.bad_request(
                f"PUB {index} must be a list of {low} to {high} elements ({PUB_LAYOUTS[program]})."
            )
        circuit = pub[0]
        if not (
            isinstance(circuit, str)
            or (isinstance(circuit, dict) and circuit.get("__type__") == "QuantumCircuit")
        ):
            raise ApiError.bad_request(
                f"PUB {index}: the first element must be an encoded QuantumCircuit."
            )
        if program == "sampler" and len(pub) == 3:
            _check_shots(pub[2], f"PUB {index}", device)
        precision = pub[3] if program == "estimator" and len(pub) == 4 else None
        if precision is not None and (not is_finite_number(precision) or precision <= 0):
            raise ApiError.bad_request(f"PUB {index}: precision must be a number > 0.")


def _check_options(program: str, params: dict[str, Any], device: Device) -> int | None:
    options = params.get("options", {})
    if options is None:
        return None
    if not isinstance(options, dict):
        raise ApiError.bad_request("'params.options' must be an object.")
    if program == "sampler":
        _check_shots(options.get("default_shots"), "options.default_shots", device)
    simulator = options.get("simulator")
    if not isinstance(simulator, dict) or not is_int(simulator.get("seed_simulator")):
        return None
    seed = int(simulator["seed_simulator"])
    if not 0 <= seed <= MAX_SEED:
        raise ApiError.bad_request(
            f"'options.simulator.seed_simulator' must be an integer from 0 to {MAX_SEED}; "
            f"got {seed}."
        )
    return seed


def _check_noise_learner(params: dict[str, Any], device: Device) -> int | None:
    if "schema_version" in params:  # NoiseLearnerV3: the worker validates the schema
        if not isinstance(params.get("instructions"), dict):
            raise ApiError.bad_request("'params.instructions' must be an encoded QPY object.")
        return None
    circuits = params.get("circuits")
    if not isinstance(circuits, list) or not circuits:
        raise ApiError.bad_request(
            "'params.circuits' must be a non-empty list of encoded circuits (NoiseLearner), or "
            "send NoiseLearnerV3's 'schema_version' and 'instructions'."
        )
    return _check_options("noise-learner", params, device)


def _checked_calibration(wanted: str | None, device: Device) -> str | None:
    """The job's ``calibration_id`` if ``device`` has that calibration; else a 400 saying which."""
    if wanted is None:
        return None
    if not wanted or len(wanted) > MAX_CALIBRATION_ID_LENGTH or not wanted.isprintable():
        raise ApiError.bad_request(
            f"'calibration_id' must be 1 to {MAX_CALIBRATION_ID_LENGTH} printable characters; "
            "use an id from the backend's properties ('calibration_id'), or leave it out to run "
            "on the current calibration."
        )
    if device.properties_for(wanted) is not None:
        return wanted
    known = [p["calibration_id"] for p in (device.properties, *device.past_properties) if p]
    raise ApiError.bad_request(
        f"Calibration {wanted[:40]!r} of backend {device.name!r} is not known. "
        + (
            f"Known calibrations, newest first: {', '.join(known)}; or leave calibration_id out "
            "to run on the current one."
            if known
            else "This backend is a simulator without calibrations: leave calibration_id out."
        ),
        code="calibration_not_found",
    )


def parse_submission(
    body: Any, catalog: DeviceCatalog, max_execution_time_limit: float
) -> Submission:
    """Validate a decoded ``POST /jobs`` body.

    Raises:
        ApiError: 400 for a malformed body, 404 for an unknown program.
    """
    if not isinstance(body, dict):
        raise ApiError.bad_request(
            "The job must be a JSON object with program_id, backend, params."
        )
    program = body.get("program_id")
    if not isinstance(program, str) or not program:
        raise ApiError.bad_request(f"'program_id' is required: one of {PROGRAM_NAMES}.")
    if program not in PROGRAMS:
        raise ApiError.not_found(
            f"Program {program!r} not found. The local service runs {PROGRAM_NAMES}.",
            code="program_not_found",
        )
    backend = body.get("backend")
    if not isinstance(backend, str) or not backend:
        raise ApiError.bad_request(
            "'backend' is required: the name of a device from GET /backends."
        )
    device = catalog.get(backend)
    if device is None:
        raise ApiError.bad_request(
            f"Backend {backend!r} was not found. Available backends: {', '.join(catalog.names())}.",
            code="backend_not_found",
        )
    params = body.get("params")
    if not isinstance(params, dict):
        raise ApiError.bad_request("'params' must be an object holding 'pubs' (and 'options').")
    if program == "executor":
        check_executor_params(params, device)
        seed = None
    elif program == "noise-learner":
        seed = _check_noise_learner(params, device)
    elif program == CALIBRATE:
        check_calibrate_params(params, device)
        seed = None
    else:
        _check_pubs(program, params, device)
        seed = _check_options(program, params, device)
    tags = body.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ApiError.bad_request("'tags' must be a list of strings.")
    cost = body.get("cost")
    if cost is not None and (not is_finite_number(cost) or cost <= 0):
        raise ApiError.bad_request("'cost' (max_execution_time) must be a number of seconds > 0.")
    log_level = body.get("log_level") or "WARNING"
    if not isinstance(log_level, str) or log_level.upper() not in LOG_LEVELS:
        raise ApiError.bad_request(f"'log_level' must be one of {', '.join(LOG_LEVELS)}.")
    private = body.get("private", False)
    if not isinstance(private, bool):
        raise ApiError.bad_request("'private' must be true or false.")
    return Submission(
        program_id=program,
        backend=backend,
        params_text=json.dumps(params),
        session_id=_optional_str(body, "session_id"),
        tags=tuple(dict.fromkeys(tags)),
        cost=min(float(cost), max_execution_time_limit) if cost is not None else None,
        log_level=log_level.upper(),
        private=private,
        runtime=_optional_str(body, "runtime") or "",
        calibration_id=_checked_calibration(_optional_str(body, "calibration_id"), device),
        seed=seed,
    )
