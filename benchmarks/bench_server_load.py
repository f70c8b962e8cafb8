"""Benchmark 3: 50 websocket subscribers and 200 concurrent API calls on one jupyter server.

A real jupyter server with the extension and a private local service. 50 sockets subscribe to
``/qrt-lab/api/events``; then 200 API calls (jobs, backends, backend detail, usage, accounts,
sessions, job detail) are fired at once while a job is submitted, and every socket must see it.
Targets: no errors; p99 under 200 ms.

Run: ``python benchmarks/bench_server_load.py [sockets] [calls]``
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import httpx
from bench_server_common import LabServer, lab_server, ms, save_rows, table
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

PATHS = ["jobs?limit=20", "backends", "backends/ibm_fez", "usage", "accounts", "sessions"]


async def subscriber(server: LabServer, ready: asyncio.Event, wanted: asyncio.Future[str]) -> bool:
    """Connect, then wait until the wanted job's 'created' event arrives."""
    url = server.url.replace("http", "ws", 1) + "/qrt-lab/api/events"
    conn = await websocket_connect(HTTPRequest(url, headers=server.headers))
    ready.set()
    job_id = await wanted
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            message = await asyncio.wait_for(conn.read_message(), 60)
            if message is None:
                return False
            event = json.loads(message)
            if event.get("type") == "job" and (event.get("job") or {}).get("id") == job_id:
                return True
        return False
    finally:
        conn.close()


async def _timed(web: httpx.AsyncClient, url: str, into: list[float]) -> None:
    start = time.perf_counter()
    (await web.get(url)).raise_for_status()
    into.append(time.perf_counter() - start)


async def run(server: LabServer, sockets: int, calls: int) -> list[tuple[str, ...]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "server"))
    from server_support import _sampler_body, local_rest, submit_sampler

    rest = local_rest(server.local)
    first = await submit_sampler(rest, shots=100)
    wanted: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    readies = [asyncio.Event() for _ in range(sockets)]
    subs = [asyncio.create_task(subscriber(server, r, wanted)) for r in readies]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
    limits = httpx.Limits(max_connections=calls, max_keepalive_connections=calls)
    async with httpx.AsyncClient(headers=server.headers, timeout=60, limits=limits) as web:
        for path in PATHS:  # warm the caches a user's first views would warm
            await web.get(server.api(path))
        paths = [*PATHS, f"jobs/{first}"]
        errors: list[str] = []
        times: list[float] = []

        async def one(i: int) -> None:
            start = time.perf_counter()
            try:
                reply = await web.get(server.api(paths[i % len(paths)]))
                if reply.status_code != 200:
                    errors.append(f"{reply.status_code} {paths[i % len(paths)]}")
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
            times.append(time.perf_counter() - start)

        # encoded before the burst: transpiling in this process would skew the client timings
        conf = await rest.backend_configuration("local_5q")
        body = _sampler_body(conf, "local_5q", 100, 1, 2, None)

        async def submit() -> str:
            return str((await rest.create_job(body))["id"])

        # the floor on this machine: the same burst at the trivial version handler
        base_times: list[float] = []
        for _ in range(2):
            base_times.clear()
            await asyncio.gather(
                *(_timed(web, server.api("version"), base_times) for _ in range(calls))
            )
        burst = time.perf_counter()
        job_id, _ = await asyncio.gather(submit(), asyncio.gather(*(one(i) for i in range(calls))))
        wall = time.perf_counter() - burst
    wanted.set_result(job_id)
    delivered = sum(await asyncio.gather(*subs))
    await rest.aclose()
    med, p90, p99 = ms(times)
    base = ms(base_times)
    return [
        ("measure", "value", "target"),
        ("websocket subscribers", str(sockets), "50"),
        ("concurrent API calls", str(calls), "200"),
        ("errors", str(len(errors)) + (f" {errors[:3]}" if errors else ""), "0"),
        ("latency median / p90 / p99 (ms)", f"{med} / {p90} / {p99}", "p99 < 200"),
        ("burst wall time (ms)", f"{wall * 1000:.0f}", ""),
        ("floor: same burst on GET version (ms)", " / ".join(base), "median / p90 / p99"),
        ("mean latency (ms)", f"{statistics.mean(times) * 1000:.1f}", ""),
        ("subscribers that saw the new job", f"{delivered} / {sockets}", "all"),
    ]


def main() -> None:
    sockets = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with lab_server(poll_interval_active=1.0, poll_interval_idle=1.0) as server:
        rows = asyncio.run(run(server, sockets, calls))
    print(f"{sockets} websocket subscribers + {calls} concurrent API calls")
    print(f"(python benchmarks/bench_server_load.py {sockets} {calls})")
    print(table(rows))
    print(f"raw: {save_rows('bench_server_load', rows)}")


if __name__ == "__main__":
    main()
