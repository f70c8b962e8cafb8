"""Fixtures shared by the local-service tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from official_setup import official_service
from qiskit_ibm_runtime import QiskitRuntimeService

from qrt_lab.runtime.api.discovery import LocalServiceInfo


@pytest.fixture(scope="module")
def service(
    local_service: LocalServiceInfo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[QiskitRuntimeService]:
    """The unmodified official ``QiskitRuntimeService`` on the session's local service.

    A module that needs another client (qrt-lab's own) defines its own ``service``.
    """
    with official_service(local_service, tmp_path_factory.mktemp("home")) as client:
        yield client
