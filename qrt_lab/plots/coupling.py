"""Coupling-map coordinates: IBM's brick layout for row/bridge devices, a fallback for the rest.

Heavy-hex devices (Falcon, Eagle, Heron) are numbered row by row: each row is a run of
consecutive qubit indices joined by edges ``(i, i + 1)``, and rows are joined either by single
*bridge* qubits (heavy-hex) or directly (square lattices). :func:`coupling_layout` recognises that
structure from the edge list alone (no device names) and places rows on straight horizontal lines
with bridges half-way between them, like the IBM Quantum Platform dashboard. Graphs without that
structure fall back to a line, a small grid, or a seeded spring layout, so the result is always
deterministic.

Coordinates use the screen convention: ``x`` grows to the right and ``y`` grows *downwards*
(row 0 at the top); :func:`qrt_lab.plots.coupling_map.coupling_map_figure` reverses its y axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .brick_search import search_brick_layout

__all__ = ["Layout", "coupling_layout", "undirected_edges"]

#: Qubit index → ``(x, y)``; ``y`` grows downwards.
Layout = dict[int, tuple[float, float]]

#: Vertical distance between two consecutive rows (bridges sit half-way).
ROW_SPACING = 2.0


def undirected_edges(edges: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    """Return the sorted, de-duplicated undirected edges of a (possibly directed) coupling map.

    Args:
        edges: Pairs ``[a, b]``; both directions and repeats are allowed.

    Returns:
        Sorted ``(low, high)`` pairs without self-loops.
    """
    pairs = {(min(int(e[0]), int(e[1])), max(int(e[0]), int(e[1]))) for e in edges}
    return sorted(p for p in pairs if p[0] != p[1])


def coupling_layout(num_qubits: int, edges: Iterable[Sequence[int]]) -> Layout:
    """Place every qubit of a coupling map on the plane, deterministically.

    Args:
        num_qubits: Number of qubits (indices ``0 .. num_qubits - 1``).
        edges: The coupling map as pairs of qubit indices (directed or not).

    Returns:
        A position for every qubit index; row/bridge devices in the brick layout.

    Raises:
        ValueError: If an edge names a qubit outside ``0 .. num_qubits - 1``.
    """
    pairs = undirected_edges(edges)
    for a, b in pairs:
        if a < 0 or b >= num_qubits:
            raise ValueError(f"edge ({a}, {b}) is outside the {num_qubits} qubits of the device")
    if num_qubits <= 0:
        return {}
    rows = _row_layout(num_qubits, pairs) or search_brick_layout(num_qubits, pairs)
    if rows is not None:
        return rows
    if not pairs:
        return _grid_layout(num_qubits)
    return _spring_layout(num_qubits, pairs)


@dataclass
class _Rows:
    """Rows (runs of consecutive indices) and the row each qubit belongs to."""

    members: list[list[int]]
    row_of: dict[int, int]


def _runs(num_qubits: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Split ``0..n-1`` into maximal runs linked by ``(i, i + 1)`` edges."""
    linked = {a for a, b in pairs if b == a + 1}
    runs: list[list[int]] = [[0]]
    for q in range(1, num_qubits):
        if q - 1 in linked:
            runs[-1].append(q)
        else:
            runs.append([q])
    return runs


def _split_rows_and_bridges(
    num_qubits: int, pairs: list[tuple[int, int]]
) -> tuple[_Rows, dict[int, tuple[int, int]]] | None:
    """Classify runs: long runs are rows, lone qubits must be bridges between adjacent rows."""
    runs = _runs(num_qubits, pairs)
    row_members = [run for run in runs if len(run) >= 2]
    if not row_members:
        return None
    row_of = {q: k for k, run in enumerate(row_members) for q in run}
    neighbours: dict[int, list[int]] = {q: [] for q in range(num_qubits)}
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    bridges: dict[int, tuple[int, int]] = {}
    for run in runs:
        if len(run) >= 2:
            continue
        q = run[0]
        near = neighbours[q]
        if len(near) == 1 and near[0] in row_of:
            # a dangling qubit hangs off one row (Torino's last row)
            bridges[q] = (near[0], near[0])
            continue
        if len(near) != 2 or any(n not in row_of for n in near):
            return None
        up, down = sorted(near, key=lambda n: row_of[n])
        if row_of[down] - row_of[up] != 1:
            return None
        bridges[q] = (up, down)
    return _Rows(row_members, row_of), bridges


def _row_offsets(
    rows: _Rows, bridges: dict[int, tuple[int, int]], pairs: list[tuple[int, int]]
) -> list[int] | None:
    """Column offset of each row so that every vertical link is straight, or None."""
    column = {q: i for run in rows.members for i, q in enumerate(run)}
    links = [link for link in bridges.values() if link[0] != link[1]]
    for a, b in pairs:
        if a in rows.row_of and b in rows.row_of and rows.row_of[a] != rows.row_of[b]:
            links.append((a, b) if rows.row_of[a] < rows.row_of[b] else (b, a))
    offsets: list[int | None] = [0] + [None] * (len(rows.members) - 1)
    for up, down in sorted(links, key=lambda link: rows.row_of[link[0]]):
        k_up, k_down = rows.row_of[up], rows.row_of[down]
        if k_down - k_up != 1:
            return None
        base = offsets[k_up]
        if base is None:
            return None
        wanted = base + column[up] - column[down]
        if offsets[k_down] is None:
            offsets[k_down] = wanted
        elif offsets[k_down] != wanted:
            return None
    if any(o is None for o in offsets):
        return None
    low = min(o for o in offsets if o is not None)
    return [o - low for o in offsets if o is not None]


def _row_layout(num_qubits: int, pairs: list[tuple[int, int]]) -> Layout | None:
    """The brick layout when the graph is rows joined by bridges or vertical links, else None."""
    split = _split_rows_and_bridges(num_qubits, pairs)
    if split is None:
        return None
    rows, bridges = split
    offsets = _row_offsets(rows, bridges, pairs)
    if offsets is None:
        return None
    layout: Layout = {}
    for k, run in enumerate(rows.members):
        for i, q in enumerate(run):
            layout[q] = (float(offsets[k] + i), k * ROW_SPACING)
    for q, (up, down) in sorted(bridges.items(), key=lambda item: item[1][0] == item[1][1]):
        x, y = layout[up]
        below, above = (x, y + ROW_SPACING / 2), (x, y - ROW_SPACING / 2)
        taken = set(layout.values())
        # a dangling qubit goes below its row unless a bridge already sits there
        layout[q] = below if up != down or below not in taken else above
    if len(set(layout.values())) != num_qubits:
        return None
    return layout


def _grid_layout(num_qubits: int) -> Layout:
    """Unconnected qubits on a near-square grid, row by row."""
    width = max(1, math.ceil(math.sqrt(num_qubits)))
    return {q: (float(q % width), float(q // width)) for q in range(num_qubits)}


def _spring_layout(num_qubits: int, pairs: list[tuple[int, int]]) -> Layout:
    """A force-directed layout with a fixed seed (deterministic) for unstructured graphs."""
    import rustworkx as rx

    graph = rx.PyGraph()
    graph.add_nodes_from(range(num_qubits))
    graph.add_edges_from_no_data(pairs)
    positions = rx.spring_layout(graph, seed=1234, num_iter=200, scale=max(2.0, num_qubits**0.5))
    return {
        q: (round(float(positions[q][0]), 6), round(float(positions[q][1]), 6))
        for q in range(num_qubits)
    }
