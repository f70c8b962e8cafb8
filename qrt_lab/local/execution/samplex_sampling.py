"""Draw a samplex's randomizations over an executor item's shape.

An item's ``shape`` right-aligns with the shape of its samplex arguments: axes where the
arguments have more than one entry are *broadcast* axes (a parameter sweep, observables bases),
the others *randomization* axes. For every point of the broadcast axes the samplex is sampled
once, with as many randomizations as the randomization axes hold, and the outputs are put back
together as ``(*shape, *intrinsic)`` arrays (the semantics of IBM's executor and of
qiskit-ibm-runtime's local mode).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["sample_over_shape"]


def sample_over_shape(
    samplex: Any, arguments: Any, shape: tuple[int, ...], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Sample ``samplex`` for every element of ``shape``.

    Args:
        samplex: A finalized ``samplomatic.Samplex``.
        arguments: Its broadcastable inputs (``samplex.inputs().make_broadcastable()`` filled in).
        shape: The item's shape.
        rng: The random generator the randomizations are drawn from.

    Returns:
        Every samplex output (``parameter_values`` included) shaped ``(*shape, *intrinsic)``.

    Raises:
        ValueError: if the arguments do not broadcast to ``shape``.
    """
    ndim = len(shape)
    if arguments.ndim > ndim:
        raise ValueError(
            f"the samplex arguments have shape {tuple(arguments.shape)}, which has more axes "
            f"than the item shape {shape}"
        )
    padded = (1,) * (ndim - arguments.ndim) + tuple(arguments.shape)
    for axis, (size, full) in enumerate(zip(padded, shape, strict=True)):
        if size > 1 and size != full:
            raise ValueError(
                f"the samplex arguments have shape {tuple(arguments.shape)}, which does not "
                f"broadcast to the item shape {shape} (axis {axis})"
            )
    broadcast = [axis for axis in range(ndim) if padded[axis] > 1]
    randomized = [axis for axis in range(ndim) if padded[axis] <= 1]
    rand_shape = tuple(shape[axis] for axis in randomized)
    num_randomizations = math.prod(rand_shape)
    output: dict[str, np.ndarray] = {}
    for point in np.ndindex(tuple(shape[axis] for axis in broadcast)):
        steps = iter(point)
        source = tuple(next(steps) if size > 1 else 0 for size in tuple(arguments.shape))
        sampled = dict(
            samplex.sample(arguments[source], num_randomizations=num_randomizations, rng=rng)
        )
        steps = iter(point)
        target = tuple(next(steps) if size > 1 else slice(None) for size in padded)
        for key, value in sampled.items():
            if key not in output:
                output[key] = np.empty((*shape, *value.shape[1:]), dtype=value.dtype)
            output[key][target] = value.reshape(*rand_shape, *value.shape[1:])
    return output
