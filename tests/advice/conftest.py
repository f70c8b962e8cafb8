"""Fixtures of the advisor tests: a client of the session's local service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.advice.usage_status import forget_usage
from qrt_lab.runtime.api.discovery import LocalServiceInfo


def client_of(info: LocalServiceInfo) -> QiskitRuntimeService:
    """A client of the local service ``info`` describes (IBM Quantum Platform channel)."""
    return QiskitRuntimeService(
        channel="ibm_quantum_platform", token=info.api_key, url=info.url, instance=info.instance
    )


@pytest.fixture(scope="module")
def service(local_service: LocalServiceInfo) -> Iterator[QiskitRuntimeService]:
    """A client of the session's local service."""
    svc = client_of(local_service)
    yield svc
    svc.close()


@pytest.fixture(autouse=True)
def _fresh_usage() -> Iterator[None]:
    forget_usage()
    yield
    forget_usage()
