"""``coupling_layout`` on the real coupling maps of fez, torino, brisbane and manila."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from qrt_lab.plots.coupling import ROW_SPACING, coupling_layout, undirected_edges

Loader = Callable[[str], dict[str, Any]]


def _rows(layout: dict[int, tuple[float, float]]) -> dict[float, list[int]]:
    rows: dict[float, list[int]] = {}
    for q, (_, y) in layout.items():
        rows.setdefault(y, []).append(q)
    return rows


@pytest.mark.parametrize(
    ("name", "n_rows", "row_width"),
    [("fez", 8, 16), ("torino", 7, 15), ("brisbane", 7, 15)],
)
def test_heavy_hex_devices_get_the_brick_layout(
    configuration: Loader, name: str, n_rows: int, row_width: int
) -> None:
    conf = configuration(name)
    n = conf["n_qubits"]
    layout = coupling_layout(n, conf["coupling_map"])
    assert sorted(layout) == list(range(n))
    assert len(set(layout.values())) == n, "two qubits drawn on the same spot"
    rows = _rows(layout)
    main_rows = {y: qs for y, qs in rows.items() if y % ROW_SPACING == 0}
    assert len(main_rows) == n_rows
    assert max(len(qs) for qs in main_rows.values()) == row_width
    for y, qs in main_rows.items():
        xs = sorted(layout[q][0] for q in qs)
        assert xs == [xs[0] + i for i in range(len(xs))], f"row at y={y} has a gap"
    edges = undirected_edges(conf["coupling_map"])
    for a, b in edges:
        (xa, ya), (xb, yb) = layout[a], layout[b]
        # every edge is either inside a row (one step right) or vertical (bridge)
        assert (ya == yb and abs(xa - xb) == 1) or (xa == xb and abs(ya - yb) == ROW_SPACING / 2)
    bridge_rows = {y: qs for y, qs in rows.items() if y % ROW_SPACING != 0}
    for qs in bridge_rows.values():
        for q in qs:
            assert all(abs(layout[q][1] - layout[o][1]) == ROW_SPACING / 2 for o in _nbrs(q, edges))


def _nbrs(q: int, edges: list[tuple[int, int]]) -> list[int]:
    return [b if a == q else a for a, b in edges if q in (a, b)]


def test_fez_matches_the_reference_brick_picture(configuration: Loader) -> None:
    conf = configuration("fez")
    layout = coupling_layout(156, conf["coupling_map"])
    rows = _rows(layout)
    bridge_cols = [
        sorted(int(layout[q][0]) for q in rows[y]) for y in sorted(rows) if y % ROW_SPACING
    ]
    assert len(bridge_cols) == 7
    # 4 bridges per gap, every fourth column, the offset alternating between gaps
    assert bridge_cols[0] == [3, 7, 11, 15]
    assert bridge_cols[1] == [1, 5, 9, 13]
    assert bridge_cols == [bridge_cols[i % 2] for i in range(7)]
    assert layout[0] == (0.0, 0.0), "qubit 0 is the top-left corner"


def test_torino_dangling_qubits_hang_below_the_last_row(configuration: Loader) -> None:
    conf = configuration("torino")
    layout = coupling_layout(133, conf["coupling_map"])
    last = max(y for _, y in layout.values())
    assert sorted(q for q, (_, y) in layout.items() if y == last) == [
        129,
        130,
        131,
        132,
    ]


def test_manila_is_a_straight_line(configuration: Loader) -> None:
    conf = configuration("manila")
    layout = coupling_layout(5, conf["coupling_map"])
    assert layout == {q: (float(q), 0.0) for q in range(5)}


def test_unstructured_graph_falls_back_to_a_deterministic_layout() -> None:
    ring = [[i, (i * 7 + 3) % 12] for i in range(12)]
    first = coupling_layout(12, ring)
    assert first == coupling_layout(12, ring)
    assert len(set(first.values())) == 12
    assert Counter(y for _, y in first.values()).most_common(1)[0][1] < 12


def test_edgeless_qubits_go_on_a_grid() -> None:
    assert coupling_layout(4, []) == {
        0: (0.0, 0.0),
        1: (1.0, 0.0),
        2: (0.0, 1.0),
        3: (1.0, 1.0),
    }


def test_edge_outside_the_device_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        coupling_layout(3, [[0, 5]])


# IBM's 27-qubit Falcon numbering (ibmq_montreal, ibm_kawasaki ...): rows are not index runs
FALCON_27 = [
    (0, 1), (1, 2), (1, 4), (2, 3), (3, 5), (4, 7), (5, 8), (6, 7), (7, 10), (8, 9), (8, 11),
    (10, 12), (11, 14), (12, 13), (12, 15), (13, 14), (14, 16), (15, 18), (16, 19), (17, 18),
    (18, 21), (19, 20), (19, 22), (21, 23), (22, 25), (23, 24), (24, 25), (25, 26),
]  # fmt: skip


def test_falcon_27_is_found_without_row_numbering() -> None:
    layout = coupling_layout(27, FALCON_27)
    rows = _rows(layout)
    top, bottom = sorted(y for y, qs in rows.items() if len(qs) == 10)
    assert [q for q, _ in sorted(((q, layout[q][0]) for q in rows[top]), key=lambda t: t[1])] == [
        0, 1, 4, 7, 10, 12, 15, 18, 21, 23,
    ]  # fmt: skip
    assert sorted(rows[bottom]) == [3, 5, 8, 11, 14, 16, 19, 22, 25, 26]
    assert sorted(rows[(top + bottom) / 2]) == [2, 13, 24], "bridges half-way between the rows"
    assert {q for q, (_, y) in layout.items() if y < top} == {6, 17}
    assert {q for q, (_, y) in layout.items() if y > bottom} == {9, 20}
    for a, b in FALCON_27:
        (xa, ya), (xb, yb) = layout[a], layout[b]
        assert (ya == yb and abs(xa - xb) == 1) or (xa == xb and abs(ya - yb) == 1)
