"""Benchmark 2: 100 watched jobs — runtime requests per poll and event latency.

The extension's live monitor (the same ``JobMonitor`` the server runs, in-process here so its
requests can be counted at the httpx transport) watches a private local service while 100 sampler
jobs are submitted from "elsewhere" (a separate client). Latency is the time from a job's
transition in the service (``metrics.timestamps``) to the monitor publishing it.
Targets: 1-2 runtime requests per poll interval; latency under 2 s.

Run: ``python benchmarks/bench_server_monitor.py [jobs] [interval_s] [shots]``
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from bench_server_common import isolated_env, local_service, percentile, save_rows, table


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts the monitor's runtime requests."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.counts = counts

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if "/api/v1/" in request.url.path:
            self.counts["requests"] += 1
        return await self.inner.handle_async_request(request)


def _stamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


async def run(
    info: Any, root: Path, jobs: int, interval: float, shots: int
) -> list[tuple[str, ...]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "server"))
    from server_support import _sampler_body, local_rest

    from qrt_lab.server.state import QrtLabState

    state = QrtLabState()
    state.config.local_state_dir = str(info.state_dir)
    state.config.local_autostart = False
    state.config.poll_interval_active = interval
    state.config.poll_interval_idle = interval
    state.book.active_file = root / "active.json"
    counts = {"requests": 0}
    state.hub.transport_factory = lambda ref: CountingTransport(counts)
    seen: dict[tuple[str, str], float] = {}
    per_poll: list[int] = []

    def on_event(event: dict[str, Any]) -> None:
        job = event.get("job")
        if event.get("type") == "job" and job and event["event"] in {"created", "status"}:
            seen.setdefault((job["id"], job["status"]), time.time())

    original_poll = state.monitor.poll_once

    watched: list[int] = []

    async def counted_poll() -> bool:
        before = counts["requests"]
        ok = await original_poll()
        per_poll.append(counts["requests"] - before)
        watched.append(sum(not row["final"] for row in state.monitor.jobs.values()))
        return ok

    state.monitor.poll_once = counted_poll  # type: ignore[method-assign]
    state.monitor.subscribe(on_event)
    while not per_poll:
        await asyncio.sleep(0.05)
    rest = local_rest(info)
    conf = await rest.backend_configuration("local_5q")
    body = _sampler_body(conf, "local_5q", shots, 1, 2, None)
    # all jobs arrive at once, like a script submitting a sweep: 100 non-final jobs to watch
    replies = await asyncio.gather(*(rest.create_job(body) for _ in range(jobs)))
    ids = [str(reply["id"]) for reply in replies]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if all((i, "Completed") in seen for i in ids):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(interval * 2)
    polls_while_active = [n for n in per_poll if n]
    latencies: dict[str, list[float]] = {"Running": [], "Completed": []}
    for job_id in ids:
        metrics = await rest.job_metrics(job_id)
        marks = metrics.get("timestamps") or {}
        for status, key in (("Running", "running"), ("Completed", "finished")):
            if (job_id, status) in seen and marks.get(key):
                latencies[status].append(seen[(job_id, status)] - _stamp(marks[key]))
    await rest.aclose()
    await state.close()
    done = sum((i, "Completed") in seen for i in ids)
    rows: list[tuple[str, ...]] = [("measure", "value", "target")]
    rows.append(("jobs submitted / seen completed", f"{jobs} / {done}", "all"))
    rows.append(("polls", str(len(per_poll)), f"every {interval:g} s while active"))
    rows.append(("most non-final jobs watched at once", str(max(watched)), "100"))
    rows.append(
        (
            "runtime requests per poll (mean / max)",
            f"{statistics.mean(polls_while_active):.2f} / {max(polls_while_active)}",
            "1-2",
        )
    )
    for status, values in latencies.items():
        if values:
            rows.append(
                (
                    f"latency to '{status}' event (median / p95 / max)",
                    f"{statistics.median(values):.2f} / {percentile(values, 95):.2f} / "
                    f"{max(values):.2f} s",
                    "< 2 s",
                )
            )
    return rows


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    shots = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
    with tempfile.TemporaryDirectory(prefix="qrt-bench-monitor-") as tmp:
        root = Path(tmp)
        os.environ.update(isolated_env(root))
        with local_service(root) as info:
            rows = asyncio.run(run(info, root, jobs, interval, shots))
    print(f"Live monitor with {jobs} watched jobs, poll interval {interval:g} s, {shots} shots")
    print(f"(python benchmarks/bench_server_monitor.py {jobs} {interval:g} {shots})")
    print(table(rows))
    print(f"raw: {save_rows('bench_server_monitor', rows)}")


if __name__ == "__main__":
    main()
