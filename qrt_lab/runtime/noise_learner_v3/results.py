"""Results of ``NoiseLearnerV3``: Pauli-Lindblad generators and rates per learned layer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["NoiseLearnerV3Result", "NoiseLearnerV3Results"]


class NoiseLearnerV3Result:
    """The learned noise of one instruction: generators (one ``QubitSparsePauliList`` each),
    their rates and the rates' standard deviations, plus the service's metadata."""

    def __init__(self) -> None:
        self._generators: list[Any] = []
        self._rates: np.ndarray = np.array([])
        self._rates_std: np.ndarray = np.array([])
        self.metadata: Any = {}

    @classmethod
    def from_generators(
        cls,
        generators: Iterable[Any],
        rates: Iterable[float],
        rates_std: Iterable[float] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> NoiseLearnerV3Result:
        """A result from generators and rates.

        Raises:
            ValueError: Different lengths, or generators on different numbers of qubits.
        """
        obj = cls()
        obj._generators = list(generators)
        obj._rates = np.array(list(rates), dtype=np.float64)
        stds = [0.0] * len(obj._generators) if rates_std is None else list(rates_std)
        obj._rates_std = np.array(stds, dtype=np.float64)
        obj.metadata = metadata or {}
        if len({len(obj._generators), len(obj._rates), len(obj._rates_std)}) != 1:
            raise ValueError("'generators', 'rates', and 'rates_std' must be of the same length.")
        if len({generator.num_qubits for generator in obj._generators}) > 1:
            raise ValueError("All the generators must have the same number of qubits.")
        return obj

    def to_pauli_lindblad_map(self) -> Any:
        """The noise as a ``PauliLindbladMap`` (each generator's Paulis share its rate)."""
        from qiskit.quantum_info import PauliLindbladMap, QubitSparsePauliList

        coefficients = [
            rate
            for generator, rate in zip(self._generators, self._rates, strict=True)
            for _ in range(len(generator))
        ]
        paulis = QubitSparsePauliList.from_qubit_sparse_paulis(
            pauli for generator in self._generators for pauli in generator
        )
        return PauliLindbladMap.from_components(coefficients, paulis)

    def __len__(self) -> int:
        return len(self._generators)

    def __repr__(self) -> str:
        return f"NoiseLearnerV3Result(<{len(self)}> generators)"


class NoiseLearnerV3Results:
    """One ``NoiseLearnerV3Result`` per instruction given to ``NoiseLearnerV3.run``."""

    def __init__(
        self, data: Iterable[NoiseLearnerV3Result], metadata: dict[str, Any] | None = None
    ) -> None:
        self.data = list(data)
        self.metadata = metadata or None

    def to_dict(self, instructions: Sequence[Any], require_refs: bool = True) -> dict[str, Any]:
        """``{InjectNoise ref: PauliLindbladMap}`` for the instructions that were learned.

        Use it as ``QuantumProgram(noise_maps=...)``, or pair instructions and maps for the
        Estimator's ``resilience.layer_noise_model``.

        Raises:
            ValueError: A count mismatch, a non-box instruction, a box without ``InjectNoise``
                (unless ``require_refs=False``) or two boxes with the same ref.
        """
        from qiskit.circuit import BoxOp
        from samplomatic import InjectNoise
        from samplomatic.utils import get_annotation

        if len(instructions) != len(self.data):
            raise ValueError(
                f"Expected {len(self.data)} instructions but found {len(instructions)}."
            )
        noise: dict[str, Any] = {}
        count = 0
        for instruction, pauli_map in zip(instructions, self.to_pauli_lindblad_maps(), strict=True):
            if not isinstance(instruction.operation, BoxOp):
                raise ValueError("Found an instruction that does not contain a box.")
            annotation = get_annotation(instruction.operation, InjectNoise)
            if annotation:
                count += 1
                noise[annotation.ref] = pauli_map
            elif require_refs:
                raise ValueError(
                    "Found an instruction without an inject noise annotation. "
                    "Consider setting 'require_refs' to ``False``."
                )
        if count != len(noise):
            raise ValueError("Found multiple instructions with the same ``ref``.")
        return noise

    def to_pauli_lindblad_maps(self) -> list[Any]:
        """One ``PauliLindbladMap`` per instruction."""
        return [datum.to_pauli_lindblad_map() for datum in self.data]

    def __getitem__(self, idx: int) -> NoiseLearnerV3Result:
        return self.data[idx]

    def __iter__(self) -> Iterator[NoiseLearnerV3Result]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"NoiseLearnerV3Results(<{len(self.data)}> data)"
