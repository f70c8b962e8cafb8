"""Transpiling circuits for a backend: the preset transpiler's choice, or a fixed layout.

Every candidate's circuits come from one call, :func:`pass_manager` on the candidate's layout,
level and seed, so the code "use this" writes (the same call) gives the same circuits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qiskit.circuit import QuantumCircuit
from qiskit.transpiler import PassManager, generate_preset_pass_manager

__all__ = [
    "SEED",
    "Transpiled",
    "pass_manager",
    "preset_layout",
    "transpile_preset",
    "transpile_with_layout",
]

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


def pass_manager(
    backend: Any, level: int, layout: Sequence[int] | None = None, seed: int = SEED
) -> PassManager:
    """The preset pass manager the advisor transpiles with (and "use this" writes)."""
    return generate_preset_pass_manager(
        backend=backend,
        optimization_level=level,
        initial_layout=None if layout is None else [int(p) for p in layout],
        seed_transpiler=seed,
    )


def transpile_with_layout(
    circuits: Sequence[QuantumCircuit], backend: Any, layout: Sequence[int], level: int
) -> Transpiled:
    """Transpile ``circuits`` for ``backend`` starting on ``layout`` (routing if needed)."""
    out = pass_manager(backend, level, layout).run(list(circuits))
    return Transpiled(tuple(int(p) for p in layout), tuple(out))


def preset_layout(circuit: QuantumCircuit, backend: Any, level: int) -> tuple[int, ...]:
    """The layout the preset transpiler alone picks for ``circuit`` (no layout given)."""
    return _initial_layout(pass_manager(backend, level).run(circuit))


def transpile_preset(circuits: Sequence[QuantumCircuit], backend: Any, level: int) -> Transpiled:
    """What the preset transpiler alone gives: its layout for the first circuit, used for all.

    The baseline the advisor is measured against (the first circuit as the preset transpiler
    routed it, which the same pass manager with that layout fixed need not reproduce).
    """
    first = pass_manager(backend, level).run(circuits[0])
    layout = _initial_layout(first)
    if len(circuits) == 1:
        return Transpiled(layout, (first,))
    rest = transpile_with_layout(circuits[1:], backend, layout, level)
    return Transpiled(layout, (first, *rest.circuits))
