"""Worker-process entry points: run one sampler or estimator job on a simulated device.

:func:`init_worker` is the process-pool initializer; :func:`execute` turns a :class:`JobSpec`
into a :class:`JobOutcome` and never raises: user mistakes become ``Failed`` outcomes with a
reason and reason code (see :mod:`.job_errors`), anything unexpected becomes code 1500.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from qrt_lab.local.devices.catalog import DeviceCatalog
from qrt_lab.local.devices.model import device_model
from qrt_lab.local.job_errors import (
    BAD_INPUT,
    BUG_ADVICE,
    INTERNAL_ERROR,
    UNKNOWN_PROGRAM,
    JobFailure,
)
from qrt_lab.local.jobspec import COMPLETED, FAILED, JobOutcome, JobSpec
from qrt_lab.runtime import codec

from .job_device import job_device

__all__ = ["catalog", "execute", "init_worker"]

_log = logging.getLogger(__name__)
_CATALOG: DeviceCatalog | None = None


def init_worker(device_dirs: list[str]) -> None:
    """Build the device catalogue, import the simulator stack and warm it up (once per process).

    Args:
        device_dirs: Extra folders of device documents (``--devices``).
    """
    global _CATALOG
    _CATALOG = DeviceCatalog([Path(d) for d in device_dirs])
    from .warmup import warm_up

    warm_up(execute)


def catalog() -> DeviceCatalog:
    """This process's device catalogue (built-in devices only if not initialised)."""
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = DeviceCatalog()
    return _CATALOG


def _decode_params(text: str) -> dict[str, Any]:
    try:
        params = codec.loads(text)
    except Exception as exc:  # zlib, QPY and JSON each raise their own error types
        raise JobFailure(
            f"The job's params could not be decoded ({exc}); send them encoded with "
            f"RuntimeEncoder as the official client does.",
            BAD_INPUT,
        ) from exc
    if not isinstance(params, dict):
        raise JobFailure("The job's params must be a JSON object with a 'pubs' list.", BAD_INPUT)
    return params


def _run(spec: JobSpec) -> tuple[Any, list[Any], list[str], dict[str, Any]]:
    device = job_device(spec, catalog())
    if spec.program_id not in ("sampler", "estimator"):
        raise JobFailure(
            f"Unknown program {spec.program_id!r}; the local service runs 'sampler', "
            f"'estimator', 'executor', 'noise-learner' and 'calibrate'.",
            UNKNOWN_PROGRAM,
        )
    params = _decode_params(spec.params_json)
    model = device_model(device)
    if spec.program_id == "sampler":
        from .primitive_options import sampler_settings
        from .sampling import run_sampler

        s_settings = sampler_settings(
            params, model.default_rep_delay, model.rep_delay_range, spec.seed
        )
        result, runs = run_sampler(_pubs(params, "sampler"), s_settings, model)
        applied = {"default_shots": s_settings.default_shots, "meas_type": s_settings.meas_type}
        return (
            result,
            runs,
            s_settings.not_applied,
            _applied(applied, s_settings.seed, s_settings.rep_delay, s_settings.decoupling),
        )
    from .estimation import run_estimator
    from .primitive_options import estimator_settings

    e_settings = estimator_settings(
        params, model.default_rep_delay, model.rep_delay_range, spec.seed
    )
    result, runs = run_estimator(_pubs(params, "estimator"), e_settings, model)
    applied = {
        "default_precision": e_settings.default_precision,
        "default_shots": e_settings.default_shots,
        "resilience_level": e_settings.resilience_level,
        "measure_mitigation": e_settings.measure_mitigation and not model.is_simulator,
    }
    return (
        result,
        runs,
        e_settings.not_applied,
        _applied(applied, e_settings.seed, e_settings.rep_delay, e_settings.decoupling),
    )


def _applied(
    options: dict[str, Any], seed: int | None, rep_delay: float, decoupling: Any
) -> dict[str, Any]:
    return {
        **options,
        "seed": seed,
        "rep_delay": rep_delay,
        "dynamical_decoupling": decoupling.report(),
    }


def _pubs(params: dict[str, Any], program: str) -> list[Any]:
    from .pub_values import check_pub_values

    try:
        if program == "sampler":
            pubs: list[Any] = codec.decode_sampler_pubs(params)
        else:
            pubs = codec.decode_estimator_pubs(params)
    except (ValueError, TypeError, OverflowError) as exc:
        raise JobFailure(f"Invalid pubs: {exc}", BAD_INPUT) from exc
    check_pub_values(pubs)
    return pubs


