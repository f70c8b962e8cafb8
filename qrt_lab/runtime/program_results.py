"""Which decoder turns a job's result text into its result object, by program id."""

from __future__ import annotations

from typing import Any

__all__ = ["decoder_for"]


def _decode_executor(text: str) -> Any:
    from .executor.decode import decode_executor_result

    return decode_executor_result(text)


def _decode_noise_learner(text: str) -> Any:
    from .noise_learner.results import decode_legacy_results
    from .noise_learner_v3.wire import decode_results, is_v3_result

    return decode_results(text) if is_v3_result(text) else decode_legacy_results(text)


def _decode_calibrator(text: str) -> Any:
    from .calibrator.calibrator import decode_calibrator_result

    return decode_calibrator_result(text)


def decoder_for(program_id: str | None) -> Any:
    """The result decoder of a program that is not ``sampler``/``estimator``, or None."""
    return {
        "executor": _decode_executor,
        "noise-learner": _decode_noise_learner,
        "calibrate": _decode_calibrator,
    }.get(program_id or "")
