"""Twirling, ZNE and PEC in the worker (no HTTP): shapes, seeds and the job log."""

from __future__ import annotations

from typing import Any

import numpy as np
from execution_support import estimator_spec
from qiskit import QuantumCircuit

from qrt_lab.local.execution.execute import execute
from qrt_lab.runtime import codec

DEVICE = "local_5q"


def _circuit() -> QuantumCircuit:
    qc = QuantumCircuit(5)
    for _ in range(3):
        qc.cx(0, 1)
        qc.cx(1, 2)
    return qc  # cx^3 pairs: ideal <Z0>, <Z1> = 1


def _run(options: dict[str, Any], level: int = 2, seed: int = 5) -> tuple[Any, Any]:
    pub = (_circuit(), [{"IIIIZ": 1.0}, {"IIIZI": 1.0}])
    outcome = execute(estimator_spec([pub], DEVICE, {"seed_estimator": seed, **options}, level))
    assert outcome.status == "Completed", outcome.reason
    return codec.decode_result(outcome.result_json), outcome


def test_zne_fields_have_the_documented_shapes_per_element() -> None:
    result, outcome = _run({"resilience": {"zne": {"noise_factors": [1, 2, 3]}}})
    data = result[0].data
    assert data.evs.shape == (2,)
    assert data.evs_noise_factors.shape == data.stds_noise_factors.shape == (2, 3)
    assert data.ensemble_stds_noise_factors.shape == (2, 3)
    assert data.evs_extrapolated.shape == data.stds_extrapolated.shape == (2, 2, 4)
    assert list(result[0].metadata["resilience"]["zne"]["extrapolator"]) in (
        [a, b] for a in ("exponential", "linear") for b in ("exponential", "linear")
    )
    assert "resilience" not in " ".join(outcome.metadata["not_applied"])


def test_seeded_mitigated_runs_reproduce() -> None:
    for options in (
        {},
        {"resilience": {"zne": {"amplifier": "pea"}}},
        {"resilience": {"zne_mitigation": False, "pec_mitigation": True}},
    ):
        first, _ = _run(options)
        again, _ = _run(options)
        other, _ = _run(options, seed=6)
        assert np.array_equal(first[0].data.evs, again[0].data.evs), options
        assert not np.array_equal(first[0].data.evs, other[0].data.evs), options


def test_dynamical_decoupling_is_applied_not_listed_as_not_applied() -> None:
    result, outcome = _run({"dynamical_decoupling": {"enable": True}}, level=1)
    assert not [k for k in outcome.metadata["not_applied"] if k.startswith("dynamical")]
    assert result.metadata["dynamical_decoupling"]["enable"] is True
    assert result[0].metadata["dynamical_decoupling"]["scheduled"] is True
    assert "dynamical_decoupling.enable" in outcome.logs
