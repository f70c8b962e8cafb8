"""Execution spans: when each part of a primitive result was executed.

Results of the runtime carry ``metadata["execution"]["execution_spans"]``. These classes have the
names and behaviour of qiskit-ibm-runtime's, so code that inspects spans works unchanged.
A span maps pub indices to the slice of that pub's data it covers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

ShapeType = tuple[int, ...]


def _pub_set(pub_idx: int | Iterable[int]) -> set[int]:
    return {pub_idx} if isinstance(pub_idx, int) else set(pub_idx)


class ExecutionSpan:
    """Base class of spans: a start and stop time (UTC) and per-pub data slices.

    Args:
        start: The start time of the span, in UTC.
        stop: The stop time of the span, in UTC.
        data_slices: A map from pub index to the slice description of the subclass.
    """

    def __init__(self, start: datetime, stop: datetime, data_slices: dict[int, Any]) -> None:
        self._start = start
        self._stop = stop
        self._data_slices = data_slices

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, ExecutionSpan)
            and (self.start, self.stop, self._data_slices)
            == (other.start, other.stop, other._data_slices)
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._start, self._stop))

    def __lt__(self, other: ExecutionSpan) -> bool:
        return (self.start, self.stop) < (other.start, other.stop)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(<start='{self.start:%Y-%m-%d %H:%M:%S}', "
            f"stop='{self.stop:%Y-%m-%d %H:%M:%S}', size={self.size}>)"
        )

    @property
    def start(self) -> datetime:
        """The start time of the span, in UTC."""
        return self._start

    @property
    def stop(self) -> datetime:
        """The stop time of the span, in UTC."""
        return self._stop

    @property
    def duration(self) -> float:
        """The duration of this span, in seconds."""
        return (self.stop - self.start).total_seconds()

    @property
    def pub_idxs(self) -> list[int]:
        """Which pubs, by index, depend on this span."""
        return sorted(self._data_slices)

    @property
    def size(self) -> int:
        """The number of results (shots, for the sampler) depending on this span."""
        return int(sum(self.mask(idx).sum() for idx in self.pub_idxs))

    def contains_pub(self, pub_idx: int | Iterable[int]) -> bool:
        """Whether any of the given pubs depends on this span."""
        return not _pub_set(pub_idx).isdisjoint(self.pub_idxs)

    def filter_by_pub(self, pub_idx: int | Iterable[int]) -> ExecutionSpan:
        """A span of the same kind restricted to the given pubs."""
        keep = _pub_set(pub_idx)
        slices = {i: v for i, v in self._data_slices.items() if i in keep}
        return type(self)(self.start, self.stop, slices)

    def mask(self, pub_idx: int) -> npt.NDArray[np.bool_]:
        """A boolean array shaped like the pub's data, true where it depends on this span."""
        raise NotImplementedError

    def _slices(self, pub_idx: int) -> Any:
        if pub_idx not in self._data_slices:
            raise KeyError(f"Pub {pub_idx} is not included in the span.")
        return self._data_slices[pub_idx]


class SliceSpan(ExecutionSpan):
    """A span covering one flat slice of each pub's data: ``{pub: (shape, slice)}``."""

    def mask(self, pub_idx: int) -> npt.NDArray[np.bool_]:
        shape, data_slice = self._slices(pub_idx)
        mask = np.zeros(shape, dtype=np.bool_)
        mask.ravel()[data_slice] = True
        return mask


class DoubleSliceSpan(ExecutionSpan):
    """A span slicing parameter sets and shots: ``{pub: (shape, args_slice, shots_slice)}``."""

    @property
    def size(self) -> int:
        total = 0
        for shape, args_sl, shots_sl in self._data_slices.values():
            args = len(range(math.prod(shape[:-1]))[args_sl])
            total += args * len(range(shape[-1])[shots_sl])
        return total

    def mask(self, pub_idx: int) -> npt.NDArray[np.bool_]:
        shape, args_sl, shots_sl = self._slices(pub_idx)
        mask = np.zeros(shape, dtype=np.bool_)
        mask.reshape(math.prod(shape[:-1]), shape[-1])[args_sl, shots_sl] = True
        return mask


class TwirledSliceSpan(ExecutionSpan):
    """A span over twirled data: ``{pub: (shape, at_front, args_slice, shots_slice, ...)}``.

    When ``at_front`` is true the first data axis runs over twirling randomisations; the mask
    moves it next to the shots axis and merges the two, as the runtime's results do.
    """

    def mask(self, pub_idx: int) -> npt.NDArray[np.bool_]:
        shape, at_front, args_sl, shots_sl = self._slices(pub_idx)[:4]
        mask = np.zeros(shape, dtype=np.bool_)
        mask.reshape(math.prod(shape[:-1]), shape[-1])[args_sl, shots_sl] = True
        if at_front:
            ndim = len(shape)
            mask = mask.transpose((*range(1, ndim - 1), 0, ndim - 1))
            shape = shape[1:-1] + shape[:1] + shape[-1:]
        return mask.reshape((*shape[:-2], math.prod(shape[-2:])))


class TwirledSliceSpanV2(TwirledSliceSpan):
    """A twirled span that also records each pub's requested shots (masks are cut to them)."""

    def __init__(
        self,
        start: datetime,
        stop: datetime,
        data_slices: dict[int, Any],
        pub_shots: dict[int, int] | None = None,
    ) -> None:
        super().__init__(start, stop, data_slices)
        self._pub_shots = dict(pub_shots or {})

    def mask(self, pub_idx: int) -> npt.NDArray[np.bool_]:
        full = super().mask(pub_idx)
        shots = self._pub_shots.get(pub_idx)
        return full if shots is None else full[..., :shots]

    def filter_by_pub(self, pub_idx: int | Iterable[int]) -> TwirledSliceSpanV2:
        keep = _pub_set(pub_idx)
        slices = {i: v for i, v in self._data_slices.items() if i in keep}
        shots = {i: v for i, v in self._pub_shots.items() if i in keep}
        return TwirledSliceSpanV2(self.start, self.stop, slices, shots)


class ExecutionSpans:
    """An ordered collection of execution spans."""

    def __init__(self, spans: Iterable[ExecutionSpan]) -> None:
        self._spans = list(spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, idx: int) -> ExecutionSpan:
        return self._spans[idx]

    def __iter__(self) -> Iterator[ExecutionSpan]:
        return iter(self._spans)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExecutionSpans) and self._spans == other._spans

    def __hash__(self) -> int:
        return hash(tuple(self._spans))

    def __repr__(self) -> str:
        return f"ExecutionSpans({self._spans!r})"

    @property
    def pub_idxs(self) -> list[int]:
        """Pub indices covered by any span."""
        return sorted({i for span in self for i in span.pub_idxs})

    @property
    def start(self) -> datetime:
        """The earliest start of all spans."""
        return min(span.start for span in self)

    @property
    def stop(self) -> datetime:
        """The latest stop of all spans."""
        return max(span.stop for span in self)

    @property
    def duration(self) -> float:
        """Seconds from the first start to the last stop."""
        return (self.stop - self.start).total_seconds()

    def filter_by_pub(self, pub_idx: int | Iterable[int]) -> ExecutionSpans:
        """Spans restricted to the given pubs."""
        return ExecutionSpans(span.filter_by_pub(pub_idx) for span in self)

    def sort(self, inplace: bool = True) -> ExecutionSpans:
        """Sort spans by (start, stop), in place or as a copy."""
        target = self if inplace else ExecutionSpans(self._spans)
        target._spans.sort()
        return target
