"""``CalibratorOptions``: the options of the ``calibrate`` program."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import BaseOptionsModel
from .environment import EnvironmentOptions

__all__ = ["CalibratorOptions"]


class CalibratorOptions(BaseOptionsModel):
    """Options of ``Calibrator``."""

    environment: EnvironmentOptions = EnvironmentOptions()
    """Job options."""
    experimental: dict[str, Any] = Field(default_factory=dict)
    """Experimental options, sent as they are."""
