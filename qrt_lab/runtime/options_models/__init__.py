"""Pydantic options models of the executor-based primitives (``qiskit_ibm_runtime.options_models``).

Replace ``from qiskit_ibm_runtime.options_models import ...`` by
``from qrt_lab.runtime.options_models import ...``.
"""

from .base import BaseOptionsModel
from .calibrator import CalibratorOptions
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
from .noise_learner_v3 import (
    BitFlipChecksOptions,
    NoiseLearnerV3Options,
    PostCircuitBitFlipChecksOptions,
    PreCircuitBitFlipChecksOptions,
)
from .sampler import SamplerOptions
from .simulator import SimulatorOptions
from .twirling import TwirlingOptions

__all__ = [
    "BaseOptionsModel",
    "BitFlipChecksOptions",
    "CalibratorOptions",
    "DynamicalDecouplingOptions",
    "EnvironmentOptions",
    "EstimatorOptions",
    "ExecutionOptions",
    "ExecutorOptions",
    "MeasureNoiseLearningOptions",
    "NoiseLearnerV3Options",
    "PecOptions",
    "PostCircuitBitFlipChecksOptions",
    "PreCircuitBitFlipChecksOptions",
    "ResilienceOptions",
    "SamplerExecutionOptions",
    "SamplerOptions",
    "SimulatorOptions",
    "TwirlingOptions",
    "ZneOptions",
]
