"""Pydantic options models of the executor-based primitives (``qiskit_ibm_runtime.options_models``).

Replace ``from qiskit_ibm_runtime.options_models import ...`` by
``from qrt_lab.runtime.options_models import ...``.
"""

from .base import BaseOptionsModel
from .dynamical_decoupling import DynamicalDecouplingOptions
from .environment import EnvironmentOptions
from .estimator import EstimatorOptions
from .execution import ExecutionOptions, SamplerExecutionOptions
from .executor import ExecutorOptions
from .mitigation import (
    MeasureNoiseLearningOptions,
    PecOptions,
    ResilienceOptions,
    ZneOptions,
)
from .sampler import SamplerOptions
from .simulator import SimulatorOptions
from .twirling import TwirlingOptions

__all__ = [
    "BaseOptionsModel",
    "DynamicalDecouplingOptions",
    "EnvironmentOptions",
    "EstimatorOptions",
    "ExecutionOptions",
    "ExecutorOptions",
    "MeasureNoiseLearningOptions",
    "PecOptions",
    "ResilienceOptions",
    "SamplerExecutionOptions",
    "SamplerOptions",
    "SimulatorOptions",
    "TwirlingOptions",
    "ZneOptions",
]
