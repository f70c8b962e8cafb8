"""Warm a worker process: run one tiny sampler and estimator job through the real code path.

The first job in a fresh process otherwise pays for lazy imports (qiskit-aer, QPY, the
primitive containers), the simulator's start-up and noise-model construction.
"""

from __future__ import annotations

from collections.abc import Callable

from qiskit.circuit import QuantumCircuit
from qiskit.primitives.containers.estimator_pub import EstimatorPub
from qiskit.primitives.containers.sampler_pub import SamplerPub

from qrt_lab.local.jobspec import JobOutcome, JobSpec
from qrt_lab.runtime import codec

__all__ = ["warm_up"]

_DEVICE = "local_5q"


def _bell() -> QuantumCircuit:
    circuit = QuantumCircuit(5)
    circuit.sx(0)
    circuit.cx(0, 1)
    return circuit


def warm_up(execute: Callable[[JobSpec], JobOutcome]) -> None:
    """Run a 16-shot sampler and estimator job on ``local_5q`` with ``execute``."""
    measured = _bell()
    measured.measure_all()
    sampler = {"pubs": [codec.encode_sampler_pub(SamplerPub.coerce((measured, None, 16)))]}
    observable = {"IIIZZ": 1.0}
    estimator = {
        "pubs": [codec.encode_estimator_pub(EstimatorPub.coerce((_bell(), observable)))],
        "options": {"default_shots": 16},
    }
    for program, params in (("sampler", sampler), ("estimator", estimator)):
        execute(JobSpec("warm-up", program, _DEVICE, codec.dumps(params), None, seed=1))
