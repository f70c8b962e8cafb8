"""Session helpers that need no server: max_time parsing and the ambient session."""

from __future__ import annotations

import pytest

from qrt_lab.runtime import IBMInputValueError
from qrt_lab.runtime.session import current_session, parse_max_time


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(60, 60), ("1h 30m", 5400), ("2h 30m 40s", 9040), ("1d", 86400), ("45s", 45), (None, None)],
)
def test_parse_max_time(value: int | str | None, seconds: int | None) -> None:
    assert parse_max_time(value) == seconds


@pytest.mark.parametrize("value", [0, -5, "soon", "1h lots", "", True, 1.5])
def test_bad_max_time(value: object) -> None:
    with pytest.raises(IBMInputValueError, match="max_time"):
        parse_max_time(value)  # type: ignore[arg-type]


def test_no_ambient_session_by_default() -> None:
    assert current_session() is None


def test_primitive_without_mode_outside_a_session() -> None:
    from qrt_lab.runtime import SamplerV2

    with pytest.raises(IBMInputValueError, match="needs a mode"):
        SamplerV2()
    with pytest.raises(IBMInputValueError, match="Unsupported mode"):
        SamplerV2(mode="ibm_fez")  # type: ignore[arg-type]
