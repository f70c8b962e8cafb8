"""``layout_map_figure``: a layout on a coupling map, any layout a caller may pass."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qrt_lab.plots import EDGE_BUCKETS, layout_map_figure
from qrt_lab.plots._style import NO_DATA_COLOUR

#: A 7-qubit "H": two rows of three joined through qubit 3.
EDGES = [[0, 1], [1, 2], [1, 3], [3, 5], [4, 5], [5, 6]]


def _trace(figure: dict, name: str) -> dict:
    return next(t for t in figure["data"] if t["name"] == name)


def test_used_edges_are_coloured_and_the_rest_greyed() -> None:
    figure = layout_map_figure(
        7,
        EDGES,
        [0, 1, 3],
        used_edges=[[1, 0], [3, 1]],
        edge_values={(0, 1): 0.01, (1, 3): 0.02},
        qubit_values={0: 0.05, 1: 0.01, 3: 0.03},
        edge_metric="CX error",
        show=lambda v: "n/a" if v is None else f"{v:.2f}",
    )
    background = _trace(figure, "not used")
    assert background["line"]["color"] == NO_DATA_COLOUR
    assert len(background["x"]) // 3 == len(EDGES) - 2
    buckets = figure["data"][2 : 2 + EDGE_BUCKETS]
    coloured = [t for t in buckets if t["x"]]
    assert len(coloured) == 2 and all(t["showlegend"] for t in coloured)
    hover = figure["data"][2 + EDGE_BUCKETS + 1]
    assert hover["text"] == ["0-1<br>CX error: 0.01", "1-3<br>CX error: 0.02"]
    qubits = _trace(figure, "layout qubits")
    assert qubits["text"] == ["0", "1", "3"]
    assert qubits["marker"]["color"] == [0.05, 0.01, 0.03]
    assert "circuit qubit 2" in qubits["hovertext"][2]
    assert len(_trace(figure, "qubits not used")["x"]) == 4


def test_default_used_edges_join_the_layout_qubits() -> None:
    figure = layout_map_figure(7, EDGES, [4, 5, 6])
    buckets = figure["data"][2 : 2 + EDGE_BUCKETS + 1]
    assert sum(len(t["x"]) // 3 for t in buckets) == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-3, max_value=10), max_size=9))
def test_any_layout_is_drawn_or_refused_clearly(layout: list[int]) -> None:
    valid = all(0 <= q < 7 for q in layout) and len(set(layout)) == len(layout)
    if not valid:
        with pytest.raises(ValueError, match=r"outside|two circuit qubits on one"):
            layout_map_figure(7, EDGES, layout)
        return
    figure = layout_map_figure(7, EDGES, layout)
    assert _trace(figure, "layout qubits")["text"] == [str(q) for q in layout]
    assert len(_trace(figure, "qubits not used")["x"]) == 7 - len(layout)
