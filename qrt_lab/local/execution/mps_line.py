"""The line a matrix-product-state simulation lays the qubits on, and its bond-dimension bound.

Every two-qubit gate crossing a cut of a line of qubits at most doubles (``cz``, ``cx``,
``ecr``, ``rzz``...) or quadruples (``swap``, general unitaries) the Schmidt rank there, and
noise acts qubit by qubit, so the bond dimension of every noise trajectory is bounded by
``2 ** min(left qubits, right qubits, crossing ranks)``. The qubits are laid on the line in the
order (of a few candidates) that keeps that bound smallest.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from qiskit.circuit import QuantumCircuit

__all__ = ["bond_exponents", "crossing_bits", "gate_qubits", "line_order"]

#: Gates whose operator Schmidt rank is 2 (one bit of entanglement per crossing).
_RANK_TWO = frozenset(
    {"cx", "cy", "cz", "ch", "ecr", "cp", "crx", "cry", "crz", "rzz", "rxx", "ryy", "rzx", "cs"}
    | {"csdg", "csx", "cu", "cu1", "cu3", "cphase", "ms"}
)
_NOT_GATES = frozenset({"barrier", "measure", "reset", "delay"})


def gate_qubits(circuit: QuantumCircuit) -> list[tuple[str, tuple[int, ...]]]:
    """``(name, qubit indices)`` of every gate (no barriers, measurements, resets, delays)."""
    return [
        (inst.operation.name, tuple(circuit.find_bit(q).index for q in inst.qubits))
        for inst in circuit.data
        if inst.operation.name not in _NOT_GATES
    ]


def crossing_bits(name: str, width: int) -> int:
    """log2 of the Schmidt rank a ``width``-qubit gate ``name`` may add across each cut."""
    if width < 2:
        return 0
    return (1 if name in _RANK_TWO else 2) * (width - 1)


def bond_exponents(circuit: QuantumCircuit, order: Sequence[int]) -> list[int]:
    """Per cut of the line ``order``: log2 of the bound on the Schmidt rank across it."""
    n = circuit.num_qubits
    position = {q: i for i, q in enumerate(order)}
    crossings = [0] * max(n - 1, 0)
    for name, qubits in gate_qubits(circuit):
        if len(qubits) < 2:
            continue
        spots = [position[q] for q in qubits]
        bits = crossing_bits(name, len(qubits))
        for cut in range(min(spots), max(spots)):
            crossings[cut] += bits
    return [min(c, k + 1, n - k - 1) for k, c in enumerate(crossings)]


def _neighbours(circuit: QuantumCircuit) -> list[set[int]]:
    graph: list[set[int]] = [set() for _ in range(circuit.num_qubits)]
    for _, qubits in gate_qubits(circuit):
        for a in qubits:
            graph[a].update(b for b in qubits if b != a)
    return graph


def _farthest(graph: list[set[int]], start: int) -> int:
    seen, queue, last = {start}, deque([start]), start
    while queue:
        last = queue.popleft()
        for b in sorted(graph[last]):
            if b not in seen:
                seen.add(b)
                queue.append(b)
    return last


def _walk(graph: list[set[int]], start_of: list[int], depth_first: bool) -> list[int]:
    order: list[int] = []
    seen: set[int] = set()
    for start in start_of:
        if start in seen:
            continue
        seen.add(start)
        frontier = deque([start])
        while frontier:
            q = frontier.pop() if depth_first else frontier.popleft()
            order.append(q)
            fresh = sorted((b for b in graph[q] if b not in seen), key=lambda b: len(graph[b]))
            if depth_first:
                fresh.reverse()
            seen.update(fresh)
            frontier.extend(fresh)
    return order


def _score(circuit: QuantumCircuit, order: Sequence[int]) -> tuple[int, int]:
    exponents = bond_exponents(circuit, order)
    return max(exponents, default=0), sum(8**e for e in exponents)


def line_order(circuit: QuantumCircuit) -> tuple[int, ...]:
    """An order of the qubits on a line that keeps the matrix-product-state bond bound small.

    Candidates are the given order and walks of the interaction graph (depth-first and
    breadth-first) from an end of it; the one with the smallest bound wins.
    """
    n = circuit.num_qubits
    identity = tuple(range(n))
    if n < 3:
        return identity
    graph = _neighbours(circuit)
    ends = sorted(range(n), key=lambda q: (len(graph[q]) == 0, q))
    peripheral = _farthest(graph, ends[0])
    starts = [peripheral, *range(n)]
    candidates = [identity]
    candidates += [tuple(_walk(graph, starts, depth_first)) for depth_first in (True, False)]
    return min(candidates, key=lambda order: _score(circuit, order))
