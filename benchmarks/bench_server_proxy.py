"""Benchmark 1: overhead of the server extension per call vs the async client called directly.

Same requests, same local service: ``GET /jobs?limit=10`` and ``GET /instances/usage`` straight
through ``AsyncRuntimeRest``, then the same through ``/qrt-lab/api/jobs`` and ``/qrt-lab/api/usage``
of a real jupyter server (token auth, keep-alive). Target: median overhead under 5 ms.

Run: ``python benchmarks/bench_server_proxy.py [calls]``
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from bench_server_common import LabServer, lab_server, ms, save_rows, table

from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.rest import AsyncRuntimeRest
from qrt_lab.runtime.api.urls import service_urls

Call = Callable[[], Awaitable[Any]]


async def timed_pair(n: int, direct: Call, via: Call) -> tuple[list[float], list[float]]:
    """Alternate the two calls so machine load drifts affect both alike."""
    for _ in range(5):  # warm-up: tokens, connections, imports
        await direct()
        await via()
    out: tuple[list[float], list[float]] = ([], [])
    for _ in range(n):
        for samples, call in zip(out, (direct, via), strict=True):
            start = time.perf_counter()
            await call()
            samples.append(time.perf_counter() - start)
    return out


async def measure(server: LabServer, n: int) -> list[tuple[str, ...]]:
    info = server.local
    rest = AsyncRuntimeRest(
        RuntimeConnection(
            urls=service_urls(info.url, info.instance), api_key=info.api_key, instance=info.instance
        )
    )
    rows: list[tuple[str, ...]] = [("call", "path", "median ms", "p90 ms", "p99 ms")]
    medians: dict[str, float] = {}
    async with httpx.AsyncClient(headers=server.headers, timeout=60) as web:

        async def via_lab(path: str) -> Any:
            reply = await web.get(server.api(path))
            reply.raise_for_status()
            return reply.json()

        cases: list[tuple[str, Call, Call]] = [
            ("jobs", lambda: rest.jobs(limit=10), lambda: via_lab("jobs?limit=10")),
            ("usage", lambda: rest.usage(), lambda: via_lab("usage")),
        ]
        for name, direct, via in cases:
            pair = await timed_pair(n, direct, via)
            for path, samples in zip(("client direct", "via extension"), pair, strict=True):
                medians[f"{name} {path}"] = statistics.median(samples)
                rows.append((name, path, *ms(samples)))
    await rest.aclose()
    for name in ("jobs", "usage"):
        overhead = medians[f"{name} via extension"] - medians[f"{name} client direct"]
        verdict = "OK" if overhead < 0.005 else "over target"
        rows.append((name, "overhead (median)", f"{overhead * 1000:.2f}", verdict, "< 5 ms"))
    return rows


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    # no read coalescing: every proxied call must reach the runtime, like the direct one
    with lab_server(read_coalesce_window=0) as server:
        rows = asyncio.run(measure(server, n))
    print(f"Proxy overhead, {n} calls each, alternating")
    print(f"(python benchmarks/bench_server_proxy.py {n})")
    print(table(rows))
    print(f"raw: {save_rows('bench_server_proxy', rows)}")


if __name__ == "__main__":
    main()
