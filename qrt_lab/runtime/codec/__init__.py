"""The runtime's JSON wire encoding (spec §5), shared by the client and the local service.

Non-JSON values travel as ``{"__type__": T, "__value__": V}``: circuits as base64(zlib(QPY)),
arrays as base64(zlib(.npy)), and Qiskit's primitive containers as nested tagged objects. The
encoder and decoder here are wire-compatible with qiskit-ibm-runtime's ``RuntimeEncoder`` and
``RuntimeDecoder``; decoded results are Qiskit's own ``PrimitiveResult`` containers.

PUB helpers turn coerced Qiskit pubs into the wire's arrays (client side) and wire arrays back
into validated pubs (service side), with errors that name the offending pub.
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import zlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, BinaryIO, cast

import numpy as np
from qiskit import qpy
from qiskit.circuit import Instruction, Parameter, QuantumCircuit, QuantumRegister
from qiskit.primitives.containers import (
    BindingsArray,
    BitArray,
    DataBin,
    ObservablesArray,
    PrimitiveResult,
    PubResult,
    SamplerPubResult,
)
from qiskit.primitives.containers.estimator_pub import EstimatorPub
from qiskit.primitives.containers.sampler_pub import SamplerPub
from qiskit.qpy.binary_io.value import _read_parameter, _write_parameter
from qiskit.transpiler import CouplingMap

from .counts import CountingBitArray
from .npy import NpyFormatError, decode_ndarray, encode_ndarray
from .spans import DoubleSliceSpan, ExecutionSpans, SliceSpan, TwirledSliceSpan, TwirledSliceSpanV2

__all__ = [
    "NpyFormatError",
    "PubDecodeError",
    "RuntimeDecoder",
    "RuntimeEncoder",
    "decode_circuit",
    "decode_estimator_pubs",
    "decode_ndarray",
    "decode_result",
    "decode_sampler_pubs",
    "dumps",
    "encode_circuit",
    "encode_estimator_pub",
    "encode_ndarray",
    "encode_sampler_pub",
    "loads",
]

#: Highest QPY version the IBM service reads; newer Qiskit writes down to it.
SERVICE_MAX_QPY_VERSION = 17
_QPY_VERSION = min(SERVICE_MAX_QPY_VERSION, qpy.QPY_VERSION)
_EXTRAPOLATORS = frozenset(
    ["linear", "exponential", "double_exponential", "fallback"]
    + [f"polynomial_degree_{k}" for k in range(1, 8)]
)
_SETTINGS_MODULE_PREFIX = "qiskit.quantum_info.operators"
# the module the official client names for the noise learner's results on the wire (legacy name)
NOISE_LEARNER_WIRE_MODULE = "qiskit_ibm_runtime.utils.noise_learner_result"


class PubDecodeError(ValueError):
    """A job's ``params.pubs`` cannot be turned into valid primitive pubs."""


def _pack(data: bytes, compress: bool = True) -> str:
    return base64.standard_b64encode(zlib.compress(data) if compress else data).decode("ascii")


def _unpack(text: str, decompress: bool = True) -> bytes:
    raw = base64.standard_b64decode(text)
    return zlib.decompress(raw) if decompress else raw


def _write(writer: Callable[[BinaryIO], object]) -> bytes:
    with io.BytesIO() as buff:
        writer(buff)
        return buff.getvalue()


def encode_circuit(circuit: QuantumCircuit) -> str:
    """Encode a circuit as base64(zlib(QPY)) at the service's QPY version."""
    return _pack(
        _write(
            lambda buff: qpy.dump(
                circuit, buff, metadata_serializer=RuntimeEncoder, version=_QPY_VERSION
            )
        )
    )


def decode_circuit(text: str) -> QuantumCircuit:
    """Decode a base64(zlib(QPY)) circuit."""
    with io.BytesIO(_unpack(text)) as buff:
        circuits = qpy.load(buff, metadata_deserializer=RuntimeDecoder)
    return cast(QuantumCircuit, circuits[0])


def _tag(kind: str, value: Any) -> dict[str, Any]:
    return {"__type__": kind, "__value__": value}


