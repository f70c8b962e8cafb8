"""Dynamical decoupling options of the client-side primitives."""

from __future__ import annotations

from typing import Literal

from .base import BaseOptionsModel

__all__ = ["DynamicalDecouplingOptions"]


class DynamicalDecouplingOptions(BaseOptionsModel):
    """Pulse sequences inserted into idle periods (needs the backend's target)."""

    enable: bool = False
    """Insert dynamical decoupling sequences."""
    sequence_type: Literal["XX", "XpXm", "XY4"] = "XX"
    """The sequence inserted."""
    extra_slack_distribution: Literal["middle", "edges"] = "middle"
    """Where leftover idle time goes."""
    scheduling_method: Literal["alap", "asap"] = "alap"
    """Scheduling of the circuit before padding."""
    skip_reset_qubits: bool = False
    """Leave qubits idle before their first gate."""
