"""Dynamical decoupling on ``local_heron156`` through both clients' EstimatorV2.

A qubit in ``|+>`` waits half its T2 in an explicit delay; with DD its ``<X>`` is higher than
without by more than the two error bars (the idle detuning is refocused), and the result
metadata decodes in each client.
"""

from __future__ import annotations

from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit_ibm_runtime import EstimatorV2 as OfficialEstimator
from qiskit_ibm_runtime import QiskitRuntimeService as OfficialService

from qrt_lab.runtime import EstimatorV2, QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
DEVICE = "local_heron156"
QUBIT = 10


def waiting_plus(backend: Any) -> tuple[QuantumCircuit, SparsePauliOp]:
    """An ISA circuit: H on ``QUBIT``, a delay of half its T2; the observable ``X_QUBIT``."""
    circuit = QuantumCircuit(backend.num_qubits)
    circuit.rz(1.5707963267948966, QUBIT)
    circuit.sx(QUBIT)
    circuit.rz(1.5707963267948966, QUBIT)
    t2 = backend.qubit_properties(QUBIT).t2
    circuit.delay(round(0.5 * t2 / backend.dt), QUBIT)
    label = ["I"] * backend.num_qubits
    label[backend.num_qubits - 1 - QUBIT] = "X"
    return circuit, SparsePauliOp("".join(label))


def compare(estimator_class: Any, backend: Any) -> tuple[Any, Any]:
    pub = waiting_plus(backend)
    results = []
    for enable in (False, True):
        options = {
            "seed_estimator": 5,
            "default_shots": 2000,
            "dynamical_decoupling": {"enable": enable, "sequence_type": "XY4"},
        }
        results.append(estimator_class(mode=backend, options=options).run([pub]).result())
    return results[0], results[1]


def check(off: Any, on: Any) -> None:
    gain = float(on[0].data.evs) - float(off[0].data.evs)
    assert gain > float(on[0].data.stds) + float(off[0].data.stds), gain
    assert on.metadata["dynamical_decoupling"]["enable"] is True
    assert on.metadata["dynamical_decoupling"]["sequence_type"] == "XY4"
    assert on[0].metadata["dynamical_decoupling"]["dd_pulses"] == 4
    assert off[0].metadata["dynamical_decoupling"]["dd_pulses"] == 0


def test_official_estimator_dd_improves_a_waiting_qubit(service: OfficialService) -> None:
    check(*compare(OfficialEstimator, service.backend(DEVICE)))


def test_our_estimator_dd_improves_a_waiting_qubit(local_service: LocalServiceInfo) -> None:
    ours = QiskitRuntimeService(
        token=local_service.api_key, url=local_service.url, instance=local_service.instance
    )
    check(*compare(EstimatorV2, ours.backend(DEVICE)))