def _span_value(span: Any) -> dict[str, Any]:
    slices: dict[int, Any] = {}
    for idx, desc in span._data_slices.items():
        if isinstance(span, TwirledSliceSpan):
            shape, at_front, args, shots = desc[:4]
            row = [shape, at_front, args.start, args.stop, shots.start, shots.stop]
            if isinstance(span, TwirledSliceSpanV2):
                row.append(span._pub_shots.get(idx))
        elif isinstance(span, DoubleSliceSpan):
            shape, args, shots = desc
            row = [shape, args.start, args.stop, shots.start, shots.stop]
        else:
            shape, flat = desc
            row = [shape, flat.start, flat.stop]
        slices[idx] = row
    return {"start": span.start, "stop": span.stop, "data_slices": slices}


_SPAN_TAGS: list[tuple[type, str]] = [
    (TwirledSliceSpanV2, "TwirledSliceSpanV2"),
    (TwirledSliceSpan, "TwirledSliceSpan"),
    (DoubleSliceSpan, "DoubleSliceSpan"),
    (SliceSpan, "ExecutionSpan"),
]


class RuntimeEncoder(json.JSONEncoder):
    """JSON encoder producing the runtime's tagged wire format (spec §5.1)."""

    def default(self, o: Any) -> Any:
        """Return a JSON-serialisable form of ``o``."""
        if isinstance(o, CouplingMap):
            return [list(edge) for edge in o.get_edges()]
        if isinstance(o, date):
            return _tag("datetime", o.isoformat())
        if isinstance(o, complex):
            return _tag("complex", [o.real, o.imag])
        if isinstance(o, np.ndarray):
            if o.dtype.hasobject:
                return _tag("ndarray", o.tolist())
            return _tag("ndarray", encode_ndarray(o))
        if isinstance(o, np.integer):
            return int(o)
        if isinstance(o, np.floating):
            return float(o)
        if isinstance(o, np.bool_):
            return bool(o)
        if isinstance(o, set):
            return _tag("set", list(o))
        if isinstance(o, QuantumCircuit):
            return _tag("QuantumCircuit", encode_circuit(o))
        if isinstance(o, Parameter):
            return _tag("Parameter", _pack(_write(lambda b: _write_parameter(b, o)), False))
        if isinstance(o, Instruction):
            circuit = QuantumCircuit(QuantumRegister(o.num_qubits))
            circuit.append(o, circuit.qubits)
            return _tag("Instruction", encode_circuit(circuit))
        if isinstance(o, ObservablesArray):
            return _tag("ObservablesArray", o.tolist())
        if isinstance(o, BindingsArray):
            data = {json.dumps(list(key), cls=RuntimeEncoder): val for key, val in o.data.items()}
            return _tag("BindingsArray", {"shape": list(o.shape), "data": data})
        if isinstance(o, BitArray):
            return _tag("BitArray", {"array": o.array, "num_bits": o.num_bits})
        if isinstance(o, DataBin):
            fields = dict(o.items())
            return _tag(
                "DataBin", {"field_names": list(fields), "shape": o.shape, "fields": fields}
            )
        if isinstance(o, EstimatorPub):
            return encode_estimator_pub(o)
        if isinstance(o, SamplerPub):
            return encode_sampler_pub(o)
        if isinstance(o, PubResult):
            kind = "SamplerPubResult" if isinstance(o, SamplerPubResult) else "PubResult"
            return _tag(kind, {"data": o.data, "metadata": o.metadata})
        if isinstance(o, PrimitiveResult):
            return _tag("PrimitiveResult", {"pub_results": list(o), "metadata": o.metadata})
        for span_type, name in _SPAN_TAGS:
            if isinstance(o, span_type):
                return _tag(name, _span_value(o))
        if isinstance(o, ExecutionSpans):
            return _tag("ExecutionSpans", {"spans": list(o)})
        if hasattr(o, "to_json"):
            return _tag("to_json", o.to_json())
        if hasattr(o, "_json"):  # the noise learner's results, under the official module name
            return {
                "__type__": "_json",
                "__module__": NOISE_LEARNER_WIRE_MODULE,
                "__class__": type(o).__name__,
                "__value__": o._json(),
            }
        if hasattr(o, "settings"):
            return {
                "__type__": "settings",
                "__module__": type(o).__module__,
                "__class__": type(o).__name__,
                "__value__": o.settings,
            }
        return super().default(o)


