"""Instructions Qiskit cannot read back from QPY fail the job clearly (1517), never as 1500.

Qiskit 2.x rebuilds a decoded ``delay`` lazily, and a delay in ``us`` or with a parameter as its
duration cannot be rebuilt; the job must say which instruction and what to send instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter

from qrt_lab.runtime import QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.exceptions import RuntimeJobFailureError


@pytest.fixture(scope="module")
def backend(local_service: LocalServiceInfo) -> Any:
    service = QiskitRuntimeService(
        token=local_service.api_key, url=local_service.url, instance=local_service.instance
    )
    return service.backend("local_5q")


def _in_us() -> tuple[QuantumCircuit, list[Any]]:
    circuit = QuantumCircuit(1)
    circuit.sx(0)
    circuit.delay(1.5, 0, unit="us")
    circuit.measure_all()
    return circuit, []


def _parameterised() -> tuple[QuantumCircuit, list[Any]]:
    circuit = QuantumCircuit(1)
    circuit.sx(0)
    circuit.delay(Parameter("t"), 0)
    circuit.measure_all()
    return circuit, [100]


@pytest.mark.parametrize("make", [_in_us, _parameterised], ids=["us", "parameter"])
def test_an_unreadable_delay_fails_with_1517_naming_it(backend: Any, make: Any) -> None:
    circuit, values = make()
    job = SamplerV2(mode=backend).run([(circuit, values) if values else circuit], shots=10)
    with pytest.raises(RuntimeJobFailureError) as failed:
        job.result()
    text = str(failed.value)
    assert "1517" in text and "1500" not in text
    assert "(delay) cannot be read" in text and "whole number of dt" in text


def test_a_delay_in_dt_runs(backend: Any) -> None:
    circuit = QuantumCircuit(1)
    circuit.x(0)
    circuit.delay(160, 0)
    circuit.measure_all()
    counts = SamplerV2(mode=backend).run([circuit], shots=50).result()[0].data.meas.get_counts()
    assert sum(counts.values()) == 50
