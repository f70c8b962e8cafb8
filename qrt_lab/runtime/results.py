"""Result containers of the executor-era programs (``qiskit_ibm_runtime.results``).

Sampler and Estimator results are Qiskit's own ``PrimitiveResult`` containers; these are the
extra types: executor program results and the client-side Estimator's pub result.
"""

from .executor_estimator.post_process import EstimatorPubResult
from .quantum_program.results import (
    ChunkPart,
    ChunkSpan,
    ChunkTiming,
    ItemMetadata,
    Metadata,
    QuantumProgramItemResult,
    QuantumProgramResult,
    SchedulerTiming,
    StretchValues,
)

__all__ = [
    "ChunkPart",
    "ChunkSpan",
    "ChunkTiming",
    "EstimatorPubResult",
    "ItemMetadata",
    "Metadata",
    "QuantumProgramItemResult",
    "QuantumProgramResult",
    "SchedulerTiming",
    "StretchValues",
]
