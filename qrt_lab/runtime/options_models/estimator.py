"""``EstimatorOptions`` of the client-side (executor) Estimator."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .base import BaseOptionsModel
from .dynamical_decoupling import DynamicalDecouplingOptions
from .environment import EnvironmentOptions
from .execution import ExecutionOptions
from .mitigation import ResilienceOptions
from .simulator import SimulatorOptions
from .twirling import TwirlingOptions

__all__ = ["EstimatorOptions"]


class EstimatorOptions(BaseOptionsModel):
    """Options of ``executor_estimator.Estimator``."""

    default_precision: Annotated[float, Field(gt=0)] = 0.015625
    """Target precision of PUBs that set none (shots = ceil(1 / precision**2))."""
    default_shots: Annotated[int, Field(ge=0)] | None = None
    """Shots per PUB; overrides ``default_precision`` when set."""
    execution: ExecutionOptions = ExecutionOptions()
    """Execution options."""
    twirling: TwirlingOptions = TwirlingOptions()
    """Twirling options (None fields follow ``resilience_level``)."""
    dynamical_decoupling: DynamicalDecouplingOptions = DynamicalDecouplingOptions()
    """Dynamical decoupling options."""
    simulator: SimulatorOptions = SimulatorOptions()
    """Simulator options (local testing mode)."""
    experimental: dict[str, Any] = Field(default_factory=dict)
    """Experimental options."""
    environment: EnvironmentOptions = EnvironmentOptions()
    """Job options."""
    resilience: ResilienceOptions = ResilienceOptions()
    """Mitigation options."""
    resilience_level: Literal[0, 1, 2] = 1
    """0: none; 1: measurement twirling + TREX; 2: adds gate twirling + ZNE."""
    max_execution_time: int | None = None
    """Maximum execution time of the job in seconds."""
