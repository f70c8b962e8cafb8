"""Read Qiskit results from any client (qrt-lab, qiskit-ibm-runtime, reference primitives).

Everything is duck-typed on Qiskit's containers (``PrimitiveResult``, ``SamplerPubResult``,
``PubResult``, ``DataBin``, ``BitArray``), so no client is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from qrt_lab.plots import Outcomes, outcomes_from_bits, outcomes_from_counts
from qrt_lab.runtime.summaries import words

__all__ = [
    "bit_registers",
    "execution_spans",
    "is_bit_array",
    "is_counts",
    "is_estimator_pub",
    "outcomes_of",
    "pub_results",
    "pub_shape",
    "resolve",
    "zne_data",
]


def is_bit_array(value: Any) -> bool:
    """Whether ``value`` looks like Qiskit's ``BitArray``."""
    return hasattr(value, "num_bits") and hasattr(value, "array") and hasattr(value, "num_shots")


def is_counts(value: Any) -> bool:
    """Whether ``value`` is a plain counts dictionary."""
    return isinstance(value, Mapping) and all(
        isinstance(v, int) or type(v).__name__.startswith("int") for v in value.values()
    )


def resolve(source: Any) -> Any:
    """The result of a job (waits for it), or ``source`` itself."""
    if callable(getattr(source, "result", None)) and callable(getattr(source, "job_id", None)):
        return source.result()
    return source


def pub_results(result: Any) -> list[Any]:
    """The PUB results of a ``PrimitiveResult``, or ``[result]`` for one PUB result."""
    if hasattr(result, "data") and not isinstance(result, Sequence):
        return [result]
    try:
        items = list(result)
    except TypeError:
        raise TypeError(
            f"cannot read PUB results from {type(result).__name__}: pass a PrimitiveResult, a "
            "PUB result, a job, a BitArray or a counts dictionary"
        ) from None
    if not all(hasattr(item, "data") for item in items):
        raise TypeError(f"{type(result).__name__} does not hold PUB results")
    return items


def _data_items(pub: Any) -> list[tuple[str, Any]]:
    data = pub.data
    if hasattr(data, "items"):
        return [(str(k), v) for k, v in data.items()]
    return [(str(k), v) for k, v in vars(data).items() if not k.startswith("_")]


def bit_registers(pub: Any) -> dict[str, Any]:
    """Register name → ``BitArray`` of a sampler PUB result, in the DataBin's order."""
    return {name: value for name, value in _data_items(pub) if is_bit_array(value)}


def is_estimator_pub(pub: Any) -> bool:
    """Whether a PUB result holds expectation values."""
    return hasattr(pub, "data") and any(name == "evs" for name, _ in _data_items(pub))


def pub_shape(pub: Any) -> tuple[int, ...]:
    """The broadcast shape of a PUB result (``()`` for a single point)."""
    shape = getattr(pub.data, "shape", None)
    if shape is not None:
        return tuple(shape)
    registers = list(bit_registers(pub).values())
    return tuple(registers[0].shape) if registers else ()


def outcomes_of(
    source: Any, *, pub: int = 0, register: str | None = None, loc: Any = None
) -> Outcomes:
    """Outcomes of a counts dict, a ``BitArray``, a PUB result or a whole result.

    Raises:
        ValueError: An unknown register or a PUB index out of range.
        TypeError: Something that holds no sampler data.
    """
    if is_counts(source):
        return outcomes_from_counts(source)
    if is_bit_array(source):
        return outcomes_from_bits(source, loc=loc)
    pubs = pub_results(source)
    if not 0 <= pub < len(pubs):
        raise ValueError(
            f"PUB {pub} does not exist: the result has {words.plural(len(pubs), 'PUB')}"
        )
    registers = bit_registers(pubs[pub])
    if not registers:
        raise TypeError(f"PUB {pub} holds no sampler data (is it an EstimatorV2 result?)")
    if register is None:
        # Qiskit's join_data: later registers are the more significant (leftmost) bits
        return outcomes_from_bits(list(registers.values())[::-1], loc=loc)
    if register not in registers:
        raise ValueError(f"no register {register!r}; the PUB has {', '.join(registers)}")
    return outcomes_from_bits(registers[register], loc=loc)


def zne_data(pub: Any) -> dict[str, Any] | None:
    """ZNE arrays and noise factors of an EstimatorV2 PUB result, when it has them."""
    items = dict(_data_items(pub))
    if "evs_noise_factors" not in items:
        return None
    metadata = getattr(pub, "metadata", {}) or {}
    zne = (metadata.get("resilience") or {}).get("zne") or {}
    factors = zne.get("noise_factors")
    if factors is None:
        return None
    return {
        "noise_factors": list(factors),
        "evs_noise_factors": items["evs_noise_factors"],
        "stds_noise_factors": items.get("stds_noise_factors"),
        "evs_extrapolated": items.get("evs_extrapolated"),
        "extrapolated_factors": zne.get("extrapolated_noise_factors"),
    }


def execution_spans(result: Any) -> list[dict[str, Any]]:
    """The execution spans of a result's metadata as plain dicts (empty when absent)."""
    metadata = getattr(result, "metadata", None) or {}
    spans = (metadata.get("execution") or {}).get("execution_spans") or []
    return [
        {
            "start": span.start,
            "stop": span.stop,
            "size": int(getattr(span, "size", 0)),
            "pubs": list(getattr(span, "pub_idxs", [])),
        }
        for span in spans
    ]
