"""History at scale: the local service's listings with 60 and with 10,000 jobs (1,000 sessions).

The history is written straight into the service's SQLite state (completed jobs, sessions and
usage rows, in one transaction each) instead of running 10,000 simulations. Each variant starts a
private service on a fresh state directory: ``before`` from the code of a git revision (default
8fe73d9, main before issue 23, checked out in a temporary ``git worktree``), ``now`` from this
checkout.
Every read the sidebar, the monitor and ``service.jobs()`` make is timed (p50 of N calls):

- ``GET /jobs?limit=50`` (first page; the issue's row), a deep page (``offset=9,900``), a
  keyset page of 200 from the middle (``created_before``, as ``service.jobs()`` pages),
- the monitor's poll (``created_after`` the newest job, ``limit=200``),
- ``GET /sessions?limit=20``, ``GET /instances/usage``;
- ``service.jobs(limit=None)`` with 10,000 jobs, qrt-lab's (lazy pages of 200) and
  qiskit-ibm-runtime's (eager, pages of 20): time to the first job and to ``len()``.

Writes ``benchmarks/results/speed/history-10k-jobs.json``.

Run: ``python benchmarks/bench_local_history.py [calls=200] [before-rev=8fe73d9] [official]``
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_server_common import DEVICES, isolated_env, revision_tree  # noqa: E402
from speed_row import save_speed_row  # noqa: E402

from qrt_lab.runtime.api.connection import RuntimeConnection  # noqa: E402
from qrt_lab.runtime.api.discovery import LocalServiceInfo, find_running  # noqa: E402
from qrt_lab.runtime.api.rest import AsyncRuntimeRest  # noqa: E402
from qrt_lab.runtime.api.urls import service_urls  # noqa: E402

UTC = timezone.utc
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"
# what a finished sampler job stores besides its row: a few log lines, its execution metadata
# and its inputs (sizes of a small real job; the listing reads none of them)
LOGS = "".join(f"2026-01-01T00:00:0{i}.000000Z line {i} of the job's log\n" for i in range(4))
METADATA = json.dumps(
    {
        "num_qubits": 5,
        "circuit_depths": [12] * 4,
        "executions": 4,
        "execution": {"spans": [{"start": "x" * 26, "stop": "y" * 26}] * 8},
    }
)
PARAMS = json.dumps({"pubs": [["x" * 1500, {}, 1024]], "version": 2})


#: The code measured as "before": the last commit of main before issue 23's work (default;
#: after the merge, "main" would be the same code as "now").
BEFORE_REV = "8fe73d9"


@contextmanager
def service_from(code: Path, root: Path) -> Iterator[LocalServiceInfo]:
    """A local service run from the source tree ``code`` with its state in ``root/local``."""
    state = root / "local"
    args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0"]
    args += ["--state-dir", str(state), "--workers", "1", "--log-level", "WARNING"]
    if DEVICES.is_dir():
        args += ["--devices", str(DEVICES)]
    env = isolated_env(root, code)
    proc = subprocess.Popen(args, env=env, cwd=code, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while (info := find_running(state)) is None or info.pid != proc.pid:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the local service from {code} did not start")
            time.sleep(0.1)
        yield info
    finally:
        proc.terminate()
        proc.wait(20)


def seed(database: Path, instance: str, jobs: int, sessions: int, start_seq: int = 0) -> None:
    """Append ``jobs`` completed jobs (one usage row each) and ``sessions`` closed sessions."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    job_rows, usage_rows = [], []
    for i in range(start_seq, start_seq + jobs):
        created = (base + timedelta(seconds=30 * i)).strftime(STAMP)
        finished = (base + timedelta(seconds=30 * i + 5)).strftime(STAMP)
        session = f"s{i // 10 % max(1, sessions):07d}" if sessions else None
        job_rows.append(
            (f"h{i:019d}", instance, "sampler", "ibm_fez", session, "Completed", created,
             created, finished, '["history"]', "", 0.1, METADATA, LOGS)
        )  # fmt: skip
        usage_rows.append((instance, finished, f"h{i:019d}", 0.1))
    session_rows = [
        (f"s{i:07d}", instance, "ibm_fez", "batch", "Closed", 28800, 300.0,
         (base + timedelta(minutes=5 * i)).strftime(STAMP))
        for i in range(sessions)
    ]  # fmt: skip
    with sqlite3.connect(database, timeout=30) as db:
        db.executemany(
            "INSERT INTO jobs (id, instance, program_id, backend, session_id, status, created, "
            "running, finished, tags, runtime, quantum_seconds, metadata, logs) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            job_rows,
        )
        db.executemany(
            "INSERT INTO job_params VALUES (?, ?)", [(row[0], PARAMS) for row in job_rows]
        )
        db.executemany("INSERT INTO usage VALUES (?, ?, ?, ?)", usage_rows)
        db.executemany(
            "INSERT OR IGNORE INTO sessions (id, instance, backend_name, mode, state, max_ttl, "
            "interactive_ttl, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            session_rows,
        )
    db.close()


