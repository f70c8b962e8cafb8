"""``estimate_usage`` agrees with what the local service bills (real jobs, before and after)."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.advice import estimate_usage
from qrt_lab.runtime.exceptions import IBMInputValueError

from .quality_support import ghz, mirror


def _isa(circuit: QuantumCircuit, backend: object) -> QuantumCircuit:
    manager = generate_preset_pass_manager(optimization_level=1, target=backend.target)  # type: ignore[attr-defined]
    return manager.run(circuit)  # type: ignore[no-any-return]


def _rotations(n: int) -> QuantumCircuit:
    theta = Parameter("t")
    qc = QuantumCircuit(n)
    for q in range(n):
        qc.ry(theta, q)
    for q in range(n - 1):
        qc.cx(q, q + 1)
    qc.measure_all()
    return qc


@pytest.mark.parametrize(
    ("backend_name", "make", "shots", "rows", "rep_delay"),
    [
        ("local_5q", lambda: ghz(3), 500, 0, None),
        ("local_falcon27", lambda: mirror(5), 2000, 0, None),
        ("local_heron156", lambda: ghz(8), 1000, 0, 100e-6),
        ("local_eagle127", lambda: _rotations(4), 300, 5, None),
    ],
)
def test_estimate_is_within_ten_percent_of_the_bill(
    service: QiskitRuntimeService,
    backend_name: str,
    make: object,
    shots: int,
    rows: int,
    rep_delay: float | None,
) -> None:
    backend = service.backend(backend_name)
    circuit = _isa(make(), backend)  # type: ignore[operator]
    pub = (circuit, np.linspace(0, 1, rows)[:, None]) if rows else circuit
    estimate = estimate_usage([pub], backend, shots=shots, rep_delay=rep_delay)
    sampler = SamplerV2(backend)
    if rep_delay is not None:
        sampler.options.execution.rep_delay = rep_delay
    job = sampler.run([pub], shots=shots)
    job.result()
    billed = job.usage()
    assert billed > 2.0
    assert estimate == pytest.approx(billed, rel=0.10)


def test_one_circuit_alone_is_one_pub(service: QiskitRuntimeService) -> None:
    backend = service.backend("local_5q")
    circuit = _isa(ghz(2), backend)
    assert estimate_usage(circuit, backend, shots=100) == estimate_usage(
        [circuit], backend, shots=100
    )
    assert estimate_usage([circuit], backend, shots=200) > estimate_usage(
        [circuit], backend, shots=100
    )


@pytest.mark.parametrize("pubs", [[], ["not a circuit"], [42], [(None, None)]])
def test_bad_pubs_are_refused_with_what_to_pass(
    service: QiskitRuntimeService, pubs: list[object]
) -> None:
    with pytest.raises(IBMInputValueError, match="PUB"):
        estimate_usage(pubs, service.backend("local_5q"))


@pytest.mark.parametrize("shots", [0, -3, 1.5, True, "10"])
def test_bad_shots_are_refused(service: QiskitRuntimeService, shots: object) -> None:
    with pytest.raises(IBMInputValueError, match="shots"):
        estimate_usage([ghz(2)], service.backend("local_5q"), shots=shots)  # type: ignore[arg-type]
