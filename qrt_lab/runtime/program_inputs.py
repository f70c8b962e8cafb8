"""``job.inputs`` of the schema-versioned programs, decoded as the official client decodes them.

The official ``RuntimeDecoder`` turns the ``params`` of an ``executor`` job into its
``QuantumProgram`` and ``ExecutorOptions``, those of a ``calibrate`` job into
``CalibratorOptions``, and those of a ``NoiseLearnerV3`` job (``noise-learner`` with a
``schema_version``) into its instructions and ``NoiseLearnerV3Options``; a document it cannot
convert is returned as sent, with a warning.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qiskit.circuit import CircuitInstruction

    from .options_models import CalibratorOptions, ExecutorOptions, NoiseLearnerV3Options
    from .quantum_program import QuantumProgram

__all__ = ["decode_executor_params", "decode_inputs"]


def decode_executor_params(params: dict[str, Any]) -> tuple[QuantumProgram, ExecutorOptions]:
    """An ``executor`` job's ``params`` (schema v2.0) as its program and options.

    Raises:
        ValueError: Another schema version, or a document that is not schema v2.0's.
    """
    from ibm_quantum_schemas.executor.version_2_0 import ParamsModel
    from samplomatic.quantum_program import CircuitItem, SamplexItem

    from .options_models import ExecutorOptions
    from .quantum_program import QuantumProgram
    from .quantum_program.wire import SCHEMA_VERSION, _tree_from_wire

    if params.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(
            f"executor params of schema {params.get('schema_version')!r}: this client reads "
            f"{SCHEMA_VERSION}"
        )
    model = ParamsModel.model_validate(params)
    wire = model.quantum_program
    circuits = wire.circuits.to_python(use_cached=True)
    items: list[Any] = []
    for circuit, item in zip(circuits, wire.items, strict=True):
        chunk_size = None if item.chunk_size == "auto" else item.chunk_size
        if item.item_type == "circuit":
            arguments = item.circuit_arguments.to_numpy()
            items.append(CircuitItem(circuit, circuit_arguments=arguments, chunk_size=chunk_size))
        else:
            samplex = item.samplex.to_samplex(use_cached=True)
            values = samplex.inputs().make_broadcastable()
            for name, value in item.samplex_arguments.items():
                values[name] = _argument(value)
            items.append(
                SamplexItem(
                    circuit=circuit,
                    samplex=samplex,
                    samplex_arguments=values,
                    chunk_size=chunk_size,
                    shape=tuple(item.shape),
                )
            )
    program = QuantumProgram(
        shots=wire.shots,
        items=items,
        meas_level=wire.meas_level,
        passthrough_data=_tree_from_wire(wire.passthrough_data),
    )
    program._semantic_role = wire.semantic_role
    options = ExecutorOptions()
    options.execution.init_qubits = model.options.init_qubits
    options.execution.rep_delay = model.options.rep_delay
    options.experimental = model.options.experimental
    return program, options


def _argument(value: Any) -> Any:
    from ibm_quantum_schemas.common import CompressedTensorModel, PauliLindbladMapModel

    if isinstance(value, CompressedTensorModel):
        return value.to_numpy()
    if isinstance(value, PauliLindbladMapModel):
        return value.to_pauli_lindblad_map()
    return value


def _calibrator_options(params: dict[str, Any]) -> CalibratorOptions:
    from ibm_quantum_schemas.calibrator.version_0_1 import ParamsModel

    from .options_models import CalibratorOptions

    model = ParamsModel.model_validate(params)
    options = CalibratorOptions()
    options.experimental = dict(model.options.experimental)
    return options


def _noise_learner_v3_inputs(
    params: dict[str, Any],
) -> tuple[list[CircuitInstruction], NoiseLearnerV3Options]:
    from ibm_quantum_schemas.noise_learner_v3.version_0_3 import ParamsModel

    from .options_models import NoiseLearnerV3Options

    if params.get("schema_version") != "v0.3":
        raise ValueError(f"schema {params.get('schema_version')!r}: this client reads v0.3")
    model = ParamsModel.model_validate(params)
    execution = {"init_qubits", "rep_delay"}
    top = model.options.model_dump(exclude_none=True, exclude=execution)
    top.pop("post_selection", None)
    top["execution"] = model.options.model_dump(exclude_none=True, include=execution)
    return list(model.instructions.to_quantum_circuit()), NoiseLearnerV3Options(**top)


def decode_inputs(program_id: str | None, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the program's objects decoded (executor, calibrate, NLV3), else as is."""
    if program_id not in ("executor", "calibrate", "noise-learner"):
        return params
    if "schema_version" not in params:
        return params
    try:
        if program_id == "executor":
            program, options = decode_executor_params(params)
            return {**params, "quantum_program": program, "options": options}
        if program_id == "noise-learner":
            instructions, learner_options = _noise_learner_v3_inputs(params)
            return {**params, "instructions": instructions, "options": learner_options}
        return {**params, "options": _calibrator_options(params)}
    except Exception as exc:  # noqa: BLE001 - as the official decoder: warn, keep the document
        warnings.warn(
            f"Unable to convert the {program_id} job's 'params' to its program and options "
            f"({type(exc).__name__}: {exc}); job.inputs returns them as sent.",
            stacklevel=3,
        )
        return params
