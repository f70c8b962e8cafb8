"""The Qiskit Runtime client of qrt-lab: qiskit-ibm-runtime's public API, one import away.

Replace ``from qiskit_ibm_runtime import ...`` by ``from qrt_lab.runtime import ...``.

Public names are loaded on first use (PEP 562), so importing one submodule such as
``qrt_lab.runtime.accounts`` does not import the primitives.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .backend import IBMBackend
    from .calibrator import Calibrator
    from .codec import RuntimeDecoder, RuntimeEncoder
    from .estimator import EstimatorV2
    from .estimator import EstimatorV2 as Estimator
    from .exceptions import (
        AccountAlreadyExistsError,
        AccountNotFoundError,
        AccountsError,
        IBMAccountError,
        IBMApiError,
        IBMBackendApiError,
        IBMBackendApiProtocolError,
        IBMBackendError,
        IBMBackendValueError,
        IBMError,
        IBMInputValueError,
        IBMNotAuthorizedError,
        IBMRuntimeError,
        InvalidAccountError,
        RequestsApiError,
        RuntimeInvalidStateError,
        RuntimeJobFailureError,
        RuntimeJobMaxTimeoutError,
        RuntimeJobNotFound,
        RuntimeJobTimeoutError,
        RuntimeProgramNotFound,
    )
    from .executor import Executor
    from .job import RuntimeJobV2
    from .log import logger, setup_logger
    from .noise_learner import NoiseLearner, NoiseLearnerOptions, NoiseLearnerV2
    from .noise_learner_v3 import NoiseLearnerV3
    from .options import EstimatorOptions, SamplerOptions
    from .options_models import ExecutorOptions, NoiseLearnerV3Options
    from .quantum_program import QuantumProgram
    from .runtime_options import RuntimeOptions
    from .sampler import SamplerV2
    from .sampler import SamplerV2 as Sampler
    from .service import QiskitRuntimeService
    from .service import QiskitRuntimeService as IBMQuantumComputeService
    from .session import Batch, Session

_EXPORTS = {
    "AccountAlreadyExistsError": "exceptions",
    "AccountNotFoundError": "exceptions",
    "AccountsError": "exceptions",
    "Batch": "session",
    "Calibrator": "calibrator",
    "Estimator": "estimator",
    "EstimatorOptions": "options",
    "EstimatorV2": "estimator",
    "Executor": "executor",
    "ExecutorOptions": "options_models",
    "IBMAccountError": "exceptions",
    "IBMApiError": "exceptions",
    "IBMBackend": "backend",
    "IBMBackendApiError": "exceptions",
    "IBMBackendApiProtocolError": "exceptions",
    "IBMBackendError": "exceptions",
    "IBMBackendValueError": "exceptions",
    "IBMError": "exceptions",
    "IBMInputValueError": "exceptions",
    "IBMNotAuthorizedError": "exceptions",
    "IBMQuantumComputeService": "service",
    "IBMRuntimeError": "exceptions",
    "InvalidAccountError": "exceptions",
    "JobError": "exceptions",
    "JobTimeoutError": "exceptions",
    "NoiseLearner": "noise_learner",
    "NoiseLearnerOptions": "noise_learner",
    "NoiseLearnerV2": "noise_learner",
    "NoiseLearnerV3": "noise_learner_v3",
    "NoiseLearnerV3Options": "options_models",
    "QiskitError": "exceptions",
    "QiskitRuntimeService": "service",
    "QuantumProgram": "quantum_program",
    "RequestsApiError": "exceptions",
    "RuntimeDecoder": "codec",
    "RuntimeEncoder": "codec",
    "RuntimeInvalidStateError": "exceptions",
    "RuntimeJobFailureError": "exceptions",
    "RuntimeJobMaxTimeoutError": "exceptions",
    "RuntimeJobNotFound": "exceptions",
    "RuntimeJobTimeoutError": "exceptions",
    "RuntimeJobV2": "job",
    "RuntimeOptions": "runtime_options",
    "RuntimeProgramNotFound": "exceptions",
    "Sampler": "sampler",
    "SamplerOptions": "options",
    "SamplerV2": "sampler",
    "Session": "session",
    "logger": "log",
    "setup_logger": "log",
}
_ALIASES = {
    "Sampler": "SamplerV2",
    "Estimator": "EstimatorV2",
    "IBMQuantumComputeService": "QiskitRuntimeService",
}

__all__ = [
    "AccountAlreadyExistsError",
    "AccountNotFoundError",
    "AccountsError",
    "Batch",
    "Calibrator",
    "Estimator",
    "EstimatorOptions",
    "EstimatorV2",
    "Executor",
    "ExecutorOptions",
    "IBMAccountError",
    "IBMApiError",
    "IBMBackend",
    "IBMBackendApiError",
    "IBMBackendApiProtocolError",
    "IBMBackendError",
    "IBMBackendValueError",
    "IBMError",
    "IBMInputValueError",
    "IBMNotAuthorizedError",
    "IBMQuantumComputeService",
    "IBMRuntimeError",
    "InvalidAccountError",
    "JobError",
    "JobTimeoutError",
    "NoiseLearner",
    "NoiseLearnerOptions",
    "NoiseLearnerV2",
    "NoiseLearnerV3",
    "NoiseLearnerV3Options",
    "QiskitError",
    "QiskitRuntimeService",
    "QuantumProgram",
    "RequestsApiError",
    "RuntimeDecoder",
    "RuntimeEncoder",
    "RuntimeInvalidStateError",
    "RuntimeJobFailureError",
    "RuntimeJobMaxTimeoutError",
    "RuntimeJobNotFound",
    "RuntimeJobTimeoutError",
    "RuntimeJobV2",
    "RuntimeOptions",
    "RuntimeProgramNotFound",
    "Sampler",
    "SamplerOptions",
    "SamplerV2",
    "Session",
    "logger",
    "setup_logger",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'qrt_lab.runtime' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), _ALIASES.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
