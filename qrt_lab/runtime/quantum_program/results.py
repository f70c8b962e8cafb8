"""Results of ``Executor`` jobs: samplomatic's result containers with the service's metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samplomatic.quantum_program import ChunkPart, ChunkSpan, ChunkTiming
from samplomatic.quantum_program import QuantumProgramItemResult as _BaseItemResult
from samplomatic.quantum_program import QuantumProgramResult as _BaseResult

__all__ = [
    "ChunkPart",
    "ChunkSpan",
    "ChunkTiming",
    "ItemMetadata",
    "Metadata",
    "QuantumProgramItemResult",
    "QuantumProgramResult",
    "SchedulerTiming",
    "StretchValues",
]


@dataclass
class SchedulerTiming:
    """The compiled schedule of an item's circuit (``execution.scheduler_timing=True``)."""

    timing: str
    """Schedule lines ``<Branch,Instruction,Channel,T0,Duration,Pulse>``."""
    circuit_duration: int
    """Duration of the circuit in samples."""


@dataclass
class StretchValues:
    """The value the compiler gave one circuit stretch."""

    name: str
    """The stretch's name."""
    value: int
    """Its value in samples."""
    remainder: int
    """Samples left over."""
    expanded_values: list[tuple[int, int]]
    """``(start, duration)`` of each expansion."""


@dataclass
class ItemMetadata:
    """Metadata of one item's result."""

    scheduler_timing: SchedulerTiming | None = None
    """The item's schedule, when requested."""
    stretch_values: list[StretchValues] | None = None
    """The item's stretch values, when requested."""


@dataclass
class Metadata:
    """Metadata of a whole program's result."""

    chunk_timing: list[ChunkSpan] = field(default_factory=list)
    """When each chunk of items ran on the QPU."""


class QuantumProgramItemResult(_BaseItemResult):  # type: ignore[misc]
    """The arrays of one item (``<creg>``, ``measurement_flips.<creg>``, ...) and its metadata."""

    def __init__(self, result: dict[str, Any], metadata: ItemMetadata | Any = None) -> None:
        super().__init__(result=result)
        self.metadata = metadata or ItemMetadata()


class QuantumProgramResult(_BaseResult):  # type: ignore[misc]
    """One ``QuantumProgramItemResult`` per item, the passthrough data and ``metadata``."""

    def __init__(
        self,
        data: list[Any],
        metadata: Metadata | None = None,
        passthrough_data: Any = None,
    ) -> None:
        super().__init__(
            data=[
                datum
                if isinstance(datum, QuantumProgramItemResult)
                else QuantumProgramItemResult(datum)
                for datum in data
            ],
            passthrough_data=passthrough_data,
        )
        self.metadata = metadata or Metadata()
        self._semantic_role: str | None = None

    @property
    def timing(self) -> ChunkTiming:
        """The chunk timing (``.draw()`` plots it)."""
        return ChunkTiming(self.metadata.chunk_timing)
