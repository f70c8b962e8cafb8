"""Widget-test fixtures: clients on the real local service, circuits, a clean poller."""

from __future__ import annotations

import os
from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.widgets import _poller


@pytest.fixture(scope="module")
def service(our_service: QiskitRuntimeService) -> QiskitRuntimeService:
    """qrt-lab's client on the local service."""
    return our_service


@pytest.fixture(scope="module")
def official(local_service: LocalServiceInfo) -> Any:
    """qiskit-ibm-runtime on the local service (recipe R1 of spec/official-client.md)."""
    saved = {k: os.environ.get(k) for k in ("IAM_URL", "GLOBAL_SEARCH_URL", "GLOBAL_CATALOG_URL")}
    os.environ["IAM_URL"] = local_service.url
    os.environ["GLOBAL_SEARCH_URL"] = local_service.url
    os.environ["GLOBAL_CATALOG_URL"] = f"{local_service.url}/globalcatalog/api/v1"
    from qiskit_ibm_runtime import QiskitRuntimeService as Official

    url = f"{local_service.url}/api/v1"
    yield Official(
        channel="ibm_quantum_platform",
        token=local_service.api_key,
        instance=local_service.instance,
        url=local_service.url,
        url_resolver=lambda *_args, **_kw: url,
    )
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService) -> Any:
    names = {b.name for b in service.backends()}
    return service.backend("local_5q" if "local_5q" in names else sorted(names)[0])


@pytest.fixture(scope="module")
def bell(backend: Any) -> QuantumCircuit:
    """A Bell circuit transpiled for ``backend``."""
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    return generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)


@pytest.fixture(autouse=True)
def fresh_poller(kernel_poller: _poller.KernelPoller) -> _poller.KernelPoller:
    """Each test gets its own kernel poller with a short interval."""
    return kernel_poller
