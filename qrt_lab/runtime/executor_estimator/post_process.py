"""Executor results with semantic role ``estimator_v2`` into an Estimator ``PrimitiveResult``."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import numpy as np
from qiskit.primitives.containers import DataBin, PrimitiveResult, PubResult

if TYPE_CHECKING:
    from ..quantum_program.results import QuantumProgramResult

__all__ = ["EstimatorPubResult", "estimator_result"]


class EstimatorPubResult(PubResult):  # type: ignore[misc]
    """The result of one estimator PUB (``evs``, ``stds`` and, with ZNE, the noise-factor data).

    Figures of the ZNE data: ``qrt_lab.plots.visualization.draw_zne_evs(result)`` (this client
    draws nothing itself).
    """


def _rename(raw: Any, zne: bool) -> DataBin:
    data = raw.data
    if zne:
        return DataBin(
            evs=data.evs,
            stds=data.stds,
            evs_noise_factors=data.evs_noise_factors,
            stds_noise_factors=data.stds_twirl_noise_factors,
            ensemble_stds_noise_factors=data.stds_noise_factors,
            evs_extrapolated=data.evs_extrapolated,
            stds_extrapolated=data.stds_extrapolated,
            shape=data.evs.shape,
        )
    return DataBin(
        evs=data.evs, stds=data.twirl_stds, ensemble_standard_error=data.stds, shape=data.evs.shape
    )


def _item_metadata(metadata: Any) -> dict[str, Any]:
    from ..quantum_program.results import ItemMetadata

    if not isinstance(metadata, ItemMetadata):
        return {"executor": metadata}
    compilation: dict[str, Any] = {}
    if metadata.scheduler_timing:
        compilation["scheduler_timing"] = {
            "timing": metadata.scheduler_timing.timing,
            "circuit_duration": metadata.scheduler_timing.circuit_duration,
        }
    if metadata.stretch_values:
        compilation["stretch_values"] = [
            {**asdict(s), "expanded_values": [list(v) for v in s.expanded_values]}
            for s in metadata.stretch_values
        ]
    return {"compilation": compilation}


def _pub_metadata(result: QuantumProgramResult, index: int, task: Any, raw: Any) -> dict[str, Any]:
    from qiskit_mitigation import PEA, GateFolding

    if isinstance(task, GateFolding) and task.noise_factors is not None:
        count = len(task.noise_factors)
        metas = [_item_metadata(result[index * count + k].metadata) for k in range(count)]
        meta: dict[str, Any] = {key: [m[key] for m in metas] for key in metas[0]}
    else:
        meta = _item_metadata(result[index].metadata)
    if isinstance(task, GateFolding | PEA):
        chosen = [
            terms[0] if all(t == terms[0] for t in terms) else "multiple"
            for terms in raw.metadata["selected_extrapolators"]
        ]
        shape = np.broadcast_shapes(task.param_shape, task.observables.shape)
        meta["resilience"] = {"zne": {"extrapolators": np.asarray(chosen).reshape(shape)}}
    return meta


def _job_metadata(block: dict[str, Any]) -> dict[str, Any]:
    options = block.get("options")
    if options is None:
        return {}
    options = dict(options)
    if "resilience" in options:
        resilience = dict(options["resilience"])
        for flag, key in (("zne_mitigation", "zne"), ("pec_mitigation", "pec"),
                          ("measure_mitigation", "measure_noise_learning")):  # fmt: skip
            if not resilience.get(flag):
                resilience.pop(key, None)
        options["resilience"] = resilience
    return {"options": options, "target_precision": block.get("precision"),
            "shots": block.get("shots")}  # fmt: skip


def estimator_result(result: QuantumProgramResult) -> PrimitiveResult[EstimatorPubResult]:
    """The Estimator result of an executor job built by a client-side Estimator (either client's).

    Raises:
        ValueError: The passthrough data is not an estimator_v2 v0.1 block.
    """
    from qiskit_mitigation import PEA, GateFolding
    from qiskit_mitigation.utils.utils import load_tasks_from_result

    if len(result) == 0:
        return PrimitiveResult([])
    passthrough = result.passthrough_data
    block = passthrough.get("post_processor") if isinstance(passthrough, dict) else None
    if not isinstance(block, dict):
        raise ValueError("Missing 'post_processor' in passthrough data.")
    if block.get("version") != "v0.1":
        raise ValueError(
            f"No post-processor found for estimator_v2 version {block.get('version')}."
        )
    num_pubs = int(block["num_pubs"])
    circuits_metadata = block.get("circuits_metadata") or [None] * num_pubs
    tasks = load_tasks_from_result(result)
    if len(tasks) != num_pubs or len(circuits_metadata) != num_pubs:
        raise ValueError(f"Expected {num_pubs} pubs in the passthrough data, found {len(tasks)}.")
    pubs = []
    for index, task in enumerate(tasks):
        if isinstance(task.param_shape, list):
            task.param_shape = tuple(task.param_shape)
        raw = task.postprocess(result)
        data = _rename(raw, isinstance(task, GateFolding | PEA))
        meta = _pub_metadata(result, index, task, raw)
        if circuits_metadata[index] is not None:
            meta["circuit_metadata"] = circuits_metadata[index]
        pubs.append(EstimatorPubResult(data=data, metadata=meta))
    metadata = _job_metadata(block)
    metadata["executor"] = result.metadata
    return PrimitiveResult(pubs, metadata=metadata)
