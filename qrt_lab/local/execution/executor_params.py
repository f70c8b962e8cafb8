"""Decode an ``executor`` job's params (schema v2.0) into circuits and parameter rows.

The document is validated with ``ibm-quantum-schemas``' own models, so the service reads
exactly what IBM's does. Circuits come from one QPY blob (zlib + base64); a samplex item's
samplex is loaded with ``samplomatic``, finalized, and sampled over the item's shape, giving one
row of template parameters per element plus the samplex's other outputs
(``measurement_flips.<creg>``, ``pauli_signs``). Serialization versions newer than this
service's qiskit or samplomatic fail with a message saying which library to upgrade.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit

from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

from .samplex_sampling import sample_over_shape

__all__ = ["DecodedItem", "DecodedProgram", "decode_program"]

SCHEMA_VERSION = "v2.0"
#: Angles are rounded to this many decimals of quarter turns, so Clifford twirls stay Clifford.
ANGLE_DECIMALS = 5


@dataclass
class DecodedItem:
    """One item of a quantum program, ready to simulate.

    Attributes:
        circuit: The (template) circuit.
        shape: The item's shape: one simulated circuit per element.
        rows: ``(prod(shape), circuit.num_parameters)`` parameter values, columns in
            ``circuit.parameters`` order.
        outputs: Samplex outputs other than ``parameter_values``, ``(*shape, *intrinsic)``.
    """

    circuit: QuantumCircuit
    shape: tuple[int, ...]
    rows: np.ndarray
    outputs: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class DecodedProgram:
    """A decoded quantum program and the execution options that came with it."""

    shots: int
    items: list[DecodedItem]
    meas_level: str
    options: dict[str, Any]
    passthrough_data: Any
    semantic_role: str | None


def _library(name: str) -> str:
    try:
        return f"{name} {version(name)}"
    except Exception:  # noqa: BLE001 - a missing distribution record only loses the number
        return name


def _check_versions(raw: dict[str, Any]) -> None:
    from qiskit.qpy import QPY_VERSION
    from samplomatic.ssv import SSV

    program = raw.get("quantum_program") or {}
    circuits = program.get("circuits") or {}
    qpy = circuits.get("qpy_version") if isinstance(circuits, dict) else None
    if isinstance(qpy, int) and qpy > QPY_VERSION:
        raise JobFailure(
            f"The circuits are serialized with QPY version {qpy}, but this local service's "
            f"{_library('qiskit')} reads QPY up to version {QPY_VERSION}. Upgrade qiskit on the "
            f"service side (pip install -U qiskit where the local service runs, then restart it).",
            BAD_INPUT,
        )
    for index, item in enumerate(program.get("items") or []):
        ssv = (item.get("samplex") or {}).get("ssv") if isinstance(item, dict) else None
        if isinstance(ssv, int) and ssv > SSV:
            raise JobFailure(
                f"Item {index}: the samplex is serialized with samplex serialization version "
                f"(SSV) {ssv}, but this local service's {_library('samplomatic')} reads SSV up "
                f"to {SSV}. Upgrade samplomatic on the service side (pip install -U samplomatic "
                f"where the local service runs, then restart it).",
                BAD_INPUT,
            )


def _field_errors(exc: Any) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"params.{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def _validate(raw: Any) -> Any:
    from ibm_quantum_schemas.executor.version_2_0 import ParamsModel
    from pydantic import ValidationError

    if not isinstance(raw, dict) or raw.get("schema_version") != SCHEMA_VERSION:
        found = raw.get("schema_version") if isinstance(raw, dict) else None
        raise JobFailure(
            f"params.schema_version is {found!r}; the local service runs executor params of "
            f"schema {SCHEMA_VERSION} (sent by qiskit-ibm-runtime 0.49 and later): upgrade "
            f"qiskit-ibm-runtime on the client side.",
            BAD_INPUT,
        )
    _check_versions(raw)
    try:
        return ParamsModel.model_validate(raw)
    except ValidationError as exc:
        raise JobFailure(f"Invalid executor params: {_field_errors(exc)}", BAD_INPUT) from None


def _round_angles(values: np.ndarray) -> np.ndarray:
    quarter = np.pi / 2
    return np.round(values / quarter, decimals=ANGLE_DECIMALS) * quarter


def _circuit_item(index: int, circuit: QuantumCircuit, item: Any) -> DecodedItem:
    arguments = np.asarray(item.circuit_arguments.to_numpy(), dtype=float)
    if arguments.ndim == 0 or arguments.shape[-1] != circuit.num_parameters:
        raise JobFailure(
            f"Item {index}: circuit_arguments has shape {list(arguments.shape)}, but its last "
            f"axis must hold the circuit's {circuit.num_parameters} parameter value(s).",
            BAD_INPUT,
        )
    try:
        shape = np.broadcast_shapes(tuple(item.shape), arguments.shape[:-1])
    except ValueError:
        raise JobFailure(
            f"Item {index}: shape {item.shape} does not broadcast with the circuit_arguments' "
            f"shape {list(arguments.shape[:-1])}.",
            BAD_INPUT,
        ) from None
    full = np.broadcast_to(arguments, (*shape, circuit.num_parameters))
    rows = full.reshape(max(math.prod(shape), 1), circuit.num_parameters)
    return DecodedItem(circuit, tuple(shape), _round_angles(rows))


def _samplex_item(
    index: int, circuit: QuantumCircuit, item: Any, rng: np.random.Generator
) -> DecodedItem:
    from ibm_quantum_schemas.common import CompressedTensorModel, PauliLindbladMapModel

    try:
        samplex = item.samplex.to_samplex().finalize()
        arguments = samplex.inputs().make_broadcastable()
        for name, value in item.samplex_arguments.items():
            if isinstance(value, CompressedTensorModel):
                arguments[name] = value.to_numpy()
            elif isinstance(value, PauliLindbladMapModel):
                arguments[name] = value.to_pauli_lindblad_map()
            else:
                arguments[name] = value
        shape = tuple(item.shape)
        outputs = sample_over_shape(samplex, arguments, shape, rng)
    except JobFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - samplomatic raises many types for bad inputs
        raise JobFailure(
            f"Item {index}: the samplex could not be sampled ({type(exc).__name__}: {exc}).",
            BAD_INPUT,
        ) from None
    values = outputs.pop("parameter_values", None)
    count = circuit.num_parameters
    if values is None:
        values = np.zeros((*shape, 0))
    if values.shape[-1] != count:
        raise JobFailure(
            f"Item {index}: the samplex gives {values.shape[-1]} parameter value(s) per "
            f"element, but its circuit has {count} parameter(s).",
            BAD_INPUT,
        )
    rows = np.asarray(values, dtype=float).reshape(max(math.prod(shape), 1), count)
    return DecodedItem(circuit, shape, _round_angles(rows), outputs)


def decode_program(params_json: str, seed: int | None) -> DecodedProgram:
    """Validate and decode an executor job's params.

    Args:
        params_json: The job's ``params`` as received (JSON text).
        seed: Seeds the samplex randomizations, or None for fresh randomness.

    Raises:
        JobFailure: (1513) for an invalid document, a version newer than this service reads,
            or arguments that do not fit their circuit or samplex.
    """
    try:
        raw = json.loads(params_json)
    except ValueError:
        raise JobFailure("The job's params are not JSON.", BAD_INPUT) from None
    model = _validate(raw)
    program = model.quantum_program
    try:
        circuits = program.circuits.to_python()
    except Exception as exc:  # noqa: BLE001 - QPY and OpenQASM readers raise their own types
        raise JobFailure(
            f"params.quantum_program.circuits could not be loaded ({type(exc).__name__}: {exc}).",
            BAD_INPUT,
        ) from None
    rng = np.random.default_rng(seed)
    items = []
    for index, (circuit, item) in enumerate(zip(circuits, program.items, strict=True)):
        if any(inst.operation.name == "box" for inst in circuit.data):
            raise JobFailure(
                f"Item {index}: the circuit still contains boxes; build it with "
                f"samplomatic.build (or remove the boxes) before submitting.",
                BAD_INPUT,
            )
        if item.item_type == "circuit":
            items.append(_circuit_item(index, circuit, item))
        else:
            items.append(_samplex_item(index, circuit, item, rng))
    passthrough = raw["quantum_program"].get("passthrough_data")
    return DecodedProgram(
        shots=program.shots,
        items=items,
        meas_level=program.meas_level,
        options=model.options.model_dump(mode="json"),
        passthrough_data=passthrough,
        semantic_role=raw["quantum_program"].get("semantic_role"),
    )
