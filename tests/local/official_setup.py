"""The unmodified official client pointed at the local service (recipe R1 of the client spec)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from qiskit_ibm_runtime import QiskitRuntimeService

from qrt_lab.runtime.api.discovery import LocalServiceInfo

CLIENT_ENV = (
    "QISKIT_IBM_TOKEN",
    "QISKIT_IBM_URL",
    "QISKIT_IBM_INSTANCE",
    "QISKIT_IBM_CHANNEL",
    "QISKIT_FUNCTIONS_EXPERIMENTAL",
    "IAM_URL",
    "GLOBAL_SEARCH_URL",
    "GLOBAL_CATALOG_URL",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


def clean_env(mp: pytest.MonkeyPatch, home: Path) -> None:
    """No saved accounts, credential files or stray variables may leak into the client."""
    for name in CLIENT_ENV:
        mp.delenv(name, raising=False)
    mp.setenv("HOME", str(home))
    mp.chdir(home)


@contextmanager
def official_service(local_service: LocalServiceInfo, home: Path) -> Iterator[QiskitRuntimeService]:
    """The official ``QiskitRuntimeService`` on the local service, in a clean environment."""
    url = local_service.url
    with pytest.MonkeyPatch.context() as mp:
        clean_env(mp, home)
        mp.setenv("IAM_URL", url)
        mp.setenv("GLOBAL_SEARCH_URL", url)
        mp.setenv("GLOBAL_CATALOG_URL", f"{url}/globalcatalog/api/v1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield QiskitRuntimeService(
                channel="ibm_quantum_platform",
                token=local_service.api_key,
                instance=local_service.instance,
                url=url,
                url_resolver=lambda *_args, **_kw: f"{url}/api/v1",
            )
