"""Shared setup of the client benchmarks: a private local service and request counters.

Not a benchmark itself. Both clients are counted at their transport: httpx's transport for
qrt_lab, requests' ``HTTPAdapter.send`` for qiskit-ibm-runtime (which also carries its IAM and
Global Search/Catalog calls).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEVICES = REPO.parent / "shared" / "data" / "devices"
sys.path.insert(0, str(REPO))

from qrt_lab.runtime.api.discovery import LocalServiceInfo, find_running, stop_service  # noqa: E402


@contextmanager
def local_service(workers: int = 2) -> Iterator[LocalServiceInfo]:
    """Start a private local service on a free port; stop it by pid at the end."""
    with tempfile.TemporaryDirectory(prefix="qrt-bench-") as state:
        args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0"]
        args += ["--state-dir", state, "--workers", str(workers)]
        if DEVICES.is_dir():
            args += ["--devices", str(DEVICES)]
        env = dict(os.environ, PYTHONPATH=str(REPO))
        log = open(Path(state) / "bench.log", "wb")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                info = find_running(state)
                if info is not None and info.pid == proc.pid:
                    break
                if proc.poll() is not None:
                    raise RuntimeError("local service exited; see " + str(log.name))
                time.sleep(0.1)
            else:
                raise RuntimeError("local service did not start in 120 s")
            yield info
        finally:
            stop_service(state)
            if proc.poll() is None:
                proc.terminate()
                proc.wait(20)
            log.close()


class RequestCounter:
    """Counts HTTP requests sent by both clients while active."""

    def __init__(self) -> None:
        self.count = 0
        self.paths: list[str] = []
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> RequestCounter:
        import httpx
        import requests.adapters

        counter = self
        original_httpx = httpx.HTTPTransport.handle_request
        original_requests = requests.adapters.HTTPAdapter.send

        def httpx_send(transport: Any, request: Any) -> Any:
            counter.count += 1
            counter.paths.append(f"{request.method} {request.url.path}")
            return original_httpx(transport, request)

        def requests_send(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
            counter.count += 1
            counter.paths.append(f"{request.method} {request.path_url.split('?')[0]}")
            return original_requests(adapter, request, *args, **kwargs)

        httpx.HTTPTransport.handle_request = httpx_send  # type: ignore[method-assign]
        requests.adapters.HTTPAdapter.send = requests_send  # type: ignore[method-assign]
        self._undo = [
            lambda: setattr(httpx.HTTPTransport, "handle_request", original_httpx),
            lambda: setattr(requests.adapters.HTTPAdapter, "send", original_requests),
        ]
        return self

    def __exit__(self, *exc: object) -> None:
        for undo in self._undo:
            undo()

    def reset(self) -> None:
        self.count = 0
        self.paths = []


def official_service(info: LocalServiceInfo) -> Any:
    """qiskit-ibm-runtime pointed at the local service (recipe R1 of official-client.md)."""
    os.environ["IAM_URL"] = info.url
    os.environ["GLOBAL_SEARCH_URL"] = info.url
    os.environ["GLOBAL_CATALOG_URL"] = f"{info.url}/globalcatalog/api/v1"
    from qiskit_ibm_runtime import QiskitRuntimeService

    return QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token=info.api_key,
        instance=info.instance,
        url=info.url,
        url_resolver=lambda url, instance, private_endpoint=False, channel=None: (
            f"{info.url}/api/v1"
        ),
    )


def our_service(info: LocalServiceInfo) -> Any:
    """qrt_lab's client on the same service (the URL is used as-is)."""
    from qrt_lab.runtime import QiskitRuntimeService

    return QiskitRuntimeService(token=info.api_key, instance=info.instance, url=info.url)


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print a small aligned table."""
    cells = [header] + [[f"{c:.4g}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if index == 0:
            print("  " + "  ".join("-" * w for w in widths))
