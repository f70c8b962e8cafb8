"""Benchmark: what ``%qruntime`` adds on top of the client calls it wraps.

Against a private local service, each magic is timed next to the client call it wraps (same
service object, warm caches): ``jobs --limit 20`` vs ``service.jobs(limit=20)``, ``backends`` vs
``service.backends()`` + ``backend.status()``, ``usage`` vs ``service.usage()``; plus parsing
alone (``help`` with output discarded). Prints the median of REPEATS runs and the ratio.

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

from bench_client_common import local_service, table

REPEATS = 15


def median_time(action: Callable[[], Any]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    with local_service() as info:
        os.environ["QRT_LAB_LOCAL_DIR"] = str(info.state_dir)
        from qrt_lab.magics import _active

        _active.use_local()
        service = _active.service()
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "qrt_lab")

        def magic(line: str) -> Callable[[], Any]:
            return lambda: shell.run_line_magic("qruntime", line)

        def backends_direct() -> Any:
            return [(b.name, b.status()) for b in service.backends()]

        pairs = [
            ("jobs --limit 20", magic("jobs --limit 20"), lambda: service.jobs(limit=20)),
            ("backends", magic("backends"), backends_direct),
            ("usage", magic("usage"), service.usage),
        ]
        rows = []
        for name, wrapped, direct in pairs:
            direct()  # warm the configuration cache for both
            magic_s, direct_s = median_time(wrapped), median_time(direct)
            rows.append([f"%qruntime {name}", magic_s * 1e3, direct_s * 1e3, magic_s / direct_s])
        rows.append(["%qruntime help (parse + print)", median_time(magic("help")) * 1e3, "-", "-"])
        _active.forget()
    table(
        f"%qruntime vs the client call it wraps (median of {REPEATS}, local service)",
        ["magic", "magic ms", "client ms", "ratio"],
        rows,
    )


if __name__ == "__main__":
    main()
