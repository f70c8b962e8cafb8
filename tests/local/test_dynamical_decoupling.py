"""Dynamical decoupling in the worker (no HTTP): idle noise it refocuses, options, bad input.

A qubit in ``|+>`` waits through a delay of about half its T2: its ``<X>`` decays by relaxation
and turns by the modelled idle detuning (``±1/T2`` rad/s); DD refocuses the turn, so ``<X>``
with DD is higher by more than the error bars.
"""

from __future__ import annotations

from typing import Any

import pytest
from execution_support import estimator_spec, hadamard, sampler_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit

from qrt_lab.local.devices.model import device_model
from qrt_lab.local.execution.dynamical_decoupling import (
    DecouplingSettings,
    schedule_idle_windows,
)
from qrt_lab.local.execution.execute import catalog, execute
from qrt_lab.runtime import codec

DEVICE = "local_5q"


def _model() -> Any:
    return device_model(catalog().get(DEVICE))


def _waiting_plus(fraction_of_t2: float = 0.5) -> QuantumCircuit:
    model = _model()
    circuit = QuantumCircuit(2)
    hadamard(circuit, 0)
    circuit.delay(round(fraction_of_t2 * model.qubits[0].t2 / model.dt), 0)
    return circuit


def _run(dd: dict[str, Any], circuit: QuantumCircuit | None = None) -> tuple[Any, Any]:
    options = {"seed_estimator": 3, "default_shots": 2000, "dynamical_decoupling": dd}
    spec = estimator_spec([(circuit or _waiting_plus(), "IX")], DEVICE, options, 1)
    outcome = execute(spec)
    assert outcome.status == "Completed", outcome.reason
    return codec.decode_result(outcome.result_json), outcome


def test_dd_refocuses_the_idle_phase_by_more_than_the_error_bars() -> None:
    off, _ = _run({"enable": False})
    assert off[0].metadata["dynamical_decoupling"] == {"scheduled": True, "dd_pulses": 0}
    for sequence, pulses in (("XX", 2), ("XpXm", 2), ("XY4", 4)):
        on, outcome = _run({"enable": True, "sequence_type": sequence})
        gain = float(on[0].data.evs) - float(off[0].data.evs)
        bar = float(on[0].data.stds) + float(off[0].data.stds)
        assert gain > bar, (sequence, gain, bar)
        assert on[0].metadata["dynamical_decoupling"]["dd_pulses"] == pulses
        assert on.metadata["dynamical_decoupling"]["sequence_type"] == sequence
        assert not [k for k in outcome.metadata["not_applied"] if k.startswith("dynamical")]


def test_idle_noise_changes_only_jobs_with_delays_or_dd() -> None:
    circuit = QuantumCircuit(2)
    hadamard(circuit, 0)
    circuit.cx(0, 1)
    circuit.cx(0, 1)
    result, _ = _run({}, circuit)
    assert "dynamical_decoupling" not in result[0].metadata
    assert result.metadata["dynamical_decoupling"]["enable"] is False


def _idle_window_circuit() -> QuantumCircuit:
    """Qubit 0 in superposition waits while qubits 1 and 2 run many gates."""
    circuit = QuantumCircuit(3)
    hadamard(circuit, 0)
    circuit.cx(0, 1)
    for _ in range(6):
        circuit.cx(1, 2)
    circuit.cx(0, 1)
    return circuit


@pytest.mark.parametrize("method", ["alap", "asap"])
def test_idle_windows_between_gates_get_pulses(method: str) -> None:
    model = _model()
    compact, facts = schedule_idle_windows(
        _idle_window_circuit(), model, (0, 1, 2), DecouplingSettings(True, "XX", "middle", method)
    )
    assert facts["scheduled"] and facts["dd_pulses"] >= 2
    # the pulses sit on the waiting qubit 0, between its two cx gates
    ops = [i.operation.name for i in compact.data if compact.find_bit(i.qubits[0]).index == 0]
    first, last = ops.index("cx"), len(ops) - 1 - ops[::-1].index("cx")
    assert "x" in ops[first:last]


