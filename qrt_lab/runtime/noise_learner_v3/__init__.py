"""``NoiseLearnerV3`` and its results (``qiskit_ibm_runtime.noise_learner_v3``)."""

from .noise_learner_v3 import NoiseLearnerV3
from .results import NoiseLearnerV3Result, NoiseLearnerV3Results

__all__ = ["NoiseLearnerV3", "NoiseLearnerV3Result", "NoiseLearnerV3Results"]