def _decode_span(kind: str, value: dict[str, Any]) -> Any:
    start, stop, raw = value["start"], value["stop"], value["data_slices"]
    if kind == "DoubleSliceSpan":
        slices = {
            int(i): (tuple(shape), slice(a0, a1), slice(s0, s1))
            for i, (shape, a0, a1, s0, s1) in raw.items()
        }
        return DoubleSliceSpan(start, stop, slices)
    if kind == "ExecutionSpan":
        return SliceSpan(
            start, stop, {int(i): (tuple(row[0]), slice(*row[1:])) for i, row in raw.items()}
        )
    twirled = {
        int(i): (tuple(row[0]), row[1], slice(row[2], row[3]), slice(row[4], row[5]))
        for i, row in raw.items()
    }
    if kind == "TwirledSliceSpanV2":
        shots = {int(i): row[6] for i, row in raw.items() if len(row) > 6}
        return TwirledSliceSpanV2(start, stop, twirled, shots)
    return TwirledSliceSpan(start, stop, twirled)


def _decode_settings(obj: dict[str, Any]) -> Any:
    module = obj.get("__module__", "")
    if not module.startswith(_SETTINGS_MODULE_PREFIX):
        return obj["__value__"]
    cls = getattr(importlib.import_module(module), obj.get("__class__", ""), None)
    return cls(**obj["__value__"]) if cls is not None else obj["__value__"]


def _decode_bindings(value: dict[str, Any]) -> BindingsArray:
    data = {
        tuple(json.loads(key, cls=RuntimeDecoder)): val
        for key, val in (value.get("data") or {}).items()
    }
    return BindingsArray(data=data or None, shape=value.get("shape"))


def _decode_ndarray_value(value: Any) -> Any:
    if isinstance(value, str):
        return value if value in _EXTRAPOLATORS else decode_ndarray(value)
    return np.array(value)


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat,
    "complex": lambda v: complex(v[0], v[1]),
    "ndarray": _decode_ndarray_value,
    "set": set,
    "QuantumCircuit": decode_circuit,
    "Parameter": lambda v: _read_parameter(io.BytesIO(_unpack(v, False))),
    "Instruction": lambda v: decode_circuit(v).data[0].operation,
    "ObservablesArray": ObservablesArray,
    "BindingsArray": _decode_bindings,
    "BitArray": lambda v: CountingBitArray(v["array"], v["num_bits"]),
    "DataBin": lambda v: DataBin(
        shape=tuple(v["shape"]) if isinstance(v.get("shape"), list) else v.get("shape"),
        **v["fields"],
    ),
    "SamplerPubResult": lambda v: SamplerPubResult(v["data"], v.get("metadata")),
    "PubResult": lambda v: PubResult(v["data"], v.get("metadata")),
    "EstimatorPubResult": lambda v: PubResult(v["data"], v.get("metadata")),
    "PrimitiveResult": lambda v: PrimitiveResult(v["pub_results"], v.get("metadata")),
    "ExecutionSpans": lambda v: ExecutionSpans(v["spans"]),
    "ExecutionSpanCollection": lambda v: ExecutionSpans(v["spans"]),
    "to_json": lambda v: v,
}


def _object_hook(obj: dict[str, Any]) -> Any:
    kind = obj.get("__type__")
    if kind is None or "__value__" not in obj:
        return obj
    value = obj["__value__"]
    if kind == "settings":
        return _decode_settings(obj)
    if kind in ("DoubleSliceSpan", "ExecutionSpan", "TwirledSliceSpan", "TwirledSliceSpanV2"):
        return _decode_span(kind, value)
    decoder = _DECODERS.get(kind)
    return value if decoder is None else decoder(value)


