"""One colour convention on coupling maps: the better end is the same colour for every metric.

Also: every colour a map uses keeps a WCAG contrast of at least 3:1 against JupyterLab's light
and dark backgrounds, faulty parts are marked, and the widgets' figures carry the edge key.
"""

from __future__ import annotations

import pytest

from qrt_lab.plots import coupling_map_figure
from qrt_lab.plots._style import FAULTY_COLOUR, MAP_SCALE, NO_DATA_COLOUR
from qrt_lab.plots.coupling_map import EDGE_BUCKETS, better_end, map_colorscale
from qrt_lab.runtime.summaries.calibration import Calibration
from qrt_lab.widgets.coupling_map import coupling_figure

#: JupyterLab Light's background, JupyterLab Dark's --jp-layout-color0 and --jp-layout-color1.
BACKGROUNDS = ["#ffffff", "#111111", "#212121"]
LINE = [[0, 1], [1, 2], [2, 3]]


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        x = c / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour", [*MAP_SCALE, NO_DATA_COLOUR, FAULTY_COLOUR])
@pytest.mark.parametrize("background", BACKGROUNDS)
def test_every_map_colour_keeps_3_to_1_on_light_and_dark(colour: str, background: str) -> None:
    assert contrast(colour, background) >= 3.0


@pytest.mark.parametrize(
    ("metric", "end"),
    [("T1 (µs)", "high"), ("T2", "high"), ("Readout error", "low"), ("CZ error", "low"),
     ("cz_length", "low"), ("P(0|1)", "low"), ("Frequency (GHz)", "high")],
)  # fmt: skip
def test_better_end_of_each_metric(metric: str, end: str) -> None:
    assert better_end(metric) == end


def _qubit_colour(figure: dict, value: float) -> str:
    """The colour plotly gives ``value`` on the qubit trace's scale (at the scale's ends)."""
    marker = next(t for t in figure["data"] if t["name"] == "qubits")["marker"]
    values = [v for v in marker["color"] if v is not None]
    position = (value - min(values)) / (max(values) - min(values))
    stops = {round(at, 6): colour for at, colour in marker["colorscale"]}
    return stops[round(position, 6)]


def _edge_colour(figure: dict, a: int, b: int) -> str:
    for trace in figure["data"][:EDGE_BUCKETS]:
        xs = trace["x"]
        for i in range(0, len(xs), 3):
            if (xs[i], xs[i + 1]) == (float(a), float(b)):
                return str(trace["line"]["color"])
    raise AssertionError(f"edge {a}-{b} not drawn")


def test_the_better_end_is_the_same_colour_for_qubits_and_edges() -> None:
    layout = {q: (float(q), 0.0) for q in range(4)}
    best = MAP_SCALE[-1]
    # T1: the longest is best; readout error: the smallest is best; CZ error: the smallest
    t1 = coupling_map_figure(4, LINE, qubit_values=[50, 80, 120, 200], qubit_metric="T1 (µs)",
                             layout=layout)  # fmt: skip
    assert _qubit_colour(t1, 200) == best and _qubit_colour(t1, 50) == MAP_SCALE[0]
    ro = coupling_map_figure(4, LINE, qubit_values=[0.01, 0.02, 0.03, 0.2],
                             qubit_metric="Readout error", layout=layout)  # fmt: skip
    assert _qubit_colour(ro, 0.01) == best and _qubit_colour(ro, 0.2) == MAP_SCALE[0]
    edges = {(0, 1): 0.002, (1, 2): 0.004, (2, 3): 0.03}
    cz = coupling_map_figure(4, LINE, edge_values=edges, edge_metric="CZ error", layout=layout)
    assert _edge_colour(cz, 0, 1) == best and _edge_colour(cz, 2, 3) == MAP_SCALE[0]
    names = [t["name"] for t in cz["data"][:EDGE_BUCKETS] if t["x"]]
    assert all("≤" in n for n in names), names  # an error bucket reads "CZ error ≤ x"
    assert map_colorscale("low")[0][1] == best and map_colorscale("high")[-1][1] == best


def test_faulty_parts_are_marked_and_the_edge_key_is_a_legend() -> None:
    figure = coupling_map_figure(
        4, LINE, edge_values={(0, 1): 0.01, (1, 2): 0.02, (2, 3): None}, edge_metric="CZ error",
        faulty_qubits=[3], faulty_edges=[[2, 3]], edge_key=True,
    )  # fmt: skip
    by_name = {t["name"]: t for t in figure["data"]}
    assert by_name["faulty qubits"]["marker"]["color"] == FAULTY_COLOUR
    assert by_name["faulty edges"]["line"]["color"] == FAULTY_COLOUR
    assert by_name["faulty edges"]["line"]["dash"] == "dot"
    shown = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert "no data" in shown and "faulty qubits" in shown and "faulty edges" in shown
    assert sum(1 for n in shown if n.startswith("CZ error")) == 2  # only the buckets in use
    assert figure["layout"]["legend"]["title"]["text"] == "CZ error"
    # the sidebar draws its own key: no legend there
    plain = coupling_map_figure(4, LINE, edge_values={(0, 1): 0.01}, edge_metric="CZ error",
                                faulty_qubits=[3])  # fmt: skip
    assert not any(t.get("showlegend") for t in plain["data"])


def test_widget_maps_get_the_edge_key_and_faulty_marks() -> None:
    cal = Calibration(
        num_qubits=4,
        qubit_metrics={"T1": [100.0, 120.0, 90.0, None]},
        edges=[(0, 1), (1, 2), (2, 3)],
        edge_metrics={"cz_error": [0.004, 0.01, 1.0]},
        faulty_qubits=[3],
        faulty_edges=[(2, 3)],
    )
    figure = coupling_figure(4, LINE, cal, "T1", "cz")
    names = {t["name"] for t in figure["data"]}
    assert {"faulty qubits", "faulty edges"} <= names
    assert figure["layout"]["showlegend"] is True
    assert figure["layout"]["legend"]["title"]["text"] == "CZ error"
