"""Decoding ``executor`` job results: schema v2.0, then the semantic role's post-processor."""

from __future__ import annotations

from typing import Any

__all__ = ["decode_executor_result"]


def decode_executor_result(text: str) -> Any:
    """A ``QuantumProgramResult``, or the primitive result its semantic role names.

    ``sampler_v2`` gives a Sampler ``PrimitiveResult``, ``estimator_v2`` an Estimator one; a
    program without a role (``Executor`` used directly) gives the ``QuantumProgramResult``.
    Jobs from the official client decode the same way (same roles and passthrough layout).
    """
    from ..quantum_program.wire import decode_result

    result = decode_result(text)
    role = result._semantic_role
    if role == "sampler_v2":
        from ..executor_sampler.post_process import sampler_result

        return sampler_result(result)
    if role == "estimator_v2":
        from ..executor_estimator.post_process import estimator_result

        return estimator_result(result)
    return result
