"""bounded_json: ordinary JSON parses as json.loads does; each limit names the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qrt_lab.runtime.api.bounded_json import (
    MAX_JSON_DEPTH,
    MAX_NUMBER_CHARS,
    JsonLimitError,
    loads,
)

ORDINARY = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(10**50), max_value=10**50)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)


@settings(derandomize=True, max_examples=150, database=None, deadline=None)
@given(ORDINARY)
def test_ordinary_json_parses_like_json_loads(value: object) -> None:
    text = json.dumps(value)
    assert loads(text) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('{"a": {"b": [1, ' + "9" * 101 + "]}}", "a.b[1]", "101 digits"),
        ('{"x": -' + "9" * 5000 + "}", "x", "5000 digits"),
        ('[{"p": 1e400}]', "[0].p", "beyond the float range"),
        ('{"c": NaN}', "c", "NaN, which is not JSON"),
        ('{"c": -Infinity}', "c", "-Infinity"),
        ('{"f": 0.' + "1" * MAX_NUMBER_CHARS + "}", "f", "characters"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "[0]", "deeper than 64"),
        ("[" * 5000 + "]" * 5000, "", "too deeply"),
    ],
)
def test_each_limit_names_the_field(text: str, field: str, words: str) -> None:
    with pytest.raises(JsonLimitError) as info:
        loads(text)
    assert info.value.field.startswith(field) and words in info.value.problem


def test_the_depth_limit_is_inclusive() -> None:
    assert loads("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    assert loads("9" * MAX_NUMBER_CHARS) == int("9" * MAX_NUMBER_CHARS)
