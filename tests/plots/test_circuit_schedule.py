"""``draw_circuit_schedule_timing``: the official figure's traces for the same schedule text.

Differences from the official figure, on purpose: the x-axis range ends at the numerically
latest finish (the official takes the max of the finish *strings*, so ``"8"`` beats ``"148"``),
and bad input raises a ``ValueError`` that names the line (never a numpy error).
"""

from __future__ import annotations

import json
import warnings

import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qrt_lab.plots.schedule_data import schedule_rows
from qrt_lab.plots.visualization import draw_circuit_schedule_timing

SCHEDULE = """main,barrier,Q0,0,0,barrier
main,sx_0,Q0,0,8,sx_pulse
main,sx_0,Q0,8,8,sx_pulse
main,rz_0,Q0,16,0,shift_phase_a
main,cz_0_1,Q0,16,24,cz_pulse
main,cz_0_1,Q1,16,24,cz_pulse
main,measure_0,AWGR0,40,100,readout
shift_phase_only,x,Q1,0,0,ignored
then,x_1,Q1,140,8,x_pulse
else,sx_1,Q1,140,8,sx_pulse
else,rz_1,Q1,144,0,shift_phase_b
main,barrier,Q1,148,0,barrier
main,ecr_1_2,Q2,20,30,ecr_pulse
"""

KWARGS = [
    {},
    {"merge_common_instructions": True},
    {"filter_readout_channels": True, "filter_barriers": True},
    {"included_channels": ["Q1", "AWGR0", "Q0"]},
    {"width": 900, "merge_common_instructions": True, "filter_barriers": True},
]


def _plain(figure) -> dict:
    return json.loads(pio.to_json(figure))


@pytest.mark.parametrize("kwargs", KWARGS)
def test_traces_and_layout_equal_the_official_figure(kwargs) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from qiskit_ibm_runtime.visualization import draw_circuit_schedule_timing as official

    mine = _plain(draw_circuit_schedule_timing(SCHEDULE, **kwargs))
    theirs = _plain(official(SCHEDULE, **kwargs))
    assert mine["data"] == theirs["data"]
    assert len(mine["data"]) >= 7
    mine_x, theirs_x = mine["layout"].pop("xaxis"), theirs["layout"].pop("xaxis")
    theirs["layout"].pop("template", None)
    mine["layout"].pop("template", None)
    assert mine["layout"] == theirs["layout"]
    assert mine_x.pop("range") == [0, 149]  # the latest finish is 148 in every case
    theirs_x.pop("range")
    assert mine_x == theirs_x


def test_accepts_the_official_circuit_schedule_object() -> None:
    from qiskit_ibm_runtime.visualization.circuit_schedule import CircuitSchedule

    mine = _plain(draw_circuit_schedule_timing(CircuitSchedule(SCHEDULE), filter_barriers=True))
    text = _plain(draw_circuit_schedule_timing(SCHEDULE, filter_barriers=True))
    assert mine == text


def test_channels_and_merge() -> None:
    rows, channels = schedule_rows(SCHEDULE, merge_common_instructions=True)
    assert channels == ["AWGR0", "Q0", "Q1", "Q2"]
    merged_sx = [r for r in rows if r.instruction == "sx_0"]
    assert [(r.start, r.finish) for r in merged_sx] == [(0, 16)]
    _, ordered = schedule_rows(SCHEDULE, included_channels=["Q2", "Q0"])
    assert ordered == ["Q0", "Q2"]


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("main,x,Q0,0,8", {}, "line 1 has 5 fields"),
        ("main,x,Q0,zero,8,p", {}, "must be integers"),
        ("loop,x,Q0,0,8,p", {}, "not one of main, then, else"),
        ("", {}, "no instruction"),
        ("main,x,Q0,0,8,p", {"included_channels": ["Q9"]}, "no instruction"),
    ],
)
def test_bad_schedules_say_what_is_wrong(text: str, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        draw_circuit_schedule_timing(text, **kwargs)
    with pytest.raises(ValueError, match="schedule text or a CircuitSchedule"):
        draw_circuit_schedule_timing(42)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="mainthelsQ0123,_x\n-", max_size=80))
def test_hostile_text_is_a_figure_or_a_value_error(text: str) -> None:
    try:
        figure = draw_circuit_schedule_timing(text)
    except ValueError:
        return
    assert figure.data
