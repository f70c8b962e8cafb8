"""Brick layout for small heavy-hex devices whose numbering is not row by row (Falcon 27).

Every degree-3 qubit of a heavy-hex device has two neighbours in its row and one vertical
neighbour (a bridge to the next row, or a qubit hanging off the row). For small devices all
choices of the vertical neighbour are tried; a choice is valid when the remaining qubits form
straight rows joined by single bridges between consecutive rows. The valid layout with the fewest
rows (then the fewest hanging qubits) wins; ties keep the first in a fixed order, so the result is
deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

__all__ = ["MAX_JUNCTIONS", "search_brick_layout"]

#: Above this many degree-3 qubits the search is skipped (3**n choices).
MAX_JUNCTIONS = 8
ROW_SPACING = 2.0

Layout = dict[int, tuple[float, float]]
Neighbours = dict[int, list[int]]


def search_brick_layout(num_qubits: int, pairs: list[tuple[int, int]]) -> Layout | None:
    """A brick layout found by trying every vertical-edge choice, or None."""
    nbrs: Neighbours = {q: [] for q in range(num_qubits)}
    for a, b in pairs:
        nbrs[a].append(b)
        nbrs[b].append(a)
    junctions = [q for q in range(num_qubits) if len(nbrs[q]) == 3]
    if not junctions or len(junctions) > MAX_JUNCTIONS or max(map(len, nbrs.values())) > 3:
        return None
    best: tuple[tuple[int, int], Layout] | None = None
    for choice in itertools.product(*(sorted(nbrs[j]) for j in junctions)):
        vertical = set(choice)
        if vertical & set(junctions) or any(len(nbrs[x]) > 2 for x in vertical):
            continue
        found = _layout_for(num_qubits, nbrs, vertical)
        if found is None:
            continue
        layout, rows = found
        score = (rows, len(vertical))
        if best is None or score < best[0]:
            best = (score, layout)
    return best[1] if best else None


def _rows(num_qubits: int, nbrs: Neighbours, vertical: set[int]) -> list[list[int]] | None:
    """Rows = components of the graph without the vertical qubits; each must be a path."""
    seen: set[int] = set()
    rows: list[list[int]] = []
    for start in range(num_qubits):
        if start in vertical or start in seen:
            continue
        inside = [n for n in nbrs[start] if n not in vertical]
        if len(inside) == 2:
            continue  # start walks from a path end
        path, prev, node = [start], -1, start
        seen.add(start)
        while True:
            nxt = [n for n in nbrs[node] if n not in vertical and n != prev]
            if len(nxt) > 1:
                return None
            if not nxt:
                break
            prev, node = node, nxt[0]
            if node in seen:
                return None
            seen.add(node)
            path.append(node)
        rows.append(path)
    if len(seen) + len(vertical) != num_qubits or len(rows) < 2:
        return None  # a cycle was left over, or only one row
    return rows


def _orientations(rows: list[list[int]]) -> Iterator[list[list[int]]]:
    first = rows[0] if rows[0][0] < rows[0][-1] else rows[0][::-1]
    for flips in itertools.product((False, True), repeat=len(rows) - 1):
        yield [first] + [r[::-1] if f else r for r, f in zip(rows[1:], flips, strict=True)]


def _layout_for(num_qubits: int, nbrs: Neighbours, vertical: set[int]) -> tuple[Layout, int] | None:
    """The layout for one choice of vertical qubits and its number of rows, or None."""
    rows = _rows(num_qubits, nbrs, vertical)
    if rows is None:
        return None
    row_of = {q: k for k, row in enumerate(rows) for q in row}
    bridges = [x for x in vertical if len(nbrs[x]) == 2]
    links = []
    for x in bridges:
        a, b = nbrs[x]
        if a not in row_of or b not in row_of or row_of[a] == row_of[b]:
            return None
        links.append((x, a, b))
    order = _row_order(len(rows), [(row_of[a], row_of[b]) for _, a, b in links])
    if order is None:
        return None
    rows = [rows[k] for k in order]
    for oriented in _orientations(rows):
        layout = _place(oriented, links, nbrs, vertical)
        if layout is not None and len(set(layout.values())) == num_qubits:
            return layout, len(rows)
    return None


def _row_order(count: int, links: list[tuple[int, int]]) -> list[int] | None:
    """Rows joined by bridges must form one chain; return it from its lower-numbered end."""
    adjacent: dict[int, set[int]] = {k: set() for k in range(count)}
    for a, b in links:
        adjacent[a].add(b)
        adjacent[b].add(a)
    ends = [k for k, near in adjacent.items() if len(near) == 1]
    if count < 2 or any(len(n) > 2 for n in adjacent.values()) or len(ends) != 2:
        return None
    chain, prev = [min(ends)], -1
    while len(chain) < count:
        nxt = [k for k in adjacent[chain[-1]] if k != prev]
        if len(nxt) != 1:
            return None
        prev = chain[-1]
        chain.append(nxt[0])
    return chain


def _place(
    rows: list[list[int]],
    links: list[tuple[int, int, int]],
    nbrs: Neighbours,
    vertical: set[int],
) -> Layout | None:
    row_of = {q: k for k, row in enumerate(rows) for q in row}
    column = {q: i for row in rows for i, q in enumerate(row)}
    offsets: list[int | None] = [0] + [None] * (len(rows) - 1)
    for k in range(len(rows) - 1):
        for _, a, b in links:
            up, down = (a, b) if row_of[a] < row_of[b] else (b, a)
            if row_of[up] != k:
                continue
            if row_of[down] != k + 1:
                return None
            base = offsets[k]
            assert base is not None
            wanted = base + column[up] - column[down]
            if offsets[k + 1] not in (None, wanted):
                return None
            offsets[k + 1] = wanted
    if any(o is None for o in offsets):
        return None
    low = min(o for o in offsets if o is not None)
    layout: Layout = {}
    for k, row in enumerate(rows):
        shift = (offsets[k] or 0) - low
        for i, q in enumerate(row):
            layout[q] = (float(shift + i), k * ROW_SPACING)
    for x, a, b in links:
        layout[x] = (layout[a][0], (layout[a][1] + layout[b][1]) / 2)
    for x in sorted(vertical - {x for x, _, _ in links}):
        anchor = nbrs[x][0]
        xa, ya = layout[anchor]
        taken = set(layout.values())
        below, above = (xa, ya + ROW_SPACING / 2), (xa, ya - ROW_SPACING / 2)
        # hang off the outside of the top row, below any other row unless a bridge is there
        layout[x] = above if ya == 0 or below in taken else below
    top = min(y for _, y in layout.values())
    return {q: (x, y - top) for q, (x, y) in layout.items()}
