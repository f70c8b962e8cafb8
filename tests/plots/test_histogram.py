"""Histogram figures count packed shot rows exactly like Qiskit and keep top-k + "other"."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qiskit.primitives.containers import BitArray

from qrt_lab.plots import (
    counts_histogram_figure,
    histogram_figure,
    outcomes_from_bits,
    outcomes_from_counts,
)


@settings(max_examples=40, deadline=None)
@given(
    num_bits=st.integers(1, 70),
    samples=st.lists(st.integers(0, 2**70 - 1), min_size=1, max_size=60),
)
def test_counts_match_qiskit(num_bits: int, samples: list[int]) -> None:
    bits = BitArray.from_samples([s % (1 << num_bits) for s in samples], num_bits=num_bits)
    expected = {int(k, 2): v for k, v in bits.get_counts().items()}
    assert outcomes_from_bits(bits).as_dict() == expected


def test_top_k_plus_other_sorted_by_count_then_bitstring() -> None:
    counts = {"000": 5, "111": 9, "001": 5, "010": 1, "100": 2}
    trace = counts_histogram_figure(counts, top_k=3)["data"][0]
    assert trace["x"] == ["111", "000", "001", "other"]
    assert trace["y"] == [9, 5, 5, 3]


@pytest.mark.parametrize(
    ("sort", "order"),
    [("bitstring", ["001", "100", "111"]), ("hamming", ["001", "100", "111"])],
)
def test_sort_orders(sort: str, order: list[str]) -> None:
    counts = {"111": 9, "100": 5, "001": 6, "000": 1}
    assert counts_histogram_figure(counts, top_k=3, sort=sort)["data"][0]["x"][:3] == order


def test_hamming_sort_puts_lighter_outcomes_first() -> None:
    counts = {"110": 9, "100": 5, "011": 6}
    assert counts_histogram_figure(counts, sort="hamming")["data"][0]["x"] == ["100", "011", "110"]


def test_several_registers_ket_labels_and_parameter_index() -> None:
    # shape (2,) parameter sweep, 3 shots each: the loc picks one sweep point
    low = BitArray.from_samples(["01", "01", "10", "11", "11", "11"], num_bits=2).reshape(2, 3)
    high = BitArray.from_samples(["1", "1", "1", "0", "0", "0"], num_bits=1).reshape(2, 3)
    outcomes = outcomes_from_bits([high, low], loc=1)
    figure = histogram_figure(outcomes, labels="ket")
    assert figure["data"][0]["x"] == ["|0 11⟩"]
    assert figure["data"][0]["y"] == [3]
    everything = outcomes_from_bits([high, low])
    assert everything.shots == 6
    assert everything.widths == (1, 2)


def test_registers_with_different_shots_are_refused() -> None:
    a = BitArray.from_samples(["0", "1"], num_bits=1)
    b = BitArray.from_samples(["0"], num_bits=1)
    with pytest.raises(ValueError, match="different numbers of shots"):
        outcomes_from_bits([a, b])


def test_overlay_uses_the_same_outcomes_and_probabilities() -> None:
    ideal = outcomes_from_counts({"00": 50, "11": 50})
    noisy = outcomes_from_counts({"00": 400, "11": 450, "01": 150})
    figure = histogram_figure({"ideal": ideal, "noisy": noisy}, top_k=2, values="probabilities")
    first, second = figure["data"]
    assert first["name"] == "ideal" and second["name"] == "noisy"
    assert first["x"] == ["11", "00"]
    assert second["x"] == ["11", "00", "other"]
    assert second["y"] == pytest.approx([0.45, 0.4, 0.15])
    assert figure["layout"]["showlegend"] is True


@pytest.mark.parametrize("key", ["01x", "", "0b01"])
def test_bad_counts_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="not a bitstring"):
        outcomes_from_counts({key: 1})


def test_hex_and_int_keys() -> None:
    assert outcomes_from_counts({"0x3": 2, 1: 4}).as_dict() == {3: 2, 1: 4}


@pytest.mark.parametrize("option", [{"top_k": 0}, {"sort": "x"}, {"labels": "x"}, {"values": "x"}])
def test_bad_options_are_refused(option: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        histogram_figure(outcomes_from_counts({"0": 1}), **option)  # type: ignore[arg-type]


def test_a_million_shots_stay_small() -> None:
    rng = np.random.default_rng(7)
    bits = BitArray(rng.integers(0, 256, size=(100_000, 3), dtype=np.uint8), num_bits=20)
    figure = histogram_figure(outcomes_from_bits(bits), top_k=32)
    assert len(figure["data"][0]["x"]) == 33
    assert len(json.dumps(figure)) < 100_000
