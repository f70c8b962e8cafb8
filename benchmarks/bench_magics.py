"""Benchmark: what ``%qruntime`` adds on top of the client calls it wraps.

Against a private local service holding JOBS jobs on two backends, each magic is timed next to
the client call it wraps (same service object, warm caches): ``jobs --limit 20`` vs
``service.jobs(limit=20)``, ``backends`` vs ``service.backends()`` + ``backend.status()``,
``usage`` vs ``service.usage()``; plus parsing alone (``help`` with output discarded). Prints
the median of REPEATS runs, the ratio, and the HTTP requests of one run: on a new service
object (cold: nothing cached) and again (warm). The shell is a plain IPython shell, so the
magics take their text fallback (no widget frontend).

Run: ``python benchmarks/bench_magics.py``
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench_client_common import RequestCounter, local_service, table

REPEATS = 15
JOBS = 20
BACKENDS = ("local_5q", "local_ideal")


def median_time(action: Callable[[], Any]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def requests_of(action: Callable[[], Any]) -> int:
    with RequestCounter() as counter, contextlib.redirect_stdout(io.StringIO()):
        action()
    return counter.count


def submit_jobs(service: Any) -> None:
    """JOBS small Bell jobs, alternating between BACKENDS, all finished."""
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2

    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    jobs = []
    for index in range(JOBS):
        backend = service.backend(BACKENDS[index % len(BACKENDS)])
        isa = generate_preset_pass_manager(1, target=backend.target).run(circuit)
        jobs.append(SamplerV2(mode=backend).run([isa], shots=10))
    for job in jobs:
        job.wait_for_final_state(timeout=300)


def main() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    with local_service() as info:
        os.environ["QRT_LAB_LOCAL_DIR"] = str(info.state_dir)
        from qrt_lab.magics import _active

        _active.use_local()
        submit_jobs(_active.service())
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "qrt_lab")

        def magic(line: str) -> Callable[[], Any]:
            return lambda: shell.run_line_magic("qruntime", line)

        def direct(name: str) -> Callable[[], Any]:
            calls: dict[str, Callable[[], Any]] = {
                "jobs": lambda: _active.service().jobs(limit=20),
                "backends": lambda: [(b.name, b.status()) for b in _active.service().backends()],
                "usage": lambda: _active.service().usage(),
            }
            return calls[name]

        pairs = [("jobs --limit 20", "jobs"), ("backends", "backends"), ("usage", "usage")]
        rows = []
        for line, call in pairs:
            _active.use_local()  # a new service object: nothing cached
            cold = requests_of(magic(line))
            warm = requests_of(magic(line))
            direct(call)()
            magic_s, direct_s = median_time(magic(line)), median_time(direct(call))
            ratio = magic_s / direct_s
            rows.append([f"%qruntime {line}", magic_s * 1e3, direct_s * 1e3, ratio, cold, warm])
        help_ms = median_time(magic("help")) * 1e3
        rows.append(["%qruntime help (parse + print)", help_ms, "-", "-", 0, 0])
        _active.forget()
    table(
        f"%qruntime vs the client call it wraps (median of {REPEATS}, local service, {JOBS} jobs)",
        ["magic", "magic ms", "client ms", "ratio", "requests cold", "requests warm"],
        rows,
    )


if __name__ == "__main__":
    main()
