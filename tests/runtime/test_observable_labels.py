"""Observables named as the user wrote them: non-identity part, virtual qubits, sums."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qrt_lab.runtime.summaries.observables import (
    MAX_LABEL,
    MINUS,
    observable_text,
    pauli_text,
    short_label,
)

PAULIS = st.text(alphabet="IXYZ", min_size=1, max_size=200)


def test_a_layout_applied_observable_reads_as_written() -> None:
    wide = "I" * 142 + "ZZ" + "I" * 12  # Z on physical qubits 12 and 13 of 156
    assert pauli_text(wide) == "Z₁₂Z₁₃"
    assert pauli_text(wide, {12: 0, 13: 1, 40: 2}) == "IZZ"
    assert pauli_text(wide, {12: 0, 13: 1}) == "ZZ"
    assert pauli_text("ZIX") == "ZIX" and pauli_text("III") == "I"


def test_sums_read_as_sums() -> None:
    assert (
        observable_text({"XXY": 1, "XYX": 1, "YXX": 1, "YYY": -1}) == f"XXY + XYX + YXX {MINUS} YYY"
    )
    assert observable_text({"ZZ": 0.5, "XI": -2.0}) == f"0.5·ZZ {MINUS} 2·XI"
    assert observable_text({"ZZ": -1}) == f"{MINUS}ZZ"
    assert observable_text({"ZZ": {"real": 1.0, "imag": 0.0}}) == "ZZ"
    assert observable_text({"ZZ": complex(0, 1)}).endswith("·ZZ")


@given(PAULIS)
def test_any_pauli_string_keeps_its_non_identity_part(label: str) -> None:
    text = pauli_text(label)
    if len(label) <= 8:
        assert text == label if set(label) != {"I"} else text == "I"
    else:
        assert sum(text.count(p) for p in "XYZ") == sum(label.count(p) for p in "XYZ")


@given(st.dictionaries(PAULIS, st.floats(allow_nan=True, allow_infinity=True), max_size=6))
def test_any_sum_gives_text_and_a_bounded_label(terms: dict[str, float]) -> None:
    text = observable_text(terms)
    assert isinstance(text, str) and text
    assert len(short_label(text)) <= MAX_LABEL
    assert short_label(text) == text or short_label(text).endswith("…")


@given(st.one_of(st.none(), st.integers(), st.text(max_size=30), st.lists(st.integers())))
def test_odd_observables_never_raise(value: object) -> None:
    assert isinstance(observable_text(value), str)
