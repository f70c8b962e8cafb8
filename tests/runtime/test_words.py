"""The Python vocabulary against the fixture ``src/format.test.mjs`` reads too, and odd inputs."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qrt_lab.runtime.summaries import words

FIXTURE = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "vocabulary.json").read_text(encoding="utf-8")
)

SINGLE = {
    "status_word": words.status_word,
    "duration": words.duration,
    "error_rate": words.error_rate,
    "microseconds": words.microseconds,
    "probability": words.probability,
    "count": words.count,
    "age": words.age,
    "local_time_utc": lambda v: words.local_time(v, utc=True),
}


@pytest.mark.parametrize("kind", sorted(SINGLE))
def test_fixture_single(kind: str) -> None:
    assert FIXTURE[kind]
    for value, expected in FIXTURE[kind]:
        assert SINGLE[kind](value) == expected, (kind, value)


def test_fixture_expectation_plural_usage() -> None:
    for (value, std), expected in FIXTURE["expectation"]:
        assert words.expectation(value, std) == expected
    for args, expected in FIXTURE["plural"]:
        assert words.plural(*args) == expected
    for args, expected in FIXTURE["session_jobs"]:
        assert words.session_jobs(*args) == expected
    assert words.usage_hint(True) == FIXTURE["usage_hint"]["local"]
    assert "emulated" in words.usage_hint(True) and "bill" in words.usage_hint(False)


def test_fixture_stale_calibration() -> None:
    """Older than 7 days is stale; the mark and its tooltip are the sidebar's too."""
    for age_seconds, stale in FIXTURE["calibration_stale"]:
        assert words.calibration_is_stale(age_seconds) is stale, age_seconds
    assert FIXTURE["stale_calibration"]["mark"] == words.STALE_MARK
    assert FIXTURE["stale_calibration"]["hint"] == words.STALE_CALIBRATION_HINT


def test_the_dashboard_words() -> None:
    client = ["DONE", "QUEUED", "RUNNING", "ERROR", "CANCELLED"]
    rest = ["Completed", "Queued", "Running", "Failed", "Cancelled"]
    expected = ["Completed", "Queued", "In progress", "Failed", "Cancelled"]
    assert [words.status_word(s) for s in client] == expected
    assert [words.status_word(s) for s in rest] == expected


ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=2),
)


@given(ODD)
def test_odd_inputs_give_a_string(value: Any) -> None:
    for format_one in SINGLE.values():
        assert isinstance(format_one(value), str)
    assert isinstance(words.expectation(value, value), str)


@given(st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=1e-9, max_value=9.9))
def test_expectation_shares_one_decimal_place(value: float, std: float) -> None:
    text = words.expectation(value, std)
    shown, error = text.split(" ± ")
    decimals = [len(p.split(".")[1]) if "." in p else 0 for p in (shown, error)]
    assert decimals[0] == decimals[1]
    assert math.isclose(float(shown), value, abs_tol=float(error) + 10 ** -decimals[0])
    assert len(re.sub(r"\D", "", error).lstrip("0")) <= 2


@given(st.floats(min_value=10, max_value=1e7))
def test_duration_adds_up(seconds: float) -> None:
    units = {"h": 3600, "min": 60, "s": 1}
    parts = words.duration(seconds).split(" ")
    total = sum(int(n) * units[u] for n, u in zip(parts[::2], parts[1::2], strict=True))
    assert total == round(seconds) or abs(total - seconds) <= 0.5