def _failed(reason: str, code: int, logs: str = "") -> JobOutcome:
    return JobOutcome(FAILED, reason, reason=reason, reason_code=code, logs=logs)


def _pub_facts(run: Any) -> dict[str, Any]:
    if run.plan is None:
        return {"method": run.method, "seconds": round(run.seconds, 6)}
    return dict(run.plan.facts(run.seconds))


def _pub_log(index: int, run: Any) -> str:
    text = (
        f"pub {index}: {run.experiments} experiment(s) x {run.shots} shots on physical qubits "
        f"{list(run.physical_qubits)} (Aer method {run.method}"
        + (", Pauli part of the noise only)" if run.approximate_noise else ")")
    )
    plan = run.plan
    if plan is None:
        return text
    text += f" on {plan.device} in {run.seconds:.3f} s; noise: {plan.noise_description}"
    if plan.estimate is not None:
        text += f"; estimate {plan.estimate.describe()}"
    return text + "."


def _decoupling_log(result: Any, dd: dict[str, Any]) -> str:
    """The log line saying how dynamical decoupling was applied (empty when it was off)."""
    if not dd.get("enable"):
        return ""
    pulses = [
        (getattr(pub, "metadata", None) or {}).get("dynamical_decoupling", {}).get("dd_pulses", 0)
        for pub in result
    ]
    return (
        f"Applied dynamical_decoupling.enable=True: {dd['sequence_type']} sequences in the idle "
        f"windows of the {dd['scheduling_method']}-scheduled circuits (extra slack "
        f"{dd['extra_slack_distribution']}, skip_reset_qubits {dd['skip_reset_qubits']}); "
        f"DD pulses per pub: {pulses}."
    )


def execute(spec: JobSpec) -> JobOutcome:
    """Run one job and report its outcome (never raises).

    Args:
        spec: The job.

    Returns:
        ``Completed`` with the RuntimeEncoder JSON of the ``PrimitiveResult``, or ``Failed``
        with a reason and reason code.
    """
    from .simulation_plan import peak_memory_bytes
    from .timing import quantum_seconds

    if spec.program_id == "executor":
        from .executor_program import execute_program

        return execute_program(spec, catalog())
    if spec.program_id == "noise-learner":
        from .noise_learner_program import execute_noise_learner

        return execute_noise_learner(spec, catalog())
    if spec.program_id == "calibrate":
        from .calibrate_program import execute_calibrate

        return execute_calibrate(spec, catalog())
    started = time.perf_counter()
    try:
        result, runs, not_applied, applied = _run(spec)
        text = codec.dumps(result)
    except JobFailure as failure:
        return _failed(failure.reason, failure.reason_code)
    except Exception as exc:  # noqa: BLE001 - a worker must report, never die, on a bug
        _log.exception("job %s failed unexpectedly", spec.job_id)
        return _failed(
            f"Internal error while running the job: {type(exc).__name__}: {exc}. {BUG_ADVICE}",
            INTERNAL_ERROR,
        )
    rep_delay = applied["rep_delay"]
    charged = quantum_seconds(((r.experiments * r.shots, r.duration) for r in runs), rep_delay)
    elapsed = time.perf_counter() - started
    logs = [f"Ran {len(runs)} pub(s) on {spec.backend} in {elapsed:.3f} s of simulation."]
    logs += [_pub_log(i, r) for i, r in enumerate(runs)]
    peak = peak_memory_bytes()
    logs.append(f"Peak memory of the worker process: {peak / 2**20:.0f} MiB.")
    decoupling = _decoupling_log(result, applied["dynamical_decoupling"])
    if decoupling:
        logs.append(decoupling)
    if not_applied:
        logs.append(
            "Options accepted but not applied by the local service: " + ", ".join(not_applied)
        )
    metadata = {
        "applied_options": applied,
        "not_applied": not_applied,
        "simulated_qubits": [list(r.physical_qubits) for r in runs],
        "simulation_methods": [r.method for r in runs],
        "approximate_noise": [r.approximate_noise for r in runs],
        "simulation": [_pub_facts(r) for r in runs],
        "simulation_seconds": elapsed,
        "peak_memory_bytes": peak,
    }
    return JobOutcome(
        COMPLETED,
        text,
        quantum_seconds=charged,
        logs="\n".join(logs) + "\n",
        metadata=json.loads(json.dumps(metadata)),
    )
