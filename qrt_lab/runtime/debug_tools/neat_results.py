"""Results of ``Neat``: expectation values that combine with arithmetic and with PUB results."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from qiskit.primitives.containers import DataBin, PubResult

__all__ = ["NeatPubResult", "NeatResult"]


class NeatPubResult:
    """The expectation values of one PUB; supports ``+ - * / **`` and ``abs`` with numbers,
    other ``NeatPubResult``, ``PubResult`` (their ``data.evs``) and ``DataBin`` (their ``evs``)."""

    def __init__(self, vals: Any) -> None:
        self._vals = np.array(vals, dtype=float)

    @property
    def vals(self) -> np.ndarray:
        """The expectation values."""
        return self._vals

    def _apply(self, other: Any, op_name: str) -> NeatPubResult:
        if not isinstance(other, int | float):
            if isinstance(other, NeatPubResult):
                other = other.vals
            elif isinstance(other, PubResult):
                other = other.data.evs
            elif isinstance(other, DataBin):
                if not hasattr(other, "evs"):
                    raise ValueError(
                        f"Cannot apply operator '{op_name}' between 'NeatPubResult' and 'DataBin'"
                        " that has no attribute ``evs``."
                    )
                other = other.evs
            else:
                raise ValueError(
                    f"Cannot apply operator '{op_name}' to objects of type 'NeatPubResult' and "
                    f"'{other.__class__}'."
                )
        return NeatPubResult(getattr(self.vals, op_name)(other))

    def __abs__(self) -> NeatPubResult:
        return NeatPubResult(np.abs(self.vals))

    def __add__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__add__")

    def __mul__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__mul__")

    def __sub__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__sub__")

    def __truediv__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__truediv__")

    def __radd__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__radd__")

    def __rmul__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__rmul__")

    def __rsub__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__rsub__")

    def __rtruediv__(self, other: Any) -> NeatPubResult:
        return self._apply(other, "__rtruediv__")

    def __pow__(self, p: float) -> NeatPubResult:
        return NeatPubResult(self._vals**p)

    def __repr__(self) -> str:
        return f"NeatPubResult(vals={self.vals!r})"


class NeatResult:
    """One ``NeatPubResult`` per PUB."""

    def __init__(self, pub_results: Iterable[NeatPubResult]) -> None:
        self._pub_results = list(pub_results)

    def __getitem__(self, index: int) -> NeatPubResult:
        return self._pub_results[index]

    def __len__(self) -> int:
        return len(self._pub_results)

    def __iter__(self) -> Iterator[NeatPubResult]:
        return iter(self._pub_results)

    def __repr__(self) -> str:
        return f"NeatResult({self._pub_results})"
