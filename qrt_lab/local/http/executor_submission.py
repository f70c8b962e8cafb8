"""Boundary checks of an ``executor`` job's params (schema v2.0), without importing qiskit.

Structure, types, tensor sizes, the QPY header and the samplex serialization version tag are
checked here so that a malformed document is a 400 naming the field. The worker then validates
the document again with ``ibm-quantum-schemas``' models and decodes it.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
import zlib
from typing import Any

from qrt_lab.local.devices.catalog import Device
from qrt_lab.local.errors import ApiError
from qrt_lab.local.http.limits import is_finite_number, is_int

__all__ = ["SUPPORTED_SCHEMA_VERSIONS", "check_executor_params"]

SCHEMA_VERSION = "v2.0"
#: Every executor params schema version this service runs.
SUPPORTED_SCHEMA_VERSIONS = (SCHEMA_VERSION,)
#: Most elements (bound circuits) one item may hold.
MAX_ITEM_ELEMENTS = 100_000
#: Most values one tensor may hold.
MAX_TENSOR_VALUES = 1 << 24
_ELEMENT_BYTES = {
    "f16": 2,
    "f32": 4,
    "f64": 8,
    "i8": 1,
    "i16": 2,
    "i32": 4,
    "i64": 8,
    "u8": 1,
    "u16": 2,
    "u32": 4,
    "u64": 8,
    "bool": 0.125,
    "c64": 8,
    "c128": 16,
}
_MEAS_LEVELS = ("classified", "kerneled", "avg_kerneled", "both")
_QPY_HEADER = "!6sBBBBQc"
_SSV_TAG = re.compile(r'"ssv\\*"\:\\*"(\d+)')


def _bad(where: str, message: str) -> ApiError:
    return ApiError.bad_request(f"'params.{where}' {message}")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(where, "must be an object.")
    return value


def _decode_b64(text: Any, where: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise _bad(where, "must be a base64 string.")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(where, "is not valid base64.") from None


def _inflate(raw: bytes, limit: int, where: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise _bad(where, "is not zlib-compressed data.") from None
    return out


def _shape(value: Any, where: str, minimum: int) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(is_int(v) and v >= minimum for v in value):
        kind = "positive" if minimum else "non-negative"
        raise _bad(where, f"must be a list of {kind} integers.")
    if len(value) > 32:
        raise _bad(where, "has more than 32 axes.")
    return tuple(value)


def _tensor(value: Any, where: str, dtype: str | None = None) -> tuple[int, ...]:
    tensor = _object(value, where)
    shape = _shape(tensor.get("shape"), f"{where}.shape", 0)
    kind = tensor.get("dtype")
    if not isinstance(kind, str) or kind not in _ELEMENT_BYTES or dtype not in (None, kind):
        allowed = dtype or ", ".join(_ELEMENT_BYTES)
        raise _bad(f"{where}.dtype", f"must be {allowed}; got {kind!r}.")
    count = math.prod(shape)
    if count > MAX_TENSOR_VALUES:
        raise _bad(f"{where}.shape", f"holds {count} values; at most {MAX_TENSOR_VALUES} allowed.")
    expected = math.ceil(count * _ELEMENT_BYTES[kind])
    data = _inflate(_decode_b64(tensor.get("data"), f"{where}.data"), expected, f"{where}.data")
    if len(data) != expected:
        raise _bad(
            f"{where}.data",
            f"holds {len(data)}{'+' if len(data) > expected else ''} bytes, but shape "
            f"{list(shape)} of {kind} needs {expected}.",
        )
    return shape


def _circuits(value: Any, items: int) -> None:
    circuits = _object(value, "quantum_program.circuits")
    if "data" in circuits and "b64_data" not in circuits:
        data = circuits["data"]
        if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
            raise _bad("quantum_program.circuits.data", "must be a list of OpenQASM 3 strings.")
        if len(data) != items:
            raise _bad("quantum_program.circuits.data", "must hold one circuit per item.")
        return
    where = "quantum_program.circuits"
    version: Any = circuits.get("qpy_version")
    count: Any = circuits.get("num_programs")
    if not is_int(version) or version < 10:
        raise _bad(f"{where}.qpy_version", "must be an integer >= 10.")
    if not is_int(count) or count != items:
        raise _bad(f"{where}.num_programs", f"must equal the number of items ({items}).")
    size = struct.calcsize(_QPY_HEADER)
    header = _inflate(_decode_b64(circuits.get("b64_data"), f"{where}.b64_data"), size, where)
    if len(header) < size:
        raise _bad(f"{where}.b64_data", "is too short to hold a QPY file.")
    preface, found, *_rest, programs, _ = struct.unpack(_QPY_HEADER, header[:size])
    if preface != b"QISKIT":
        raise _bad(f"{where}.b64_data", "is not a QPY file (zlib-compressed, base64).")
    if found != version:
        raise _bad(f"{where}.qpy_version", f"is {version} but the QPY data is version {found}.")
    if programs != count:
        raise _bad(f"{where}.num_programs", f"is {count} but the QPY data holds {programs}.")


def _samplex(value: Any, where: str) -> None:
    samplex = _object(value, where)
    ssv: Any = samplex.get("ssv")
    text = samplex.get("samplex_json")
    if not is_int(ssv) or ssv < 1:
        raise _bad(f"{where}.ssv", "must be an integer >= 1.")
    if not isinstance(text, str):
        raise _bad(f"{where}.samplex_json", "must be a JSON string.")
    tag = _SSV_TAG.search(text)
    if tag is None or len(tag.group(1)) > 6 or int(tag.group(1)) != ssv:
        raise _bad(f"{where}.samplex_json", f"must be a samplex serialized with SSV {ssv}.")


def _lindblad_map(value: dict[str, Any], where: str) -> None:
    terms = value.get("sparse_terms")
    qubits: Any = value.get("num_qubits")
    if not is_int(qubits) or qubits < 0:
        raise _bad(f"{where}.num_qubits", "must be a non-negative integer.")
    if not isinstance(terms, list):
        raise _bad(f"{where}.sparse_terms", "must be a list of [paulis, qubits, rate].")
    for i, term in enumerate(terms):
        ok = (
            isinstance(term, list)
            and len(term) == 3
            and isinstance(term[0], str)
            and isinstance(term[1], list)
            and all(is_int(q) and 0 <= q < qubits for q in term[1])
            and len(term[0]) == len(term[1])
            and is_finite_number(term[2])
        )
        if not ok:
            raise _bad(
                f"{where}.sparse_terms.{i}",
                f"must be [paulis, qubit indices below {qubits}, rate] with one Pauli per qubit.",
            )


def _item(value: Any, index: int) -> int:
    where = f"quantum_program.items.{index}"
    item = _object(value, where)
    kind = item.get("item_type")
    shape = _shape(item.get("shape"), f"{where}.shape", 1)
    chunk = item.get("chunk_size", "auto")
    if chunk != "auto" and not (is_int(chunk) and chunk >= 1):
        raise _bad(f"{where}.chunk_size", "must be 'auto' or an integer >= 1.")
    if kind == "circuit":
        arguments = _tensor(item.get("circuit_arguments"), f"{where}.circuit_arguments", "f64")
        if not arguments:
            raise _bad(f"{where}.circuit_arguments.shape", "needs a last axis of parameters.")
        try:
            shape = _broadcast(shape, arguments[:-1])
        except ValueError:
            raise _bad(
                f"{where}.shape",
                f"{list(shape)} does not broadcast with circuit_arguments' {list(arguments[:-1])}.",
            ) from None
    elif kind == "samplex":
        _samplex(item.get("samplex"), f"{where}.samplex")
        arguments_map = _object(item.get("samplex_arguments", {}), f"{where}.samplex_arguments")
        for name, argument in arguments_map.items():
            at = f"{where}.samplex_arguments.{name}"
            if isinstance(argument, bool) or is_int(argument):
                continue
            if isinstance(argument, dict) and "sparse_terms" in argument:
                _lindblad_map(argument, at)
            else:
                _tensor(argument, at)
    else:
        raise _bad(f"{where}.item_type", f"must be 'circuit' or 'samplex'; got {kind!r}.")
    elements = math.prod(shape)
    if elements > MAX_ITEM_ELEMENTS:
        raise _bad(
            f"{where}.shape",
            f"makes {elements} elements; at most {MAX_ITEM_ELEMENTS} per item. Split the item.",
        )
    return elements


def _broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    size = max(len(a), len(b))
    a = (1,) * (size - len(a)) + a
    b = (1,) * (size - len(b)) + b
    out = []
    for x, y in zip(a, b, strict=True):
        if x != y and 1 not in (x, y):
            raise ValueError("shapes do not broadcast")
        out.append(max(x, y))
    return tuple(out)


def _options(value: Any) -> None:
    options = _object(value, "options")
    for key in ("init_qubits", "scheduler_timing", "stretch_values"):
        if key in options and not isinstance(options[key], bool):
            raise _bad(f"options.{key}", "must be true or false.")
    rep_delay = options.get("rep_delay")
    if rep_delay is not None and (not is_finite_number(rep_delay) or rep_delay < 0):
        raise _bad("options.rep_delay", "must be a number of seconds >= 0 or null.")
    if not isinstance(options.get("experimental", {}), dict):
        raise _bad("options.experimental", "must be an object.")


def _unsupported_version(version: Any, present: bool) -> str:
    if not present:
        found = "is missing"
    elif isinstance(version, str):
        shown = version if len(version) <= 40 else version[:40] + "..."
        found = f"is {shown!r}"
    else:
        found = f"must be a string, not {type(version).__name__}"
    return (
        f"{found}. The local service runs executor params of schema {SCHEMA_VERSION} only "
        f"(supported: {', '.join(SUPPORTED_SCHEMA_VERSIONS)}), as sent by qiskit-ibm-runtime "
        f"0.49 and later; schemas v1.0 and v1.1 (qiskit-ibm-runtime 0.47 and 0.48) are not "
        f"supported. Upgrade qiskit-ibm-runtime on the client side."
    )


def check_executor_params(params: dict[str, Any], device: Device) -> None:
    """Raise a 400 naming the field unless ``params`` is a plausible executor v2.0 document.

    Args:
        params: The job's ``params``.
        device: The device the job is for (its shot limit applies).

    Raises:
        ApiError: 400 for a malformed document, an unsupported schema version, or too much work.
    """
    version = params.get("schema_version")
    if version != SCHEMA_VERSION:
        raise _bad("schema_version", _unsupported_version(version, "schema_version" in params))
    program = _object(params.get("quantum_program"), "quantum_program")
    shots: Any = program.get("shots")
    if not is_int(shots) or shots < 1:
        raise _bad("quantum_program.shots", "must be a positive integer.")
    if shots > device.max_shots:
        raise ApiError.bad_request(
            f"'params.quantum_program.shots' asks for {shots} shots but {device.name} allows at "
            f"most {device.max_shots}. Lower the shots.",
            code="too_many_shots",
        )
    items = program.get("items")
    if not isinstance(items, list) or not items:
        raise _bad("quantum_program.items", "must be a non-empty list of items.")
    _circuits(program.get("circuits"), len(items))
    for index, item in enumerate(items):
        _item(item, index)
    chunks = {str(item.get("chunk_size", "auto")) for item in items}
    if "auto" in chunks and len(chunks) > 1:
        raise _bad("quantum_program.items", "must all have chunk_size 'auto' or all integers.")
    level = program.get("meas_level", "classified")
    if level not in _MEAS_LEVELS:
        raise _bad("quantum_program.meas_level", f"must be one of {', '.join(_MEAS_LEVELS)}.")
    role = program.get("semantic_role")
    if role is not None and not isinstance(role, str):
        raise _bad("quantum_program.semantic_role", "must be a string or null.")
    _options(params.get("options"))
