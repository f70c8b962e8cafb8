"""``SamplerOptions`` of the client-side (executor) Sampler."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import BaseOptionsModel
from .dynamical_decoupling import DynamicalDecouplingOptions
from .environment import EnvironmentOptions
from .execution import SamplerExecutionOptions
from .simulator import SimulatorOptions
from .twirling import TwirlingOptions

__all__ = ["SamplerOptions"]


class SamplerOptions(BaseOptionsModel):
    """Options of ``executor_sampler.Sampler``."""

    default_shots: int | None = 4096
    """Shots of PUBs that do not set their own."""
    dynamical_decoupling: DynamicalDecouplingOptions = DynamicalDecouplingOptions()
    """Dynamical decoupling options."""
    execution: SamplerExecutionOptions = SamplerExecutionOptions()
    """Execution options."""
    twirling: TwirlingOptions = TwirlingOptions()
    """Twirling options (off unless enabled)."""
    max_execution_time: int | None = None
    """Maximum execution time of the job in seconds."""
    simulator: SimulatorOptions = SimulatorOptions()
    """Simulator options (local testing mode)."""
    experimental: dict[str, Any] = Field(default_factory=dict)
    """Experimental options."""
    environment: EnvironmentOptions = EnvironmentOptions()
    """Job options."""
