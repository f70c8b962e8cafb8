"""The legacy ``NoiseLearner`` (``qiskit_ibm_runtime.noise_learner``), its options and results."""

from .noise_learner import NoiseLearner
from .options import NoiseLearnerOptions
from .results import LayerError, NoiseLearnerResult, PauliLindbladError

NoiseLearnerV2 = NoiseLearner

__all__ = [
    "LayerError",
    "NoiseLearner",
    "NoiseLearnerOptions",
    "NoiseLearnerResult",
    "NoiseLearnerV2",
    "PauliLindbladError",
]
