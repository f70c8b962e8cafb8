"""Summaries of ``executor`` program results (``QuantumProgramResultModel`` v2.0), without qiskit.

Each item's classical registers are bool tensors of shape ``(*shape, shots, bits)`` sent as
``{"data": base64(zlib(bytes)), "shape", "dtype": "bool"}`` with bits packed little-endian.
They are repacked into the big-endian rows ``BitArray`` uses, so an item summarises exactly like
a sampler PUB (``register_summary``). Anything malformed raises ``ExecutorResultError``.
"""

from __future__ import annotations

import base64
import binascii
import math
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from .results import register_summary

__all__ = [
    "ExecutorResultError",
    "decode_bool_tensor",
    "executor_registers",
    "is_executor_result",
    "summarize_executor",
]

Array = np.ndarray[Any, Any]

#: Largest decompressed tensor summarised (bytes); bigger documents fall back to the raw text.
MAX_TENSOR_BYTES = 256 * 1024 * 1024


class ExecutorResultError(ValueError):
    """An executor result document is not one this summary understands."""


@dataclass(frozen=True)
class _PackedBits:
    """The three ``BitArray`` attributes ``register_summary`` reads."""

    array: Array
    num_bits: int
    num_shots: int


def is_executor_result(result: Any) -> bool:
    """Whether a decoded result body is an executor ``QuantumProgramResultModel`` document."""
    return (
        isinstance(result, dict)
        and isinstance(result.get("schema_version"), str)
        and "data" in result
        and "__type__" not in result
    )


def decode_bool_tensor(tensor: Any) -> Array:
    """Decode one ``CompressedTensorModel`` with ``dtype == "bool"`` into a bool array.

    Raises:
        ExecutorResultError: if the document, its shape or its payload is malformed.
    """
    if not isinstance(tensor, dict) or tensor.get("dtype") != "bool":
        raise ExecutorResultError("not a bool tensor")
    shape = tensor.get("shape")
    data = tensor.get("data")
    if not isinstance(shape, list) or not isinstance(data, str):
        raise ExecutorResultError("a tensor needs a 'shape' list and a 'data' string")
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise ExecutorResultError("tensor shape entries must be non-negative integers")
    size = math.prod(shape)
    expected = (size + 7) // 8
    if expected > MAX_TENSOR_BYTES:
        raise ExecutorResultError("tensor too large to summarise")
    try:
        compressed = base64.b64decode(data, validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, expected + 1)
    except (binascii.Error, zlib.error, ValueError) as exc:
        raise ExecutorResultError(f"tensor payload is not base64(zlib(bytes)): {exc}") from exc
    if len(raw) != expected:
        raise ExecutorResultError(f"tensor payload has {len(raw)} bytes, shape needs {expected}")
    bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")[:size]
    return bits.astype(bool).reshape(shape)


def _packed(bools: Array) -> _PackedBits:
    """Bool columns (column ``i`` = bit ``i``) as big-endian packed rows, like ``BitArray``."""
    num_bits = bools.shape[-1]
    pad = (-num_bits) % 8
    reversed_bits = bools[..., ::-1]
    if pad:
        zeros = np.zeros((*bools.shape[:-1], pad), dtype=bool)
        reversed_bits = np.concatenate([zeros, reversed_bits], axis=-1)
    array = np.packbits(reversed_bits, axis=-1, bitorder="big")
    return _PackedBits(array=array, num_bits=int(num_bits), num_shots=int(bools.shape[-2]))


def _item_registers(index: int, item: Any) -> tuple[dict[str, _PackedBits], list[int], int | None]:
    """The packed registers of one item, its shape and its shots."""
    if not isinstance(item, dict) or not isinstance(item.get("results"), dict):
        raise ExecutorResultError(f"item {index} has no 'results' mapping")
    registers: dict[str, _PackedBits] = {}
    shape: list[int] | None = None
    shots: int | None = None
    for name, tensor in item["results"].items():
        # samplex outputs ("measurement_flips.meas", "pauli_signs") and IQ data are not registers
        if not isinstance(name, str) or "." in name or not isinstance(tensor, dict):
            continue
        if tensor.get("dtype") != "bool":
            continue
        bools = decode_bool_tensor(tensor)
        if bools.ndim < 2:
            raise ExecutorResultError(f"item {index} register {name!r} has fewer than 2 axes")
        item_shape, item_shots = list(bools.shape[:-2]), int(bools.shape[-2])
        if shape is not None and (item_shape != shape or item_shots != shots):
            raise ExecutorResultError(f"item {index} registers disagree on shape or shots")
        shape, shots = item_shape, item_shots
        registers[name] = _packed(bools)
    return registers, shape or [], shots


def _item_summary(index: int, item: Any, top_k: int) -> dict[str, Any]:
    packed, shape, shots = _item_registers(index, item)
    registers = {name: register_summary(bits, top_k) for name, bits in packed.items()}
    summary: dict[str, Any] = {"index": index, "shape": shape, "metadata": {}}
    if registers:
        summary["kind"] = "sampler"
        summary["registers"] = registers
        summary["metadata"]["shots"] = shots
    else:
        summary["kind"] = "other"
        summary["arrays"] = {}
    return summary


def executor_registers(result: Any) -> list[dict[str, Any]]:
    """The classical registers of every item, packed like ``BitArray`` (``array``, ``num_bits``).

    Args:
        result: The decoded JSON of a ``QuantumProgramResultModel`` (``is_executor_result``).

    Returns:
        One ``{register name: packed bits}`` per item; arrays are ``(*shape, shots, bytes)``.

    Raises:
        ExecutorResultError: if the document is malformed.
    """
    if not is_executor_result(result) or not isinstance(result["data"], list):
        raise ExecutorResultError("not an executor result document")
    return [_item_registers(i, item)[0] for i, item in enumerate(result["data"])]


def summarize_executor(result: Any, top_k: int = 16) -> dict[str, Any]:
    """Summarise an executor result document like a sampler ``PrimitiveResult``.

    Args:
        result: The decoded JSON of a ``QuantumProgramResultModel`` (``is_executor_result``).
        top_k: Counts kept per classical register.

    Returns:
        ``{"pubs": [one sampler-shaped summary per item], "metadata": {...}}``.

    Raises:
        ExecutorResultError: if the document is malformed (callers fall back to the raw text).
    """
    if not is_executor_result(result) or not isinstance(result["data"], list):
        raise ExecutorResultError("not an executor result document")
    pubs = [_item_summary(i, item, top_k) for i, item in enumerate(result["data"])]
    role = result.get("semantic_role")
    metadata = {
        "version": None,
        "program": "executor",
        "schema_version": result["schema_version"][:32],
        "semantic_role": role[:64] if isinstance(role, str) else None,
    }
    return {"pubs": pubs, "metadata": metadata}
