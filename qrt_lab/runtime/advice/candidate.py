"""One place a circuit could run: a backend, a layout, and what is predicted for it there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .transpiling import SEED

__all__ = ["Candidate"]


@dataclass(frozen=True)
class Candidate:
    """A backend and physical layout for a set of circuits, with the advisor's predictions.

    Attributes:
        backend_name: The backend's name.
        layout: ``layout[v]`` is the physical qubit that virtual qubit ``v`` of the (first)
            circuit starts on.
        predicted_success: Estimated probability that one shot of the transpiled circuits runs
            without an error (the product of gate, readout and idle-decoherence fidelities of the
            calibration; averaged over the circuits).
        success_uncertainty: The stated uncertainty of ``predicted_success`` (absolute): the
            model's (a fraction of the predicted error), widened by ``success_drift`` when
            earlier calibrations were compared (see :mod:`.prediction`).
        success_drift: The largest change of the prediction from the current calibration to
            an earlier one (``None``: the backend gave no earlier calibration).
        earlier_calibrations: How many earlier calibrations the drift was measured on.
        error_budget: Where the predicted error comes from, e.g. ``{"gates": ..., "readout": ...,
            "idle": ...}`` as fractions of the total error.
        two_qubit_gates: Two-qubit gates after routing (summed over the circuits).
        depth: Depth after routing (the deepest circuit).
        pending_jobs: The backend's queue when ranked (``None`` if unknown).
        quantum_seconds: Estimated quantum seconds the job would be billed.
        remaining_seconds: The account's remaining usage in seconds (``None`` if unlimited or
            unknown).
        calibration_time: ISO-8601 time of the calibration the prediction used (``None`` if the
            backend has no properties).
        optimization_level: The preset pass manager's level the circuits were transpiled at.
        seed_transpiler: The transpiler's seed they were transpiled with.
        circuits: The circuits transpiled for this backend and layout (what "use this" runs:
            ``generate_preset_pass_manager(backend=backend, **transpile_options)`` gives them).
        backend: The backend object itself (not compared or shown in the repr).
    """

    backend_name: str
    layout: tuple[int, ...]
    predicted_success: float
    success_uncertainty: float
    error_budget: Mapping[str, float]
    two_qubit_gates: int
    depth: int
    pending_jobs: int | None
    quantum_seconds: float
    remaining_seconds: float | None
    calibration_time: str | None = None
    success_drift: float | None = None
    earlier_calibrations: int = 0
    optimization_level: int = 2
    seed_transpiler: int = SEED
    circuits: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    backend: Any = field(default=None, repr=False, compare=False)

    @property
    def transpile_options(self) -> dict[str, Any]:
        """The preset pass manager's arguments (besides the backend) that give ``circuits``."""
        return {
            "optimization_level": self.optimization_level,
            "initial_layout": [int(q) for q in self.layout],
            "seed_transpiler": self.seed_transpiler,
        }

    @property
    def exceeds_remaining_usage(self) -> bool:
        """Whether the estimated quantum seconds exceed the account's remaining usage."""
        return self.remaining_seconds is not None and self.quantum_seconds > self.remaining_seconds
