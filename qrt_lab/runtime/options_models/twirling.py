"""Twirling options of the client-side primitives."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import BaseOptionsModel

__all__ = ["TwirlingOptions"]


class TwirlingOptions(BaseOptionsModel):
    """Pauli twirling of gates and measurements, done in the client with samplomatic."""

    enable_gates: bool | None = None
    """Twirl the two-qubit gates (None: decided by the primitive, off for the Sampler)."""
    enable_measure: bool | None = None
    """Twirl the measurements (None: decided by the primitive, off for the Sampler)."""
    group: Literal["pauli", "balanced_pauli", "local_c1", "local_pauli"] = "pauli"
    """The twirling group."""
    num_randomizations: Annotated[int, Field(ge=1)] | Literal["auto"] = "auto"
    """Number of randomizations, or "auto"."""
    shots_per_randomization: Annotated[int, Field(ge=1)] | Literal["auto"] = "auto"
    """Shots per randomization, or "auto"."""
    strategy: Literal["active", "active-accum", "active-circuit", "all"] = "active-accum"
    """Which qubits of a layer are twirled."""
