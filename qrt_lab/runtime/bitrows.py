"""Shot rows of packed bit arrays, counted with numpy (no qiskit import).

A sampler register is a ``uint8`` array of shape ``(..., shots, ceil(num_bits / 8))`` with
big-endian bytes. Counting distinct rows with ``numpy.unique`` and converting only those is many
times faster than converting every shot; the server's result summaries and the client's
``CountingBitArray`` both count this way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]

__all__ = ["bitstrings", "shot_rows", "unique_rows"]


def shot_rows(array: Array, num_bits: int) -> Array:
    """All shots of a packed array as 2-d rows, with bits above ``num_bits`` cleared.

    Qiskit ignores those bits; clearing them makes rows that differ only there compare equal.
    """
    width = array.shape[-1] if array.ndim else 1
    if width == 0:
        return np.zeros((int(np.prod(array.shape[:-1])), 0), dtype=np.uint8)
    rows: Array = np.ascontiguousarray(array, dtype=np.uint8).reshape(-1, width)
    extra = width * 8 - num_bits
    if extra > 0 and rows.size:
        rows = rows.copy()
        rows[:, : extra // 8] = 0
        if extra % 8:
            rows[:, extra // 8] &= np.uint8((1 << (8 - extra % 8)) - 1)
    return rows


def unique_rows(rows: Array) -> tuple[Array, Array]:
    """Distinct rows of a 2-d uint8 array and their counts, in order of first appearance."""
    if rows.shape[0] == 0:
        return rows, np.zeros(0, dtype=np.int64)
    if rows.shape[1] == 0:
        return rows[:1], np.array([rows.shape[0]], dtype=np.int64)
    contiguous = np.ascontiguousarray(rows)
    keys = contiguous.view(np.dtype((np.void, contiguous.shape[1]))).ravel()
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return contiguous[first[order]], counts[order]


def bitstrings(rows: Array, num_bits: int) -> list[str]:
    """Big-endian byte rows as '0'/'1' strings of their low ``num_bits`` bits."""
    if rows.shape[0] == 0:
        return []
    if num_bits == 0:
        return [""] * rows.shape[0]
    chars = np.unpackbits(rows, axis=1)[:, rows.shape[1] * 8 - num_bits :] + np.uint8(48)
    return [key.decode("ascii") for key in chars.view(f"S{num_bits}").ravel().tolist()]
