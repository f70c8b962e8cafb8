"""Hostile input to ``rank_backends`` gets a clear error, never a traceback from deep inside."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit
from qiskit.providers.exceptions import QiskitBackendNotFoundError

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.advice import rank_backends
from qrt_lab.runtime.exceptions import IBMInputValueError

from .quality_support import ghz

FIXTURES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
not_circuits = st.one_of(
    st.none(), st.integers(), st.floats(), st.text(max_size=20), st.binary(max_size=8),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), min_size=1, max_size=3),
)  # fmt: skip


@FIXTURES
@given(value=not_circuits)
def test_things_that_are_not_circuits(service: QiskitRuntimeService, value: Any) -> None:
    with pytest.raises(IBMInputValueError, match=r"QuantumCircuit|circuits"):
        rank_backends(value, service)


@pytest.mark.parametrize("empty", [[], ()])
def test_an_empty_list(service: QiskitRuntimeService, empty: Any) -> None:
    with pytest.raises(IBMInputValueError, match="empty"):
        rank_backends(empty, service)


def test_circuits_of_different_widths_or_without_qubits(service: QiskitRuntimeService) -> None:
    with pytest.raises(IBMInputValueError, match="different numbers of qubits"):
        rank_backends([ghz(2), ghz(3)], service)
    with pytest.raises(IBMInputValueError, match="no qubits"):
        rank_backends(QuantumCircuit(), service)


@FIXTURES
@given(width=st.integers(min_value=157, max_value=400))
def test_a_circuit_wider_than_every_backend(service: QiskitRuntimeService, width: int) -> None:
    with pytest.raises(IBMInputValueError, match=f"need {width} qubits.*widest"):
        rank_backends(QuantumCircuit(width), service)


def test_wider_than_the_chosen_backends(service: QiskitRuntimeService) -> None:
    with pytest.raises(IBMInputValueError, match=r"need 6 qubits but the widest .* has 5"):
        rank_backends(ghz(6), service, backends=["local_5q"])


@FIXTURES
@given(name=st.text(min_size=1, max_size=30).filter(lambda s: not s.startswith(("local", "ibm"))))
def test_unknown_backend_names(service: QiskitRuntimeService, name: str) -> None:
    with pytest.raises(QiskitBackendNotFoundError, match=r"known backends: .*local_5q"):
        rank_backends(ghz(2), service, backends=[name])


@pytest.mark.parametrize("backends", [[], 7, [None], [3.5]])
def test_bad_backend_lists(service: QiskitRuntimeService, backends: Any) -> None:
    with pytest.raises(IBMInputValueError, match="backend"):
        rank_backends(ghz(2), service, backends=backends)


@pytest.mark.parametrize("top", [0, -1, 2.5, True, "3"])
def test_bad_top(service: QiskitRuntimeService, top: Any) -> None:
    with pytest.raises(IBMInputValueError, match="top"):
        rank_backends(ghz(2), service, top=top)


@FIXTURES
@given(
    level=st.one_of(
        st.integers().filter(lambda n: not 0 <= n <= 3), st.booleans(), st.none(),
        st.floats(), st.text(max_size=5), st.lists(st.integers(0, 3), max_size=2),
    )
)  # fmt: skip
def test_bad_optimization_levels(service: QiskitRuntimeService, level: Any) -> None:
    with pytest.raises(IBMInputValueError, match="optimization_level must be 0, 1, 2 or 3"):
        rank_backends(ghz(2), service, backends=["local_5q"], optimization_level=level)


def test_a_good_call_names_one_backend_and_its_layout(service: QiskitRuntimeService) -> None:
    (best,) = rank_backends(ghz(3), service, backends=["local_5q"], top=1)
    assert best.backend_name == "local_5q" and len(best.layout) == 3
    assert best.quantum_seconds > 2 and best.remaining_seconds is not None
