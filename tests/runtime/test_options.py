"""SamplerOptions / EstimatorOptions: validation errors and the job serialisation of spec 6.5."""

from __future__ import annotations

import pytest

from qrt_lab.runtime import EstimatorOptions, IBMInputValueError, SamplerOptions
from qrt_lab.runtime.options import Unset, job_inputs


def test_defaults_send_nothing_but_log_level() -> None:
    assert job_inputs(SamplerOptions()) == ({"options": {}}, {"log_level": "WARNING"})
    assert job_inputs(EstimatorOptions()) == ({"options": {}}, {"log_level": "WARNING"})
    assert SamplerOptions().default_shots is Unset and not Unset


def test_spec_example_estimator() -> None:
    options = EstimatorOptions(resilience_level=2, default_precision=0.01)
    options.twirling.strategy = "all"
    params, job = job_inputs(options)
    assert params == {
        "options": {"default_precision": 0.01, "twirling": {"strategy": "all"}},
        "resilience_level": 2,
    }
    assert job == {"log_level": "WARNING"}


def test_job_level_fields_and_experimental_merge() -> None:
    options = SamplerOptions(
        max_execution_time=300,
        environment={"log_level": "DEBUG", "job_tags": ["x"], "private": True},
        experimental={"image": "runtime:tag", "execution": {"rep_delay": 1e-4}, "foo": 1},
        execution={"init_qubits": False},
    )
    params, job = job_inputs(options)
    assert job == {
        "log_level": "DEBUG",
        "tags": ["x"],
        "cost": 300,
        "private": True,
        "runtime": "runtime:tag",
    }
    assert params["options"] == {
        "execution": {"init_qubits": False, "rep_delay": 1e-4},
        "experimental": {"foo": 1},
    }


def test_nested_dicts_merge_with_update() -> None:
    options = SamplerOptions(dynamical_decoupling={"enable": True})
    options.update(dynamical_decoupling={"sequence_type": "XY4"}, default_shots=10)
    assert options.dynamical_decoupling.enable is True
    assert options.dynamical_decoupling.sequence_type == "XY4"
    assert job_inputs(options)[0]["options"] == {
        "default_shots": 10,
        "dynamical_decoupling": {"enable": True, "sequence_type": "XY4"},
    }


def test_simulator_coupling_map_becomes_edges() -> None:
    from qiskit.transpiler import CouplingMap

    options = SamplerOptions(simulator={"coupling_map": CouplingMap([[0, 1]]), "seed_simulator": 3})
    assert job_inputs(options)[0]["options"]["simulator"] == {
        "coupling_map": [[0, 1]],
        "seed_simulator": 3,
    }


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SamplerOptions(default_shot=5), "Did you mean 'default_shots'"),
        (lambda: SamplerOptions(default_shots="many"), "default_shots"),
        (lambda: SamplerOptions(default_shots=True), "default_shots"),
        (lambda: SamplerOptions(execution={"meas_type": "raw"}), "execution.meas_type"),
        (lambda: SamplerOptions(twirling={"num_randomizations": 0}), "twirling.num_randomizations"),
        (lambda: SamplerOptions(environment={"log_level": "LOUD"}), "environment.log_level"),
        (lambda: SamplerOptions(execution=3), "expected a dict"),
        (lambda: EstimatorOptions(resilience_level=3), "resilience_level"),
        (lambda: EstimatorOptions(default_precision=0), "default_precision"),
        (
            lambda: EstimatorOptions(resilience={"zne": {"amplifer": "pea"}}),
            "Did you mean 'amplifier'",
        ),
        (
            lambda: EstimatorOptions(resilience={"zne_mitigation": True, "pec_mitigation": True}),
            "cannot both be True",
        ),
        (
            lambda: EstimatorOptions(
                resilience={
                    "measure_mitigation": False,
                    "measure_noise_learning": {"num_randomizations": 4},
                }
            ),
            "measure_mitigation=True",
        ),
        (
            lambda: EstimatorOptions(
                resilience={"zne": {"noise_factors": [1, 3], "extrapolator": "double_exponential"}}
            ),
            "at least 4 noise factors",
        ),
        (
            lambda: EstimatorOptions(execution={"meas_type": "classified"}),
            "Unknown option 'meas_type'",
        ),
    ],
)
def test_bad_options_give_clear_errors(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IBMInputValueError, match=message):
        make()


def test_assignment_is_validated() -> None:
    options = EstimatorOptions()
    with pytest.raises(IBMInputValueError, match="Unknown option 'twirl'"):
        options.twirl = 1  # type: ignore[attr-defined]
    with pytest.raises(IBMInputValueError, match=r"twirling\.strategy"):
        options.twirling.strategy = "sometimes"
    options.resilience.zne_mitigation = True
    with pytest.raises(IBMInputValueError, match="cannot both be True"):
        options.resilience.pec_mitigation = True
    assert "zne_mitigation" in repr(options)
