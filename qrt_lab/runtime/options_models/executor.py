"""``ExecutorOptions``: the options of ``Executor``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import BaseOptionsModel
from .environment import EnvironmentOptions
from .execution import ExecutionOptions
from .simulator import SimulatorOptions

__all__ = ["ExecutorOptions"]


class ExecutorOptions(BaseOptionsModel):
    """Options of the ``executor`` program."""

    environment: EnvironmentOptions = EnvironmentOptions()
    """Job options: log level, tags, privacy, image."""
    execution: ExecutionOptions = ExecutionOptions()
    """Execution options sent with the program."""
    experimental: dict[str, Any] = Field(default_factory=dict)
    """Experimental options, sent as they are."""
    simulator: SimulatorOptions = SimulatorOptions()
    """Simulator options (local testing mode)."""
    max_execution_time: int | None = None
    """Maximum execution time of the job in seconds."""
