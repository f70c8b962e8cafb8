"""Executor results with semantic role ``sampler_v2`` into a Sampler ``PrimitiveResult``."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import numpy as np
from qiskit.primitives.containers import BitArray, DataBin, PrimitiveResult, SamplerPubResult

if TYPE_CHECKING:
    from ..quantum_program.results import QuantumProgramItemResult, QuantumProgramResult

__all__ = ["sampler_result"]

FLIPS = "measurement_flips."


def _post_processor(result: QuantumProgramResult) -> dict[str, Any]:
    passthrough = result.passthrough_data
    if not isinstance(passthrough, dict) or not isinstance(passthrough.get("post_processor"), dict):
        raise ValueError("Missing 'post_processor' in passthrough data.")
    block: dict[str, Any] = passthrough["post_processor"]
    if block.get("version") != "v0.1":
        raise ValueError(f"No post-processor found for sampler_v2 version {block.get('version')}.")
    for key in ("twirling", "meas_type", "shots", "options"):
        if block.get(key) is None:
            raise ValueError(f"Missing '{key}' in passthrough data.")
    return block


def _undo_twirling(item: QuantumProgramItemResult) -> None:
    for key in [key for key in item if key.startswith(FLIPS)]:
        target = key[len(FLIPS) :]
        if target not in item:
            raise ValueError(f"Measurement flip key {key!r} references no register {target!r}.")
        item[target] = item[target] ^ item.pop(key)


def _pub_metadata(item: Any, circuit_metadata: Any, num_rand: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {"circuit_metadata": circuit_metadata or {}}
    if num_rand > 0:
        metadata["num_randomizations"] = num_rand
    timing = getattr(item.metadata, "scheduler_timing", None)
    if timing:
        compilation = metadata.setdefault("compilation", {})
        compilation["scheduler_timing"] = {
            "timing": timing.timing,
            "circuit_duration": timing.circuit_duration,
        }
    stretches = getattr(item.metadata, "stretch_values", None)
    if stretches:
        compilation = metadata.setdefault("compilation", {})
        compilation["stretch_values"] = [
            {**asdict(s), "expanded_values": [list(v) for v in s.expanded_values]}
            for s in stretches
        ]
    return metadata


def _pub_result(
    item: Any,
    pub_shape: tuple[int, ...],
    twirled: bool,
    meas_type: str,
    circuit_metadata: Any,
    num_rand: int,
) -> SamplerPubResult:
    if len(item) == 0:
        raise ValueError("Found an item without data.")
    _undo_twirling(item)
    arrays: dict[str, Any] = {}
    for name, data in list(item.items()):
        if twirled and meas_type == "avg_kerneled":
            data = data.mean(axis=0)
        elif twirled:
            moved = np.moveaxis(data, 0, len(pub_shape))
            data = moved.reshape(
                *pub_shape, data.shape[0] * data.shape[len(pub_shape) + 1], data.shape[-1]
            )
        if meas_type == "classified":
            arrays[name] = BitArray.from_bool_array(data, order="little")
        else:
            arrays[name.removesuffix("_avg_iq").removesuffix("_iq")] = data
    return SamplerPubResult(
        DataBin(**arrays, shape=pub_shape),
        metadata=_pub_metadata(item, circuit_metadata, num_rand),
    )


def sampler_result(result: QuantumProgramResult) -> PrimitiveResult[SamplerPubResult]:
    """The Sampler result of an executor job built by a client-side Sampler (either client's).

    Raises:
        ValueError: The passthrough data is not a sampler_v2 v0.1 block.
    """
    if len(result) == 0:
        return PrimitiveResult([])
    block = _post_processor(result)
    twirled, meas_type = bool(block["twirling"]), str(block["meas_type"])
    num_rand = 0
    if twirled:
        found = {array.shape[0] for array in result[0].values()}
        if len(found) != 1:
            raise ValueError("Unable to uniquely identify the number of randomizations.")
        num_rand = found.pop()
    start, end = (1 if twirled else 0), (-1 if meas_type == "avg_kerneled" else -2)
    circuits_metadata = block.get("circuits_metadata") or [None] * len(result)
    if len(circuits_metadata) != len(result):
        raise ValueError(
            f"Number of circuit metadata items ({len(circuits_metadata)}) does not match "
            f"number of pubs ({len(result)})."
        )
    pubs = []
    for item, circuit_metadata in zip(result, circuits_metadata, strict=True):
        shape = tuple(next(iter(item.values())).shape[start:end])
        pubs.append(_pub_result(item, shape, twirled, meas_type, circuit_metadata, num_rand))
    metadata = {"executor": result.metadata, "options": block["options"], "shots": block["shots"]}
    return PrimitiveResult(pubs, metadata=metadata)
