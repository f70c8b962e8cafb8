"""Transpiling circuits for a backend: the preset transpiler's choice, or a fixed layout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qiskit.circuit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager

__all__ = ["SEED", "Transpiled", "transpile_preset", "transpile_with_layout"]

#: The transpiler's seed (rankings are reproducible).
SEED = 11


@dataclass(frozen=True)
class Transpiled:
    """ISA circuits and the layout they start on (``layout[v]`` = physical qubit of ``v``)."""

    layout: tuple[int, ...]
    circuits: tuple[QuantumCircuit, ...]


def _initial_layout(circuit: QuantumCircuit) -> tuple[int, ...]:
    layout = circuit.layout
    if layout is None:
        return tuple(range(circuit.num_qubits))
    return tuple(int(p) for p in layout.initial_index_layout(filter_ancillas=True))


def transpile_with_layout(
    circuits: Sequence[QuantumCircuit], backend: Any, layout: Sequence[int], level: int
) -> Transpiled:
    """Transpile ``circuits`` for ``backend`` starting on ``layout`` (routing if needed)."""
    manager = generate_preset_pass_manager(
        optimization_level=level,
        target=backend.target,
        initial_layout=list(layout),
        seed_transpiler=SEED,
    )
    out = manager.run(list(circuits))
    return Transpiled(tuple(int(p) for p in layout), tuple(out))


def transpile_preset(circuits: Sequence[QuantumCircuit], backend: Any, level: int) -> Transpiled:
    """The preset transpiler's layout for the first circuit, used for all of them."""
    manager = generate_preset_pass_manager(
        optimization_level=level, target=backend.target, seed_transpiler=SEED
    )
    first = manager.run(circuits[0])
    layout = _initial_layout(first)
    if len(circuits) == 1:
        return Transpiled(layout, (first,))
    rest = transpile_with_layout(circuits[1:], backend, layout, level)
    return Transpiled(layout, (first, *rest.circuits))