def test_skip_reset_qubits_false_decouples_the_initial_idle_too() -> None:
    model = _model()
    circuit = QuantumCircuit(2)
    for _ in range(12):
        circuit.sx(0)
    circuit.cx(0, 1)  # qubit 1 waits in |0> until here
    skip, _ = schedule_idle_windows(circuit, model, (0, 1), DecouplingSettings(True))
    keep, _ = schedule_idle_windows(
        circuit, model, (0, 1), DecouplingSettings(True, skip_reset_qubits=False)
    )
    assert skip.count_ops().get("x", 0) == 0
    assert keep.count_ops().get("x", 0) >= 2


def test_slack_distribution_moves_the_pulses() -> None:
    model = _model()
    circuit = QuantumCircuit(1)
    hadamard(circuit, 0)
    circuit.delay(10007, 0)  # not a multiple of the slots: there is extra slack to place
    circuit.sx(0)
    placed = []
    for slack in ("middle", "edges"):
        out, facts = schedule_idle_windows(
            circuit, model, (0,), DecouplingSettings(True, "XX", slack)
        )
        assert facts["dd_pulses"] == 2
        placed.append([i.operation.duration for i in out.data if i.operation.name == "delay"])
    assert sum(placed[0]) == sum(placed[1]) and placed[0] != placed[1]


_BAD = st.one_of(
    st.fixed_dictionaries(
        {"sequence_type": st.text(max_size=8).filter(lambda s: s not in ("XX", "XpXm", "XY4"))}
    ),
    st.fixed_dictionaries({"scheduling_method": st.sampled_from(["ALAP", "x", 3, [1]])}),
    st.fixed_dictionaries({"extra_slack_distribution": st.sampled_from(["centre", 0, {}])}),
    st.fixed_dictionaries({"enable": st.sampled_from(["yes", 1, 0.5, []])}),
    st.fixed_dictionaries({"skip_reset_qubits": st.sampled_from(["no", 2])}),
    st.sampled_from(["XX", 5, [1, 2]]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BAD)
def test_bad_dd_options_fail_with_a_clear_input_error(bad: Any) -> None:
    options = {"dynamical_decoupling": bad}
    outcome = execute(estimator_spec([(_waiting_plus(), "IX")], DEVICE, options, 1))
    assert outcome.status == "Failed"
    assert outcome.reason_code == 1513, outcome.reason
    assert "dynamical_decoupling" in outcome.reason


def test_delays_in_seconds_are_scheduled_in_whole_dt() -> None:
    model = _model()
    circuit = QuantumCircuit(1)
    hadamard(circuit, 0)
    circuit.delay(1.2345678, 0, unit="us")
    out, facts = schedule_idle_windows(circuit, model, (0,), DecouplingSettings(True))
    assert facts["dd_pulses"] == 2
    delays = [i.operation for i in out.data if i.operation.name == "delay"]
    assert all(d.unit == "dt" and isinstance(d.duration, int) for d in delays)
    total = sum(d.duration for d in delays) + round(2 * model.gate_length("x", (0,)) / model.dt)
    assert abs(total - 1.2345678e-6 / model.dt) <= 1


def test_sampler_dd_refocuses_the_idle_phase() -> None:
    circuit = _waiting_plus()
    hadamard(circuit, 0)  # back to Z: P(0) = (1 + <X>) / 2 before the wait
    circuit.measure_all()
    counts = []
    for enable in (False, True):
        options = {"dynamical_decoupling": {"enable": enable}, "simulator": {"seed_simulator": 1}}
        outcome = execute(sampler_spec([(circuit, None, 4000)], DEVICE, options))
        assert outcome.status == "Completed", outcome.reason
        result = codec.decode_result(outcome.result_json)
        assert result[0].metadata["dynamical_decoupling"]["dd_pulses"] == (2 if enable else 0)
        assert not outcome.metadata["not_applied"]
        zeros = sum(n for key, n in result[0].data.meas.get_counts().items() if key[-1] == "0")
        counts.append(zeros)
    # <X> = 2 P(0) - 1; binomial error of P(0) is at most 0.5 / sqrt(4000) = 0.008
    assert (counts[1] - counts[0]) / 4000 > 2 * 2 * 0.008, counts


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BAD)
def test_the_sampler_rejects_bad_dd_options_too(bad: Any) -> None:
    circuit = _waiting_plus()
    circuit.measure_all()
    outcome = execute(sampler_spec([circuit], DEVICE, {"dynamical_decoupling": bad}))
    assert outcome.status == "Failed"
    assert outcome.reason_code == 1513, outcome.reason
    assert "dynamical_decoupling" in outcome.reason
