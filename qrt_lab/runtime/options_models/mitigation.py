"""Error-mitigation options of the client-side Estimator: TREX, ZNE, PEC."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .base import BaseOptionsModel
from .simulator import LayerNoiseModel

__all__ = [
    "DEFAULT_NOISE_FACTORS",
    "MeasureNoiseLearningOptions",
    "PecOptions",
    "ResilienceOptions",
    "ZneOptions",
]

ExtrapolatorType = Literal[
    "linear",
    "exponential",
    "double_exponential",
    "polynomial_degree_1",
    "polynomial_degree_2",
    "polynomial_degree_3",
    "polynomial_degree_4",
    "polynomial_degree_5",
    "polynomial_degree_6",
    "polynomial_degree_7",
    "fallback",
]
#: Noise factors ZNE uses when ``noise_factors="auto"``.
DEFAULT_NOISE_FACTORS = (1, 3, 5)


def _at_least_two(value: Sequence[float]) -> Sequence[float]:
    if len(value) < 2:
        raise ValueError("Must have at least two noise factors in order to do an extrapolation.")
    return value


class MeasureNoiseLearningOptions(BaseOptionsModel):
    """How TREX learns the readout noise."""

    num_randomizations: Annotated[int, Field(ge=1)] | Literal["auto"] = "auto"
    """Randomizations of the TREX calibration circuit ("auto": as many as the twirling)."""


class PecOptions(BaseOptionsModel):
    """Probabilistic error cancellation."""

    max_overhead: Annotated[float, Field(gt=0)] | None = 100
    """Largest sampling overhead allowed; None for no limit."""
    noise_gain: Annotated[float, Field(ge=0)] | Literal["auto"] = "auto"
    """Amount of noise to cancel ("auto": as much as ``max_overhead`` allows)."""


class ZneOptions(BaseOptionsModel):
    """Zero-noise extrapolation."""

    amplifier: Literal["gate_folding", "gate_folding_front", "gate_folding_back", "pea"] = (
        "gate_folding"
    )
    """How noise is amplified (PEA needs ``resilience.layer_noise_model``)."""
    noise_factors: (
        Annotated[Sequence[Annotated[float, Field(ge=1)]], AfterValidator(_at_least_two)]
        | Literal["auto"]
    ) = "auto"
    """Noise factors to measure at ("auto": (1, 3, 5))."""
    extrapolator: ExtrapolatorType | Sequence[ExtrapolatorType] = ("exponential", "linear")
    """Extrapolator(s) fitted; the first that succeeds wins per expectation value."""
    extrapolated_noise_factors: Sequence[Annotated[float, Field(ge=0)]] | Literal["auto"] = "auto"
    """Noise factors the fit is evaluated at ("auto": 0 and the measured ones)."""


class ResilienceOptions(BaseOptionsModel):
    """Which mitigations run (None: decided by ``resilience_level``)."""

    measure_mitigation: bool | None = None
    """TREX readout mitigation."""
    measure_noise_learning: MeasureNoiseLearningOptions = MeasureNoiseLearningOptions()
    """TREX learning options."""
    pec_mitigation: bool = False
    """Probabilistic error cancellation (needs ``layer_noise_model``)."""
    pec: PecOptions = PecOptions()
    """PEC options."""
    zne_mitigation: bool | None = None
    """Zero-noise extrapolation."""
    zne: ZneOptions = ZneOptions()
    """ZNE options."""
    layer_noise_model: LayerNoiseModel = None
    """``[(box instruction, PauliLindbladMap), ...]`` from a noise learner, for PEA/PEC."""
