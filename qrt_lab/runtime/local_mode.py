"""Local testing mode: ``SamplerV2``/``EstimatorV2`` with a plain Qiskit backend as ``mode``.

A fake backend (``qrt_lab.runtime.fake_provider``) or an ``AerSimulator`` is not a runtime
backend: the primitives run in-process with Qiskit's ``BackendSamplerV2``/``BackendEstimatorV2``
on it, reading the same options the official local service reads, and return Qiskit's
``PrimitiveJob`` whose ``result()`` is a ``PrimitiveResult``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from typing import Any

from qiskit.primitives import BackendEstimatorV2, BackendSamplerV2, PrimitiveJob
from qiskit.providers import BackendV2

from .options import EstimatorOptions, SamplerOptions, job_inputs

__all__ = ["run_estimator", "run_sampler"]


def _set_options(options: SamplerOptions | EstimatorOptions, dry_run: bool) -> dict[str, Any]:
    """The options the user set, with warnings for those local mode cannot honour."""
    if dry_run:
        warnings.warn("dry_run has no effect in local testing mode.", stacklevel=4)
    params, _ = job_inputs(options)
    if "resilience_level" in params:
        warnings.warn(
            "The resilience_level option has no effect in local testing mode.", stacklevel=4
        )
    set_options: dict[str, Any] = params["options"]
    return set_options


def _warn_unused(left: dict[str, Any]) -> None:
    left = {key: value for key, value in left.items() if value not in ({}, None)}
    if left:
        warnings.warn(
            f"Options {left} have no effect in local testing mode; only default_shots, "
            "default_precision, simulator.seed_simulator and simulator.noise_model do.",
            stacklevel=4,
        )


def run_sampler(
    backend: BackendV2,
    pubs: Iterable[Any],
    shots: int | None,
    options: SamplerOptions,
    dry_run: bool,
) -> PrimitiveJob[Any]:
    """Sample ``pubs`` on ``backend`` with Qiskit's ``BackendSamplerV2``."""
    left = _set_options(options, dry_run)
    simulator = dict(left.pop("simulator", {}))
    prim: dict[str, Any] = {}
    run_options: dict[str, Any] = {}
    if (seed := simulator.pop("seed_simulator", None)) is not None:
        prim["seed_simulator"] = seed
    if (noise_model := simulator.pop("noise_model", None)) is not None:
        run_options["noise_model"] = noise_model
    if (default_shots := left.pop("default_shots", None)) is not None:
        prim["default_shots"] = default_shots
    if run_options:
        prim["run_options"] = run_options
    _warn_unused({**left, "simulator": simulator})
    return BackendSamplerV2(backend=backend, options=prim).run(pubs, shots=shots)


def run_estimator(
    backend: BackendV2,
    pubs: Iterable[Any],
    precision: float | None,
    options: EstimatorOptions,
    dry_run: bool,
) -> PrimitiveJob[Any]:
    """Estimate ``pubs`` on ``backend`` with Qiskit's ``BackendEstimatorV2``."""
    left = _set_options(options, dry_run)
    simulator = dict(left.pop("simulator", {}))
    prim: dict[str, Any] = {}
    if (seed := simulator.pop("seed_simulator", None)) is not None:
        prim["seed_simulator"] = seed
    if (default_shots := left.pop("default_shots", None)) is not None and precision is None:
        precision = 1 / math.sqrt(default_shots)
    if (default_precision := left.pop("default_precision", None)) is not None:
        prim["default_precision"] = default_precision
    _warn_unused({**left, "simulator": simulator})
    return BackendEstimatorV2(backend=backend, options=prim).run(pubs, precision=precision)
