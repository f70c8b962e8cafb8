"""A Qiskit ``BitArray`` whose counting is vectorised.

``BitArray.get_counts`` converts every shot row in a Python loop. Here distinct rows are found
with ``numpy.unique`` and only those are converted (see :mod:`.bitrows`). The dictionaries are
equal to Qiskit's (keys in order of first appearance).
"""

from __future__ import annotations

from typing import Any

from qiskit.primitives.containers import BitArray

from qrt_lab.runtime.bitrows import bitstrings, shot_rows, unique_rows


def _merge(keys: list[Any], counts: list[int]) -> dict[Any, int]:
    result: dict[Any, int] = {}
    for key, count in zip(keys, counts, strict=True):
        result[key] = result.get(key, 0) + count
    return result


class CountingBitArray(BitArray):  # type: ignore[misc]  # qiskit ships no type hints
    """A ``BitArray`` with the same API and fast ``get_counts``/``get_int_counts``."""

    def _unique(self, loc: Any) -> tuple[Any, list[int]]:
        array = self.array if loc is None else self.array[loc]
        rows, counts = unique_rows(shot_rows(array, self.num_bits))
        return rows, counts.tolist()

    def get_counts(self, loc: int | tuple[int, ...] | None = None) -> dict[str, int]:
        """A counts dictionary with bitstring keys (see ``BitArray.get_counts``)."""
        rows, counts = self._unique(loc)
        return _merge(bitstrings(rows, self.num_bits), counts)

    def get_int_counts(self, loc: int | tuple[int, ...] | None = None) -> dict[int, int]:
        """A counts dictionary with integer keys (see ``BitArray.get_int_counts``)."""
        rows, counts = self._unique(loc)
        return _merge([int.from_bytes(row, "big") for row in rows.tolist()], counts)
