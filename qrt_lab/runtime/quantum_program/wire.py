"""Schema v2.0 of the ``executor`` program on the wire (ibm-quantum-schemas models).

``encode_params`` turns a program and its options into ``ParamsModel`` JSON; ``decode_result``
turns a ``QuantumProgramResultModel`` text into a ``QuantumProgramResult``.
"""

from __future__ import annotations

from datetime import timezone
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..options_models import ExecutorOptions
    from .program import QuantumProgram
    from .results import QuantumProgramResult

__all__ = ["SCHEMA_VERSION", "decode_result", "encode_params"]

SCHEMA_VERSION = "v2.0"


def _tree_to_wire(tree: Any) -> Any:
    from ibm_quantum_schemas.common import CompressedTensorModel

    if isinstance(tree, dict):
        return {key: _tree_to_wire(value) for key, value in tree.items()}
    if isinstance(tree, list | tuple):
        return [_tree_to_wire(value) for value in tree]
    if isinstance(tree, np.ndarray):
        return CompressedTensorModel.from_numpy(tree)
    return tree


def _tree_from_wire(tree: Any) -> Any:
    from ibm_quantum_schemas.common import CompressedTensorModel

    if isinstance(tree, CompressedTensorModel):
        return tree.to_numpy()
    if isinstance(tree, dict):
        return {key: _tree_from_wire(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [_tree_from_wire(value) for value in tree]
    return tree


def _samplex_arguments(item: Any) -> dict[str, Any]:
    from ibm_quantum_schemas.common import CompressedTensorModel, PauliLindbladMapModel
    from samplomatic.tensor_interface import PauliLindbladMapSpecification, TensorSpecification

    arguments: dict[str, Any] = {}
    for spec in item.samplex_arguments.specs:
        if spec.name not in item.samplex_arguments:
            continue
        value = item.samplex_arguments[spec.name]
        if isinstance(spec, TensorSpecification) or isinstance(value, np.ndarray):
            arguments[spec.name] = CompressedTensorModel.from_numpy(value)
        elif isinstance(spec, PauliLindbladMapSpecification):
            arguments[spec.name] = PauliLindbladMapModel.from_pauli_lindblad_map(value)
        else:
            arguments[spec.name] = value
    return arguments


def _item_model(item: Any) -> Any:
    from ibm_quantum_schemas.common import F64CompressedTensorModel, SamplexModel
    from ibm_quantum_schemas.executor.version_2_0 import CircuitItemModel, SamplexItemModel
    from samplomatic.quantum_program import CircuitItem, SamplexItem
    from samplomatic.ssv import SSV

    chunk_size = "auto" if item.chunk_size is None else item.chunk_size
    if isinstance(item, CircuitItem):
        return CircuitItemModel(
            circuit_arguments=F64CompressedTensorModel.from_numpy(item.circuit_arguments),
            chunk_size=chunk_size,
            shape=[],
        )
    if isinstance(item, SamplexItem):
        return SamplexItemModel(
            samplex=SamplexModel.from_samplex(item.samplex, ssv=SSV),
            samplex_arguments=_samplex_arguments(item),
            shape=item.shape,
            chunk_size=chunk_size,
        )
    raise TypeError(f"Item {item!r} is neither a CircuitItem nor a SamplexItem.")


def encode_params(program: QuantumProgram, options: ExecutorOptions) -> dict[str, Any]:
    """The ``params`` of an ``executor`` job (schema v2.0) as JSON-ready data."""
    from ibm_quantum_schemas.common import CompressedQpyDataModel
    from ibm_quantum_schemas.executor.version_2_0 import ParamsModel, QuantumProgramModel
    from qiskit.qpy import QPY_VERSION

    program_options: dict[str, Any] = options.execution.model_dump()
    if options.experimental:
        program_options["experimental"] = options.experimental
    model = ParamsModel(
        quantum_program=QuantumProgramModel(
            shots=program.shots,
            circuits=CompressedQpyDataModel.from_python(
                [item.circuit for item in program.items], qpy_version=QPY_VERSION
            ),
            items=[_item_model(item) for item in program.items],
            meas_level=program.meas_level,
            passthrough_data=_tree_to_wire(program.passthrough_data),
            semantic_role=getattr(program, "_semantic_role", None),
        ),
        options=program_options,
    )
    dumped: dict[str, Any] = model.model_dump(mode="json")
    return dumped


def decode_result(text: str) -> QuantumProgramResult:
    """A ``QuantumProgramResultModel`` v2.0 text as a ``QuantumProgramResult``.

    Raises:
        ValueError: The text is not a v2.0 executor result.
    """
    import json

    from ibm_quantum_schemas.executor.version_2_0 import QuantumProgramResultModel
    from samplomatic.quantum_program import ChunkPart, ChunkSpan

    from .results import (
        ItemMetadata,
        Metadata,
        QuantumProgramItemResult,
        QuantumProgramResult,
        SchedulerTiming,
        StretchValues,
    )

    try:
        model = QuantumProgramResultModel.model_validate_json(text)
    except ValueError as err:  # pydantic's ValidationError; name the version when it is that
        try:
            version = json.loads(text).get("schema_version")
        except (ValueError, AttributeError):
            version = None
        if version is not None and version != SCHEMA_VERSION:
            raise ValueError(
                f"Executor result schema {version!r} is not supported (this client reads "
                f"{SCHEMA_VERSION}); upgrade qrt-lab or resubmit the program with this client."
            ) from None
        raise ValueError(f"Not a valid executor result document: {err}") from None
    spans = [
        ChunkSpan(
            span.start.replace(tzinfo=timezone.utc),
            span.stop.replace(tzinfo=timezone.utc),
            [ChunkPart(part.idx_item, part.size) for part in span.parts],
        )
        for span in model.metadata.chunk_timing
    ]
    data = []
    for item in model.data:
        timing = item.metadata.scheduler_timing
        stretches = item.metadata.stretch_values
        metadata = ItemMetadata(
            scheduler_timing=SchedulerTiming(**dict(timing)) if timing else None,
            stretch_values=[StretchValues(**dict(s)) for s in stretches] if stretches else None,
        )
        arrays = {name: value.to_numpy() for name, value in item.results.items()}
        data.append(QuantumProgramItemResult(arrays, metadata))
    result = QuantumProgramResult(
        data, Metadata(chunk_timing=spans), _tree_from_wire(model.passthrough_data)
    )
    result._semantic_role = model.semantic_role
    return result
