"""Results of the (legacy) ``NoiseLearner``: one ``LayerError`` per learned layer."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["LayerError", "NoiseLearnerResult", "PauliLindbladError", "decode_legacy_results"]

#: Modules the service names for these classes (current and legacy), as the official client reads.
_MODULES = (
    "qiskit_ibm_runtime.utils.noise_learner_result",
    "qiskit_ibm_runtime.results.noise_learner",
)


class PauliLindbladError:
    """A Pauli-Lindblad error: generators (a ``PauliList``) and their rates."""

    def __init__(self, generators: Any, rates: Sequence[float]) -> None:
        self._generators = generators
        self._rates = np.asarray(rates, dtype=float)
        if (len(generators),) != self._rates.shape:
            raise ValueError(
                f"``generators`` has length {len(generators)} "
                f"but ``rates`` has shape {self._rates.shape}."
            )

    @property
    def generators(self) -> Any:
        """The generators (``PauliList``)."""
        return self._generators

    @property
    def rates(self) -> np.ndarray:
        """The rates."""
        return self._rates

    @property
    def num_qubits(self) -> int:
        """Qubits the generators act on."""
        return int(self.generators.num_qubits)

    def restrict_num_bodies(self, num_qubits: int) -> PauliLindbladError:
        """The generators (and rates) that act on exactly ``num_qubits`` qubits.

        Raises:
            ValueError: ``num_qubits`` is negative.
        """
        if num_qubits < 0:
            raise ValueError("``num_qubits`` must be ``0`` or larger.")
        mask = np.sum(self.generators.x | self.generators.z, axis=1) == num_qubits
        return PauliLindbladError(self.generators[mask], self.rates[mask])

    def _json(self) -> dict[str, Any]:
        """What re-creates this object (the wire form the official client sends)."""
        return {"generators": self.generators, "rates": self.rates}

    def __repr__(self) -> str:
        return f"PauliLindbladError(generators={self.generators}, rates={self.rates.tolist()})"


class LayerError:
    """The error of one layer: its circuit, the physical qubits, and a ``PauliLindbladError``."""

    def __init__(
        self, circuit: Any, qubits: Sequence[int], error: PauliLindbladError | None = None
    ) -> None:
        self._circuit = circuit
        self._qubits = list(qubits)
        self._error = error
        if len(self._qubits) != circuit.num_qubits or (
            error is not None and len(self._qubits) != error.num_qubits
        ):
            raise ValueError("Mistmatching numbers of qubits.")

    @property
    def circuit(self) -> Any:
        """The layer's circuit."""
        return self._circuit

    @property
    def qubits(self) -> list[int]:
        """The physical qubits of the layer."""
        return self._qubits

    @property
    def error(self) -> PauliLindbladError | None:
        """The learned error, if any."""
        return self._error

    @property
    def num_qubits(self) -> int:
        """Number of qubits of the layer."""
        return len(self._qubits)

    def _json(self) -> dict[str, Any]:
        """What re-creates this object (the wire form the official client sends)."""
        return {"circuit": self.circuit, "qubits": self.qubits, "error": self.error}

    def __repr__(self) -> str:
        return f"LayerError(circuit={self.circuit!r}, qubits={self.qubits}, error={self.error})"


class NoiseLearnerResult:
    """The layers' errors and the job's metadata."""

    def __init__(self, data: Sequence[LayerError], metadata: dict[str, Any] | None = None) -> None:
        self._data = list(data)
        self._metadata = {} if metadata is None else dict(metadata)

    @property
    def data(self) -> list[LayerError]:
        """One ``LayerError`` per learned layer."""
        return self._data

    @property
    def metadata(self) -> dict[str, Any]:
        """The job's metadata (learning protocol, options)."""
        return self._metadata

    def __getitem__(self, index: int) -> LayerError:
        return self._data[index]

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[LayerError]:
        return iter(self._data)

    def _json(self) -> dict[str, Any]:
        """What re-creates this object (the wire form the official client sends)."""
        return {"data": self.data, "metadata": self.metadata}

    def __repr__(self) -> str:
        return f"NoiseLearnerResult(data={self.data}, metadata={self.metadata})"


def _int_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            (int(k) if isinstance(k, str) and k.isdigit() else k): _int_keys(v)
            for k, v in value.items()
        }
    return value


def _hook(obj: dict[str, Any]) -> Any:
    from ..codec import _object_hook

    kind = obj.get("__type__")
    if kind == "_json" and obj.get("__module__") in _MODULES:
        value = _int_keys(obj["__value__"])
        if obj.get("__class__") == "LayerError":
            return LayerError(**value)
        if obj.get("__class__") == "PauliLindbladError":
            return PauliLindbladError(**value)
    if kind == "NoiseLearnerResult":
        return NoiseLearnerResult(**obj["__value__"])
    return _object_hook(obj)


def _layer(item: Any) -> LayerError:
    if isinstance(item, LayerError):
        return item
    # the older format: [{"circuit", "qubits"}, {"generators", "rates"}]
    where, error = item
    return LayerError(
        where["circuit"], where["qubits"], PauliLindbladError(error["generators"], error["rates"])
    )


def decode_legacy_results(text: str) -> Any:
    """A legacy ``noise-learner`` result text (``{"data": [LayerError, ...], "metadata"}``) as a
    ``NoiseLearnerResult``; a text that is not JSON (a failed job's message) as it is.

    Raises:
        ValueError: The document has no ``data`` list of layer errors.
    """
    try:
        decoded = json.loads(text, object_hook=_hook)
    except json.JSONDecodeError:
        return text
    if isinstance(decoded, NoiseLearnerResult):
        return decoded
    if not isinstance(decoded, dict) or not isinstance(decoded.get("data"), list):
        raise ValueError("Not a noise-learner result: expected {'data': [...], 'metadata': {...}}.")
    try:
        layers = [_layer(item) for item in decoded["data"]]
    except (TypeError, KeyError, ValueError) as err:
        raise ValueError(f"Not a noise-learner result: a layer cannot be read ({err}).") from None
    return NoiseLearnerResult(layers, metadata=decoded.get("metadata"))
