"""Numbers inside decoded pubs that no simulation can use: refused with reason code 1513.

Parameter values must be finite (NaN, ±inf and null, which decodes as NaN, are refused), and
observable coefficients must be finite with a magnitude of at most ``MAX_COEFFICIENT`` so that
the variance sums of the estimator (coefficient squared) stay inside the float range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

__all__ = ["MAX_COEFFICIENT", "check_pub_values"]

MAX_COEFFICIENT = 1e150


def _check_parameters(pub: Any, index: int) -> None:
    bindings = pub.parameter_values
    if bindings.num_parameters == 0:
        return
    values = np.asarray(bindings.as_array(), dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        first = values[bad].flat[0]
        hint = " (a null value decodes as nan)" if np.isnan(first) else ""
        raise JobFailure(
            f"pub {index}: parameter values must be finite numbers; found {first}{hint}. "
            "Replace the non-finite values before submitting.",
            BAD_INPUT,
        )


def _check_observables(pub: Any, index: int) -> None:
    observables = pub.observables
    for position in np.ndindex(observables.shape):
        for label, coefficient in dict(observables[position]).items():
            magnitude = abs(complex(coefficient))
            if not magnitude <= MAX_COEFFICIENT:
                raise JobFailure(
                    f"pub {index}: observable coefficient {coefficient} of {label!r} is not a "
                    f"finite number of magnitude at most {MAX_COEFFICIENT:g}; rescale the "
                    f"observable.",
                    BAD_INPUT,
                )


def check_pub_values(pubs: list[Any]) -> None:
    """Refuse non-finite parameter values and out-of-range observable coefficients.

    Args:
        pubs: Decoded sampler or estimator pubs.

    Raises:
        JobFailure: (1513) naming the pub and the value.
    """
    for index, pub in enumerate(pubs):
        _check_parameters(pub, index)
        if hasattr(pub, "observables"):
            _check_observables(pub, index)
