"""Summaries of decoded primitive results, computed on the server (CPU work: run in a thread).

Sampler: per PUB and classical register, the shots, the number of distinct outcomes and the
top-k counts (``numpy.unique`` on the packed bytes, not ``BitArray.get_counts``). Estimator: the
``evs``/``stds`` arrays with their shape, and observable labels taken from the job inputs.
Works on the objects ``qrt_lab.runtime.codec`` rebuilds, by duck typing, so importing this module
does not import qiskit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..bitrows import bitstrings, shot_rows, unique_rows
from .observables import observable_text, parameter_grid, physical_to_virtual, short_label

__all__ = ["observable_label", "register_summary", "result_registers", "summarize_result"]

Array = np.ndarray[Any, Any]


def _is_bit_array(value: Any) -> bool:
    return hasattr(value, "num_bits") and hasattr(value, "array") and hasattr(value, "num_shots")


def register_summary(
    bits: Any, top_k: int = 16, *, index: tuple[int, ...] | None = None
) -> dict[str, Any]:
    """Summarise one ``BitArray``: shots, distinct outcomes and the top-k counts.

    Args:
        bits: A ``BitArray`` (anything with ``array``, ``num_bits``, ``num_shots``).
        top_k: How many of the most frequent outcomes to return.
        index: One parameter binding (an index into the PUB shape); None aggregates the counts
            over the whole shape (every binding).

    Returns:
        ``{"kind": "bits", "num_bits", "shots", "total_shots", "distinct", "top_counts", "other"}``.

    Raises:
        IndexError: ``index`` is out of range for the shape.
    """
    num_bits = int(bits.num_bits)
    array = np.asarray(bits.array, dtype=np.uint8)
    if index is not None:
        array = array[tuple(index)]
    rows = shot_rows(array, num_bits)
    unique, counts = unique_rows(rows)
    order = np.argsort(-counts, kind="stable")[:top_k]
    labels = bitstrings(unique[order], num_bits)
    top = {label: int(counts[i]) for label, i in zip(labels, order, strict=True)}
    total = int(rows.shape[0])
    return {
        "kind": "bits",
        "num_bits": num_bits,
        "shots": int(bits.num_shots),
        "total_shots": total,
        "distinct": int(unique.shape[0]),
        "top_counts": top,
        "other": total - sum(top.values()),
    }


def _array_json(value: Any) -> Any:
    array = np.asarray(value)
    if array.dtype.kind == "c":
        return {"real": _array_json(array.real), "imag": _array_json(array.imag)}
    as_float = array.astype(float)
    if as_float.ndim == 0:
        number = float(as_float)
        return number if math.isfinite(number) else None
    return [_array_json(v) for v in as_float]


def observable_label(observable: Any, virtual: dict[int, int] | None = None) -> str:
    """A readable label for one observable of the job inputs (``{"ZZ": 1.0}`` → ``"ZZ"``).

    The whole operator, named on the virtual qubits when ``virtual`` (physical → virtual) is
    given; see :mod:`.observables` (``short_label`` cuts it for a legend).
    """
    return observable_text(observable, virtual)


def _observable_labels(pub: Any) -> Any:
    """Nested full labels of the observables of one estimator PUB from the decoded job params."""
    if not isinstance(pub, list | tuple) or len(pub) < 2:
        return None
    observables = pub[1]
    if hasattr(observables, "tolist") and not isinstance(observables, list | dict | str):
        observables = observables.tolist()
    virtual = physical_to_virtual(pub[0])

    def walk(node: Any) -> Any:
        if isinstance(node, list | tuple):
            return [walk(n) for n in node]
        return observable_label(node, virtual)

    return walk(observables)


def _short(labels: Any) -> Any:
    if isinstance(labels, list):
        return [_short(n) for n in labels]
    return short_label(str(labels))


def _parameters(pub: Any) -> dict[str, Any] | None:
    found = parameter_grid(pub)
    if found is None:
        return None
    names, values = found
    return {"names": names, "values": _array_json(values)}


def _pub_summary(index: int, pub_result: Any, pub_input: Any, top_k: int) -> dict[str, Any]:
    data = pub_result.data
    shape = list(getattr(data, "shape", ()) or ())
    names = list(data.keys()) if hasattr(data, "keys") else []
    summary: dict[str, Any] = {"index": index, "shape": shape, "metadata": {}}
    metadata = getattr(pub_result, "metadata", None) or {}
    for key in ("shots", "target_precision", "num_randomizations"):
        if isinstance(metadata.get(key), int | float):
            summary["metadata"][key] = metadata[key]
    registers = {n: register_summary(data[n], top_k) for n in names if _is_bit_array(data[n])}
    if registers:
        summary["kind"] = "sampler"
        summary["registers"] = registers
        return summary
    summary["kind"] = "estimator" if "evs" in names else "other"
    arrays: dict[str, Any] = {}
    for name in names:
        value = data[name]
        if isinstance(value, np.ndarray | np.generic | float | int):
            arrays[name] = {"shape": list(np.shape(value)), "values": _array_json(value)}
    summary["arrays"] = arrays
    labels = _observable_labels(pub_input)
    if labels is not None:
        summary["observables"] = _short(labels)
        summary["observables_full"] = labels
    parameters = _parameters(pub_input)
    if parameters is not None:
        summary["parameters"] = parameters
    return summary


def result_registers(result: Any) -> list[dict[str, Any]]:
    """The classical registers of every PUB of a decoded result, to count one binding at a time.

    Args:
        result: What ``qrt_lab.runtime.codec.decode_result`` returned (an executor result gives
            one entry per item).

    Returns:
        One ``{register name: BitArray-like}`` per PUB (empty for estimator PUBs); each value has
        ``array`` (packed ``uint8``, shape ``(*pub shape, shots, bytes)``) and ``num_bits``.

    Raises:
        ValueError: A malformed executor result document.
    """
    if isinstance(result, dict):
        from .executor_results import executor_registers, is_executor_result

        if is_executor_result(result):
            return executor_registers(result)
        return []
    pub_results = getattr(result, "_pub_results", None)
    if pub_results is None and hasattr(result, "__iter__") and hasattr(result, "metadata"):
        pub_results = list(result)
    registers: list[dict[str, Any]] = []
    for pub_result in pub_results or []:
        data = pub_result.data
        names = list(data.keys()) if hasattr(data, "keys") else []
        registers.append({n: data[n] for n in names if _is_bit_array(data[n])})
    return registers


def summarize_result(result: Any, params: Any = None, top_k: int = 16) -> dict[str, Any]:
    """Summarise a decoded ``PrimitiveResult`` for the browser.

    Args:
        result: What ``qrt_lab.runtime.codec.decode_result`` returned for the job.
        params: The job's decoded ``params`` (for observable labels), or None.
        top_k: Counts kept per classical register.

    Returns:
        ``{"pubs": [...], "metadata": {...}}``; an ``executor`` result gives one sampler-shaped
        entry per item; for any other result (or a malformed one) ``{"pubs": [], "raw": str}``.
    """
    if isinstance(result, dict):
        from .executor_results import ExecutorResultError, is_executor_result, summarize_executor

        if is_executor_result(result):
            try:
                return summarize_executor(result, top_k)
            except (ExecutorResultError, ValueError, TypeError, OverflowError, MemoryError):
                return {"pubs": [], "raw": repr(result)[:10_000]}
    pub_results = getattr(result, "_pub_results", None)
    if pub_results is None and hasattr(result, "__iter__") and hasattr(result, "metadata"):
        pub_results = list(result)
    if pub_results is None:
        text = result if isinstance(result, str) else repr(result)
        return {"pubs": [], "raw": text[:10_000]}
    inputs: Sequence[Any] = []
    if isinstance(params, dict) and isinstance(params.get("pubs"), list):
        inputs = params["pubs"]
    pubs = [
        _pub_summary(i, pr, inputs[i] if i < len(inputs) else None, top_k)
        for i, pr in enumerate(pub_results)
    ]
    metadata = getattr(result, "metadata", {}) or {}
    return {"pubs": pubs, "metadata": {"version": metadata.get("version")}}
