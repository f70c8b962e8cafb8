"""``NoiseLearnerV3Options`` and the bit-flip check options of the ``noise-learner`` program."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import BaseOptionsModel
from .environment import EnvironmentOptions
from .execution import ExecutionOptions
from .simulator import SimulatorOptions

__all__ = [
    "BitFlipChecksOptions",
    "NoiseLearnerV3Options",
    "PostCircuitBitFlipChecksOptions",
    "PreCircuitBitFlipChecksOptions",
]


class PostCircuitBitFlipChecksOptions(BaseOptionsModel):
    """Bit-flip checks after the learning circuits."""

    enable: bool = False
    """Run the checks."""
    x_pulse_type: Literal["xslow", "rx"] = "xslow"
    """The X pulse of the checks."""
    strategy: Literal["node", "edge"] = "node"
    """Check qubits one by one, or pairs on edges."""


class PreCircuitBitFlipChecksOptions(BaseOptionsModel):
    """Bit-flip checks before the learning circuits."""

    enable: bool = False
    """Run the checks."""
    x_pulse_type: Literal["xslow", "rx"] = "xslow"
    """The X pulse of the checks."""
    strategy: Literal["node", "edge"] = "node"
    """Check qubits one by one, or pairs on edges."""


class BitFlipChecksOptions(BaseOptionsModel):
    """Bit-flip checks around the learning circuits (for leakage post-selection)."""

    pre_circuit: PreCircuitBitFlipChecksOptions = PreCircuitBitFlipChecksOptions()
    """Checks before."""
    post_circuit: PostCircuitBitFlipChecksOptions = PostCircuitBitFlipChecksOptions()
    """Checks after."""


class NoiseLearnerV3Options(BaseOptionsModel):
    """Options of ``NoiseLearnerV3``."""

    shots_per_randomization: Annotated[int, Field(ge=1)] = 128
    """Shots of each randomization of each learning circuit."""
    num_randomizations: Annotated[int, Field(ge=1)] = 32
    """Randomizations of each learning circuit."""
    layer_pair_depths: list[Annotated[int, Field(ge=0)]] = Field(
        default_factory=lambda: [0, 1, 2, 4, 16, 32]
    )
    """Depths (in layer pairs) of the learning circuits."""
    bit_flip_checks: BitFlipChecksOptions = BitFlipChecksOptions()
    """Bit-flip checks."""
    simulator: SimulatorOptions = SimulatorOptions()
    """Simulator options."""
    experimental: dict[str, Any] = Field(default_factory=dict)
    """Experimental options."""
    execution: ExecutionOptions = ExecutionOptions()
    """Execution options (``init_qubits`` and ``rep_delay`` are sent)."""
    environment: EnvironmentOptions = EnvironmentOptions()
    """Job options."""
    max_execution_time: int | None = None
    """Maximum execution time of the job in seconds."""
