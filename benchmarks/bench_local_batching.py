"""Batched executor simulation: the 156-qubit executor Estimator before and after, one run.

Run: ``python benchmarks/bench_local_executor.py --batching [runs]`` (median of ``runs``,
default 5, after one warm-up job per service and level).

Two private local services run side by side with the real device documents: one with
``QRT_LAB_LOCAL_EXECUTOR_BATCHING=0`` (before: each group of up to five independent qubits of an
item in its own Aer call, 32 calls per item of the 156-qubit Estimator), one as shipped (after:
one Aer call per item for every part measured at the end). The unmodified official client's
``executor_estimator.Estimator`` runs the Bell pair of ``bench_local_executor.py`` (ZZ, XX and
ZI) on the 156-qubit device at ``resilience_level`` 1 and 2, jobs interleaved between the
services so both see the same machine load. It prints level, value, error and time per level
and service, and writes two rows of issue 23's table to ``benchmarks/results/speed/``:
``executor-estimator-level2-156q.json`` (level-2 wall time, target <= 3 s) and
``executor-estimator-level2-vs-level1-156q.json`` (level 2 / level 1, target <= 5x, issue 25).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import warnings
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench_client_common import official_service, table
from bench_local_executor import _bell
from bench_local_http import local_service

REPO = Path(__file__).resolve().parents[1]
SPEED = REPO / "benchmarks" / "results" / "speed"
COMMAND = "python benchmarks/bench_local_executor.py --batching"
VARIABLE = "QRT_LAB_LOCAL_EXECUTOR_BATCHING"


def _job(backend: Any, level: int) -> Any:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_ibm_runtime.executor_estimator import Estimator

    estimator = Estimator(mode=backend)
    estimator.options.resilience_level = level
    circuit = _bell(backend, measure=False)
    observables = [SparsePauliOp(p).apply_layout(circuit.layout) for p in ("ZZ", "XX", "ZI")]
    return lambda: estimator.run([(circuit, observables)]).result()[0]


def _backend(info: Any) -> Any:
    service = official_service(info)
    names = [b.name for b in service.backends(min_num_qubits=156)]
    return service.backend("ibm_fez" if "ibm_fez" in names else names[0])


def _started(stack: ExitStack, batching: bool) -> Any:
    """A service whose workers run with batching on or off."""
    if batching:
        os.environ.pop(VARIABLE, None)
    else:
        os.environ[VARIABLE] = "0"
    try:
        return stack.enter_context(local_service(workers=1))
    finally:
        os.environ.pop(VARIABLE, None)


def _measure(backends: dict[str, Any], runs: int) -> dict[tuple[str, int], dict[str, Any]]:
    """Interleaved timings: per (service, level), the times, last value and error."""
    jobs = {(name, level): _job(b, level) for name, b in backends.items() for level in (1, 2)}
    found: dict[tuple[str, int], dict[str, Any]] = {k: {"times": []} for k in jobs}
    for job in jobs.values():
        job()  # warm-up: worker caches, noise models
    for _ in range(runs):
        for key, job in jobs.items():
            started = time.perf_counter()
            result = job()
            found[key]["times"].append(time.perf_counter() - started)
            found[key]["evs"] = result.data.evs
            found[key]["stds"] = result.data.stds
    return found


def _write(key: str, row: dict[str, Any]) -> None:
    SPEED.mkdir(parents=True, exist_ok=True)
    (SPEED / f"{key}.json").write_text(json.dumps(row, indent=1) + "\n")


def main(runs: int = 5) -> None:
    """Measure both services and write the two rows."""
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as home, ExitStack() as stack:
        os.environ["HOME"] = home
        before = _backend(_started(stack, batching=False))
        after = _backend(_started(stack, batching=True))
        found = _measure({"before": before, "after": after}, runs)
    median = {k: statistics.median(v["times"]) for k, v in found.items()}
    rows = [
        [
            name,
            str(level),
            " ".join(f"{x:+.3f}" for x in found[(name, level)]["evs"]),
            " ".join(f"{x:.3f}" for x in found[(name, level)]["stds"]),
            median[(name, level)],
            min(found[(name, level)]["times"]),
        ]
        for name in ("before", "after")
        for level in (1, 2)
    ]
    table(
        f"executor Estimator, Bell pair on {after.name} (156 qubits), ZZ XX ZI, "
        f"median of {runs} interleaved jobs (seconds)",
        ["simulation", "level", "evs", "stds", "median s", "min s"],
        rows,
    )
    ratio = {name: median[(name, 2)] / median[(name, 1)] for name in ("before", "after")}
    print(f"\n  level 2 / level 1: before {ratio['before']:.2f}x, after {ratio['after']:.2f}x")
    print(f"  level 2: before {median[('before', 2)]:.2f} s, after {median[('after', 2)]:.2f} s")
    print(f"  (machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    _write(
        "executor-estimator-level2-156q",
        {
            "where": "156-qubit level-2 executor Estimator on the local service "
            f"(Bell pair, 3 observables, {after.name}, official client, median of {runs})",
            "before": f"{median[('before', 2)]:.2f} s (one Aer call per group of <= 5 qubits)",
            "now": f"{median[('after', 2)]:.2f} s (one Aer call per item)",
            "target": "<= 3 s",
            "met": median[("after", 2)] <= 3.0,
            "command": COMMAND,
        },
    )
    _write(
        "executor-estimator-level2-vs-level1-156q",
        {
            "where": "level-2 / level-1 executor Estimator job on 156 qubits, same run (issue 25)",
            "before": f"{ratio['before']:.2f}x ({median[('before', 2)]:.2f} s / "
            f"{median[('before', 1)]:.2f} s)",
            "now": f"{ratio['after']:.2f}x ({median[('after', 2)]:.2f} s / "
            f"{median[('after', 1)]:.2f} s)",
            "target": "<= 5x",
            "met": ratio["after"] <= 5.0,
            "command": COMMAND,
        },
    )
    print(f"\n  rows written to {SPEED.relative_to(REPO)}/")