async def p50(call: object, n: int) -> float:
    """Median seconds of ``n`` awaited calls after 5 warm-up calls."""
    samples = []
    for i in range(n + 5):
        start = time.perf_counter()
        await call()  # type: ignore[operator]
        if i >= 5:
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def measure(info: LocalServiceInfo, n: int) -> dict[str, float]:
    """p50 of every listing the sidebar, the monitor and the client make."""
    rest = AsyncRuntimeRest(
        RuntimeConnection(
            urls=service_urls(info.url, info.instance), api_key=info.api_key, instance=info.instance
        )
    )
    newest = (await rest.jobs(limit=1))["jobs"][0]["created"]
    count = (await rest.jobs(limit=1))["count"]
    middle = (await rest.jobs(limit=1, offset=count // 2))["jobs"][0]["created"]
    calls = {
        "GET /jobs?limit=50": lambda: rest.jobs(limit=50),
        "GET /jobs?limit=50 deep page": lambda: rest.jobs(limit=50, offset=max(0, count - 100)),
        "keyset page (created_before, deep)": lambda: rest.jobs(
            limit=200, created_before=datetime.strptime(middle, STAMP).replace(tzinfo=UTC)
        ),
        "monitor poll (created_after newest)": lambda: rest.jobs(
            limit=200, created_after=datetime.strptime(newest, STAMP).replace(tzinfo=UTC)
        ),
        "GET /sessions?limit=20": lambda: rest.recent_sessions(20),
        "GET /instances/usage": lambda: rest.usage(),
    }
    out = {name: await p50(call, n) for name, call in calls.items()}
    await rest.aclose()
    return out


def listing_clients(info: LocalServiceInfo, official: bool) -> dict[str, float]:
    """``service.jobs(limit=None)`` on 10,000 jobs: the first job, and every job.

    qrt-lab's client, and with ``official`` qiskit-ibm-runtime's too (about 100 s here: 500
    pages of 20 jobs, each job decoded, and again for ``len``).
    """
    from bench_client_common import official_service, our_service

    out: dict[str, float] = {}
    services = [("qrt-lab", our_service(info))]
    if official:
        services.append(("official", official_service(info)))
    for name, service in services:
        start = time.perf_counter()
        jobs = service.jobs(limit=None)
        next(iter(jobs))
        out[f"jobs(limit=None): first job, {name}"] = time.perf_counter() - start
        start = time.perf_counter()
        total = len(service.jobs(limit=None))
        out[f"jobs(limit=None): all {total:,} jobs, {name}"] = time.perf_counter() - start
    return out


def run_variant(
    code: Path, n: int, clients: bool = False, official: bool = False
) -> dict[str, dict[str, float]]:
    """Measure the service from ``code`` with 60 jobs, then with 10,000 jobs."""
    with tempfile.TemporaryDirectory(prefix="qrt-bench-history-") as tmp:
        root = Path(tmp)
        with service_from(code, root) as info:
            database = root / "local" / "state.sqlite3"
            seed(database, info.instance, 60, 6)
            small = asyncio.run(measure(info, n))
            start = time.perf_counter()
            seed(database, info.instance, 10_000 - 60, 1_000, start_seq=60)
            print(f"  seeded 10,000 jobs in {time.perf_counter() - start:.2f} s ({code})")
            large = asyncio.run(measure(info, n))
            listing = listing_clients(info, official) if clients else {}
    return {"60 jobs": small, "10,000 jobs": large, "clients": listing}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rev = sys.argv[2] if len(sys.argv) > 2 else BEFORE_REV
    official = "official" in sys.argv[3:]
    with revision_tree(rev) as old:
        before = run_variant(old, n)
    now = run_variant(REPO, n, clients=True, official=official)
    print(f"History at scale, p50 of {n} calls (python benchmarks/bench_local_history.py {n})")
    print(f"{'read':40} {'before 60':>10} {'before 10k':>11} {'now 60':>8} {'now 10k':>9}")
    for name in now["60 jobs"]:
        cells = [v[k][name] * 1000 for v in (before, now) for k in ("60 jobs", "10,000 jobs")]
        print(f"{name:40} " + " ".join(f"{c:9.2f}ms" for c in cells))
    for name, seconds in now["clients"].items():
        print(f"{name:40} {seconds * 1000:10.1f}ms")
    key = "GET /jobs?limit=50"
    now_10k = now["10,000 jobs"][key]
    poll = "monitor poll (created_after newest)"

    def cell(values: dict[str, dict[str, float]]) -> str:
        return (
            f"{values['10,000 jobs'][key] * 1000:.1f} ms ({values['60 jobs'][key] * 1000:.1f} ms);"
            f" monitor poll {values['10,000 jobs'][poll] * 1000:.1f} ms"
            f" ({values['60 jobs'][poll] * 1000:.1f} ms)"
        )

    first = now["clients"].get("jobs(limit=None): first job, qrt-lab")
    save_speed_row(
        "history-10k-jobs",
        where="an account with 10,000 jobs: service GET /jobs?limit=50 p50 and the monitor's "
        "poll, 10,000 jobs (60 jobs)",
        before=cell(before),
        now=cell(now) + (f"; jobs(limit=None) first job {first * 1000:.0f} ms" if first else ""),
        target="GET /jobs < 20 ms; poll independent of history",
        met=now_10k < 0.020
        and now["10,000 jobs"][poll] < 2 * max(now["60 jobs"][poll], 0.002),
        command=f"python benchmarks/bench_local_history.py {n}",
        details={
            variant: {size: {k: f"{v * 1000:.2f} ms" for k, v in row.items()}
                      for size, row in values.items()}
            for variant, values in (("before", before), ("now", now))
        },
    )  # fmt: skip


if __name__ == "__main__":
    main()
