"""Hostile input at the executor primitives' boundary: options dicts, shots, precisions, PUBs.

Everything a user passes either works or raises a clear ``ValueError`` (pydantic's
``ValidationError`` or ``IBMInputValueError``), never another exception; no service needed
(the programs are only prepared and encoded).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp

from qrt_lab.runtime.exceptions import IBMInputValueError
from qrt_lab.runtime.executor_estimator.prepare import prepare as prepare_estimator
from qrt_lab.runtime.executor_sampler.prepare import prepare as prepare_sampler
from qrt_lab.runtime.options_models import EstimatorOptions, ExecutorOptions, SamplerOptions
from qrt_lab.runtime.quantum_program.wire import encode_params

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5000), st.floats(allow_nan=True),
    st.text(max_size=12), st.lists(st.integers(-2, 6), max_size=4),
)  # fmt: skip
KEYS = st.sampled_from(
    ["default_shots", "twirling", "enable_gates", "enable_measure", "num_randomizations",
     "shots_per_randomization", "strategy", "group", "execution", "meas_type", "init_qubits",
     "rep_delay", "resilience_level", "resilience", "zne_mitigation", "zne", "noise_factors",
     "extrapolator", "pec_mitigation", "environment", "job_tags", "log_level", "bogus"]
)  # fmt: skip
TREES = st.recursive(SCALARS, lambda inner: st.dictionaries(KEYS, inner, max_size=4), max_leaves=8)


def bell(measure: bool) -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    if measure:
        circuit.measure_all()
    return circuit


@pytest.mark.parametrize("model", [SamplerOptions, EstimatorOptions, ExecutorOptions])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=st.dictionaries(KEYS, TREES, max_size=4))
def test_options_dicts_validate_or_say_what_is_wrong(model: Any, tree: dict[str, Any]) -> None:
    try:
        options = model(**tree)
    except ValueError as err:  # pydantic.ValidationError is a ValueError
        assert str(err)
        return
    assert isinstance(options.model_dump(mode="json"), dict)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shots=st.one_of(SCALARS, st.integers(-10, 10)), twirl=st.booleans())
def test_sampler_shots_are_checked(shots: Any, twirl: bool) -> None:
    options = SamplerOptions(twirling={"enable_gates": twirl, "enable_measure": twirl})
    try:
        program, executor_options = prepare_sampler([bell(True)], options, shots)
    except IBMInputValueError as err:
        assert "shots" in str(err)
        return
    assert shots is None or (isinstance(shots, int) and not isinstance(shots, bool) and shots >= 1)
    assert encode_params(program, executor_options)["quantum_program"]["shots"] >= 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(precision=st.one_of(st.floats(allow_nan=True), st.integers(-3, 3), st.none()))
def test_estimator_precision_is_checked(precision: Any) -> None:
    pub = (bell(False), SparsePauliOp("ZZ"))
    options = EstimatorOptions(resilience_level=0)
    try:
        program, _ = prepare_estimator([pub], options, precision)
    except ValueError as err:  # IBMInputValueError, or qiskit's own pub validation
        assert str(err)
        return
    assert precision is None or (np.isfinite(precision) and precision > 0)
    assert program.shots >= 1


def test_executor_run_rejects_what_is_not_a_program() -> None:
    from qrt_lab.runtime.executor import Executor

    executor = Executor.__new__(Executor)  # the type check happens before any submission
    with pytest.raises(IBMInputValueError, match="takes a QuantumProgram"):
        executor.run([bell(True)])  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.builds(
            lambda v: json.dumps({"schema_version": v}), st.sampled_from(["v1.1", "v9.9", "v2.0"])
        ),
    )
)
def test_result_documents_decode_or_say_why(text: str) -> None:
    from qrt_lab.runtime.quantum_program.wire import decode_result

    with pytest.raises(ValueError, match=r"not supported|Not a valid executor result"):
        decode_result(text)
