"""Benchmark: notebook figures and the kernel job poller.

1. Sampler histogram of 1,000,000 shots x 20 bits, starting from the ``BitArray``: the new path
   (``outcomes_from_bits`` + ``histogram_figure``: packed rows → integer keys → bincount, labels
   for the top-k only) against the previous one (``BitArray.get_counts()`` then the previous
   ``counts_histogram_figure``, which sorted the whole counts dict in Python). Two shot
   distributions: uniform (~630k distinct outcomes, the worst case) and a noisy GHZ state.
2. Coupling map of the 156-qubit heavy-hex device: build time, trace count, JSON size.
3. 100 jobs watched by 100 ``JobMonitor`` widgets through the kernel poller: HTTP requests per
   poll interval, against one ``job.status()`` per job.

Run: ``python benchmarks/bench_widgets.py`` (target: histogram < 200 ms, coupling map < 50 ms
with <= 12 traces, JSON < 100 KB, one request per poll).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from bench_client_common import RequestCounter, local_service, our_service, table

REPEATS = 5


def median_ms(action: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Median wall time of ``action`` in milliseconds, and its last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def previous_histogram(counts: Mapping[str, int], top_k: int = 32) -> dict[str, Any]:
    """The previous ``counts_histogram_figure`` (before the packed-row path), for comparison."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    kept, dropped = ranked[:top_k], ranked[top_k:]
    labels = [k for k, _ in kept]
    values = [int(v) for _, v in kept]
    other = int(sum(v for _, v in dropped))
    if other:
        labels.append("other")
        values.append(other)
    total = sum(counts.values()) or 1
    hover = [f"{lb}<br>{v} ({100 * v / total:.2f}%)" for lb, v in zip(labels, values, strict=True)]
    return {"data": [{"type": "bar", "x": labels, "y": values, "hovertext": hover}], "layout": {}}


def histogram_rows() -> list[list[Any]]:
    from qiskit.primitives.containers import BitArray

    from qrt_lab.plots import histogram_figure, outcomes_from_bits

    rng = np.random.default_rng(11)
    shots, bits = 1_000_000, 20
    uniform = rng.integers(0, 1 << bits, size=shots, dtype=np.int64)
    ghz = np.where(rng.random(shots) < 0.5, 0, (1 << bits) - 1)
    flips = rng.random((shots, bits)) < 0.01  # 1% independent bit flips
    ghz = ghz ^ (flips * (1 << np.arange(bits))).sum(axis=1)
    rows = []
    for name, samples in (("uniform", uniform), ("noisy GHZ", ghz)):
        packed = np.stack([(samples >> s) & 0xFF for s in (16, 8, 0)], axis=1).astype(np.uint8)
        array = BitArray(packed, num_bits=bits)
        new_ms, figure = median_ms(lambda a=array: histogram_figure(outcomes_from_bits(a)))
        old_ms, _ = median_ms(lambda a=array: previous_histogram(a.get_counts()), repeats=2)
        size = len(json.dumps(figure)) / 1024
        rows.append([name, old_ms, new_ms, old_ms / new_ms, size])
    return rows


def coupling_rows() -> list[list[Any]]:
    from qrt_lab.local.devices.topology import heavy_hex_heron156
    from qrt_lab.plots import coupling_layout, coupling_map_figure

    topology = heavy_hex_heron156()
    edges = [list(e) for e in topology.edges]
    rng = np.random.default_rng(3)
    t1 = rng.uniform(50, 300, topology.num_qubits).tolist()
    errors = {
        tuple(e): float(v) for e, v in zip(edges, rng.uniform(1e-3, 2e-2, len(edges)), strict=True)
    }
    layout = coupling_layout(topology.num_qubits, edges)

    def build(cached: bool) -> dict[str, Any]:
        return coupling_map_figure(
            topology.num_qubits, edges, qubit_values=t1, qubit_metric="T1",
            edge_values=errors, edge_metric="CZ error", layout=layout if cached else None,
        )  # fmt: skip

    rows = []
    for cached in (False, True):
        ms, figure = median_ms(lambda c=cached: build(c))
        label = "layout cached (widget redraw)" if cached else "with layout"
        rows.append([label, ms, len(figure["data"]), len(json.dumps(figure)) / 1024])
    return rows


def poller_rows() -> list[list[Any]]:
    from qiskit import QuantumCircuit
    from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2
    from qrt_lab.widgets import JobMonitor
    from qrt_lab.widgets._poller import KernelPoller, poller

    rows = []
    with local_service() as info:
        service = our_service(info)
        backend = service.backend("local_5q")
        qc = QuantumCircuit(2)
        qc.h(0)
        qc.cx(0, 1)
        qc.measure_all()
        isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)
        sampler = SamplerV2(mode=backend)
        jobs = [sampler.run([isa], shots=10) for _ in range(100)]
        kernel_poller: KernelPoller = poller()
        kernel_poller.interval = 3600  # polls only when the benchmark asks
        # results off: a finished single-job monitor would fetch its result (one more request)
        monitors = [JobMonitor(job, show_results=False) for job in jobs]
        counts = []
        while any(m.watching for m in monitors) and len(counts) < 60:
            with RequestCounter() as counter:
                kernel_poller.poll()
            counts.append(counter.count)
            time.sleep(0.5)
        for monitor in monitors:
            monitor.stop()
        done = sum(m.statuses[j.job_id()] == "DONE" for m, j in zip(monitors, jobs, strict=True))
        with RequestCounter() as naive:
            for job in jobs:
                job.status()
        rows.append(["kernel poller, 100 monitors", len(counts), max(counts), sum(counts), done])
        rows.append(["job.status() per job", 1, naive.count, naive.count, done])
        service.close()
    return rows


def main() -> None:
    table(
        "Histogram from a BitArray, 1,000,000 shots x 20 bits (top 32 + other)",
        ["shots", "previous ms", "new ms", "speed-up", "JSON KB"],
        histogram_rows(),
    )
    table(
        "Coupling map, 156-qubit heavy-hex (T1 + CZ error colours)",
        ["case", "ms", "traces", "JSON KB"],
        coupling_rows(),
    )
    table(
        "100 watched jobs: HTTP requests per poll interval",
        ["watcher", "polls", "max requests/poll", "requests", "jobs DONE"],
        poller_rows(),
    )


if __name__ == "__main__":
    main()