class RuntimeDecoder(json.JSONDecoder):
    """JSON decoder for the runtime's tagged wire format; builds Qiskit containers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("encoding", None)
        kwargs["object_hook"] = _object_hook
        super().__init__(*args, **kwargs)


def dumps(obj: Any) -> str:
    """Serialise ``obj`` with :class:`RuntimeEncoder`."""
    return json.dumps(obj, cls=RuntimeEncoder)


def loads(text: str | bytes) -> Any:
    """Parse runtime JSON with :class:`RuntimeDecoder`."""
    return json.loads(text, object_hook=_object_hook)


def decode_result(text: str) -> Any:
    """Decode a ``GET /jobs/{id}/results`` body.

    Returns the decoded object (a ``PrimitiveResult`` for sampler and estimator jobs), the raw
    text when the body is not JSON (the service sends plain text for failed jobs), or ``None``
    for an empty body.
    """
    if not text:
        return None
    try:
        return loads(text)
    except json.JSONDecodeError:
        return text


def encode_sampler_pub(pub: SamplerPub) -> list[Any]:
    """The wire form of a coerced sampler pub: ``[circuit, parameter_values, shots]``."""
    return [pub.circuit, pub.parameter_values.as_array(pub.circuit.parameters), pub.shots]


def encode_estimator_pub(pub: EstimatorPub) -> list[Any]:
    """Wire form of an estimator pub: ``[circuit, observables, parameter_values, precision]``."""
    return [
        pub.circuit,
        pub.observables.tolist(),
        pub.parameter_values.as_array(pub.circuit.parameters),
        pub.precision,
    ]


def _bindings(index: int, circuit: QuantumCircuit, values: Any) -> BindingsArray:
    if values is None:
        return BindingsArray()
    if isinstance(values, BindingsArray):
        return values
    if isinstance(values, dict):
        return BindingsArray.coerce(values)
    array = np.asarray(values, dtype=float)
    if array.ndim == 0 or array.shape[-1] != circuit.num_parameters:
        raise PubDecodeError(
            f"pub {index}: parameter values have shape {array.shape} but the circuit has "
            f"{circuit.num_parameters} parameters; the last axis must match that count"
        )
    if circuit.num_parameters == 0:
        return BindingsArray(shape=array.shape[:-1])
    return BindingsArray({tuple(circuit.parameters): array})


def _pub_items(params: Any, width: int) -> list[list[Any]]:
    pubs = params.get("pubs") if isinstance(params, dict) else None
    if not isinstance(pubs, list) or not pubs:
        raise PubDecodeError("params.pubs must be a non-empty list of pubs")
    items: list[list[Any]] = []
    for index, item in enumerate(pubs):
        if not isinstance(item, list | tuple) or not 1 <= len(item) <= width:
            raise PubDecodeError(f"pub {index} must be a list of 1 to {width} elements")
        if not isinstance(item[0], QuantumCircuit):
            raise PubDecodeError(f"pub {index}: the first element must be a QPY circuit")
        items.append([*item, *([None] * (width - len(item)))])
    return items


def decode_sampler_pubs(params: Any) -> list[SamplerPub]:
    """Validated sampler pubs from decoded job ``params``.

    Raises:
        PubDecodeError: naming the pub and the problem.
    """
    pubs = []
    for index, (circuit, values, shots) in enumerate(_pub_items(params, 3)):
        if shots is not None and (not isinstance(shots, int) or isinstance(shots, bool)):
            raise PubDecodeError(f"pub {index}: shots must be an integer, got {shots!r}")
        try:
            pubs.append(SamplerPub(circuit, _bindings(index, circuit, values), shots))
        except (ValueError, TypeError, OverflowError) as exc:
            raise PubDecodeError(f"pub {index}: {exc}") from exc
    return pubs


def decode_estimator_pubs(params: Any) -> list[EstimatorPub]:
    """Validated estimator pubs from decoded job ``params``.

    Raises:
        PubDecodeError: naming the pub and the problem.
    """
    pubs = []
    for index, (circuit, observables, values, precision) in enumerate(_pub_items(params, 4)):
        if observables is None:
            raise PubDecodeError(f"pub {index}: an estimator pub needs observables")
        if precision is not None and not isinstance(precision, int | float):
            raise PubDecodeError(f"pub {index}: precision must be a number, got {precision!r}")
        try:
            obs = ObservablesArray.coerce(observables)
            pubs.append(EstimatorPub(circuit, obs, _bindings(index, circuit, values), precision))
        except (ValueError, TypeError, OverflowError) as exc:
            raise PubDecodeError(f"pub {index}: {exc}") from exc
    return pubs
