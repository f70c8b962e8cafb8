"""Benchmark 1: overhead of the server extension per call vs the async client called directly.

Same requests, same local service: ``GET /jobs?limit=10`` and ``GET /instances/usage`` straight
through ``AsyncRuntimeRest``, then the same through ``/qrt-lab/api/jobs`` and ``/qrt-lab/api/usage``
of a real jupyter server (token auth, keep-alive). Target: median overhead under 5 ms.

An ``events`` websocket stays open (as an open sidebar's does), so the live monitor polls. The
jobs read is measured three ways, alternating call by call so machine load affects all alike:
the client straight to the local service, through the extension from the monitor's fresh
snapshot (``X-Qrt-Lab-Source: snapshot``), and through the extension to the runtime (the
previous code path, still taken by any filtered read: here ``created_after`` a date before every
job, which lists the same jobs). Issue 23's row: the jobs overhead (through the extension minus
direct), target <= 2 ms with a fresh snapshot; written to
``benchmarks/results/speed/proxy-cached-read.json``.

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
from speed_row import save_speed_row
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.rest import AsyncRuntimeRest
from qrt_lab.runtime.api.urls import service_urls

Call = Callable[[], Awaitable[Any]]


async def timed_pair(n: int, *calls: Call) -> list[list[float]]:
    """Alternate the calls so machine load drifts affect all alike."""
    for _ in range(5):  # warm-up: tokens, connections, imports
        for call in calls:
            await call()
    out: list[list[float]] = [[] for _ in calls]
    for _ in range(n):
        for samples, call in zip(out, calls, strict=True):
            start = time.perf_counter()
            await call()
            samples.append(time.perf_counter() - start)
    return out


async def measure(server: LabServer, n: int) -> tuple[list[tuple[str, ...]], dict[str, float]]:
    url = server.url.replace("http", "ws", 1) + "/qrt-lab/api/events"
    socket = await websocket_connect(HTTPRequest(url, headers=server.headers))
    await socket.read_message()  # the snapshot: the monitor has polled
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
            if path.startswith("jobs"):
                sources.add(reply.headers.get("X-Qrt-Lab-Source", "runtime"))
            return reply.json()

        sources: set[str] = set()

        ways = ("client direct", "via extension", "via extension to the runtime")
        cases: list[tuple[str, list[Call]]] = [
            (
                "jobs",
                [
                    lambda: rest.jobs(limit=10),
                    lambda: via_lab("jobs?limit=10"),
                    lambda: via_lab("jobs?limit=10&created_after=2000-01-01T00:00:00Z"),
                ],
            ),
            ("usage", [lambda: rest.usage(), lambda: via_lab("usage")]),
        ]
        for name, calls in cases:
            for path, samples in zip(ways, await timed_pair(n, *calls), strict=False):
                medians[f"{name} {path}"] = statistics.median(samples)
                rows.append((name, path, *ms(samples)))
    await rest.aclose()
    socket.close()
    overheads: dict[str, float] = {}
    for name, way in (("jobs", ways[1]), ("jobs", ways[2]), ("usage", ways[1])):
        overhead = medians[f"{name} {way}"] - medians[f"{name} client direct"]
        overheads[f"{name} {way}"] = overhead
        verdict = "OK" if overhead < 0.005 else "over target"
        label = "overhead (median)" + (", runtime path" if way == ways[2] else "")
        rows.append((name, label, f"{overhead * 1000:.2f}", verdict, "< 5 ms"))
    rows.append(("jobs", "answered by", " ".join(sorted(sources)), "", ""))
    return rows, overheads


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    # no read coalescing: every proxied call must reach the runtime, like the direct one
    with lab_server(read_coalesce_window=0) as server:
        rows, overheads = asyncio.run(measure(server, n))
    print(f"Proxy overhead, {n} calls each, alternating")
    print(f"(python benchmarks/bench_server_proxy.py {n})")
    print(table(rows))
    print(f"raw: {save_rows('bench_server_proxy', rows)}")
    before = overheads["jobs via extension to the runtime"]
    now = overheads["jobs via extension"]
    save_speed_row(
        "proxy-cached-read",
        where="proxy overhead of a cached read (GET /qrt-lab/api/jobs?limit=10, median)",
        before=f"{before * 1000:.1f} ms (every read to the runtime)",
        now=f"{now * 1000:.1f} ms (from the monitor's fresh snapshot)",
        target="<= 2 ms when the monitor's snapshot is fresh",
        met=now <= 0.002,
        command=f"python benchmarks/bench_server_proxy.py {n}",
    )


if __name__ == "__main__":
    main()
