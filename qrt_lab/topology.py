"""Coupling-map topologies of IBM processors, generated from lattice descriptions.

Shared by the local service's built-in devices and the client's fake backends
(``qrt_lab.runtime.fake_provider``); it imports no other part of qrt-lab.

A heavy-hex lattice is a set of long *rows* of qubits joined by short *bridge* qubits. Each bridge
sits between two rows (or hangs off one row, as on Falcon) and couples to the row qubits directly
above and below it. Qubits are numbered by sorting their lattice coordinates the way IBM numbers
its processors: row-major for Eagle and Heron, column-major for Falcon. The generated graphs equal
the coupling maps of ``ibm_brisbane`` (127 qubits), ``ibm_fez`` (156 qubits) and the 27-qubit
Falcon devices such as ``ibm_kolkata``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Topology",
    "falcon_t5",
    "heavy_hex_eagle127",
    "heavy_hex_falcon27",
    "heavy_hex_heron156",
    "lattice_topology",
    "line",
]

Coord = tuple[int, int]


@dataclass(frozen=True)
class Topology:
    """An undirected coupling graph with lattice coordinates.

    Attributes:
        num_qubits: Number of qubits.
        edges: Undirected edges ``(a, b)`` with ``a < b``, sorted.
        coords: ``coords[q]`` is the ``(row, column)`` lattice position of qubit ``q``.
    """

    num_qubits: int
    edges: tuple[tuple[int, int], ...]
    coords: tuple[Coord, ...]

    def directed_both(self) -> list[list[int]]:
        """Both directions of every edge, sorted (the Heron/CZ convention)."""
        pairs = [[a, b] for a, b in self.edges] + [[b, a] for a, b in self.edges]
        return sorted(pairs)

    def neighbours(self, qubit: int) -> list[int]:
        """Qubits coupled to ``qubit``."""
        return sorted(
            {b for a, b in self.edges if a == qubit} | {a for a, b in self.edges if b == qubit}
        )


def lattice_topology(
    rows: Iterable[tuple[int, Sequence[int]]],
    bridges: Iterable[Coord],
    *,
    column_major: bool = False,
) -> Topology:
    """Build a topology from rows of qubits and bridge qubits.

    Args:
        rows: ``(row, columns)`` pairs; the qubits of one row are chained left to right.
        bridges: ``(row, column)`` positions of bridge qubits; each couples to the qubits at the
            same column in the rows directly above and below, when those exist.
        column_major: Number qubits by (column, row) instead of (row, column).

    Returns:
        The numbered topology.
    """
    row_links: list[tuple[Coord, Coord]] = []
    nodes: set[Coord] = set()
    for row, columns in rows:
        cols = list(columns)
        nodes.update((row, c) for c in cols)
        row_links.extend(((row, a), (row, b)) for a, b in itertools.pairwise(cols))
    bridge_links: list[tuple[Coord, Coord]] = []
    for row, col in bridges:
        bridge_links.extend(((row, col), (r, col)) for r in (row - 1, row + 1) if (r, col) in nodes)
    nodes.update(bridges)

    def order(node: Coord) -> Coord:
        return (node[1], node[0]) if column_major else node

    ordered = sorted(nodes, key=order)
    index = {node: i for i, node in enumerate(ordered)}
    edges = sorted(
        (min(index[a], index[b]), max(index[a], index[b])) for a, b in row_links + bridge_links
    )
    return Topology(num_qubits=len(ordered), edges=tuple(edges), coords=tuple(ordered))


def _brick_bridges(num_rows: int, phases: tuple[Sequence[int], Sequence[int]]) -> list[Coord]:
    """Bridge positions between consecutive rows, alternating between two column sets."""
    return [(2 * k + 1, c) for k in range(num_rows - 1) for c in phases[k % 2]]


def heavy_hex_heron156() -> Topology:
    """The 156-qubit Heron r2 lattice (as ``ibm_fez``): 8 rows of 16, 7 bridge rows of 4."""
    rows = [(2 * k, range(16)) for k in range(8)]
    bridges = _brick_bridges(8, ((3, 7, 11, 15), (1, 5, 9, 13)))
    return lattice_topology(rows, bridges)


def heavy_hex_eagle127() -> Topology:
    """The 127-qubit Eagle r3 lattice (as ``ibm_brisbane``): 7 rows, 6 bridge rows of 4."""
    rows: list[tuple[int, Sequence[int]]] = [(0, range(14))]
    rows += [(2 * k, range(15)) for k in range(1, 6)]
    rows += [(12, range(1, 15))]
    bridges = _brick_bridges(7, ((0, 4, 8, 12), (2, 6, 10, 14)))
    return lattice_topology(rows, bridges)


def heavy_hex_falcon27() -> Topology:
    """The 27-qubit Falcon heavy-hex lattice (as ``ibm_kolkata``/``ibm_hanoi``), column-major."""
    rows = [(1, range(10)), (3, range(1, 11))]
    bridges = [(0, 3), (0, 7), (2, 1), (2, 5), (2, 9), (4, 3), (4, 7)]
    return lattice_topology(rows, bridges, column_major=True)


def falcon_t5() -> Topology:
    """The 5-qubit Falcon r4 T shape (as ``ibmq_lima``/``ibmq_belem``): ``0-1-2`` with ``1-3-4``."""
    return lattice_topology([(0, range(3)), (2, [1])], [(1, 1)])


def line(num_qubits: int) -> Topology:
    """A chain ``0-1-...-(n-1)`` (the 5-qubit Falcon r5.11L, as ``ibmq_manila``)."""
    return lattice_topology([(0, range(num_qubits))], [])
