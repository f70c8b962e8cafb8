"""The executor program: the official client-side primitives, local service vs local testing mode.

Run: ``python benchmarks/bench_local_executor.py [runs]`` (median of ``runs``, default 3).

The same programs (a twirled ``executor_sampler.Sampler`` on a Bell pair, 1,024 shots; a
level-2 ``executor_estimator.Estimator`` (twirling, TREX, ZNE) on a Bell pair with ZZ, XX and
ZI) run with the unmodified qiskit-ibm-runtime client twice: against this service over HTTP,
and in the official local testing mode on a fake device of the same size (``FakeManilaV2`` for
5 qubits, ``FakeFez`` for 156). Targets: ours / official <= 1.5 on 5 qubits, <= 0.2 on 156.

A second table times this service's first and second job of each program on a fresh service
(the first 156-qubit level-2 Estimator job builds a noise model per group of independent
qubits; later jobs on the same worker reuse them). The service has two workers, so the second
job may land on the worker that has not built them yet: the third job is shown too. The last
column is a ``dry_run=True`` job of the same program (the device's mock twin: checked and
charged, random data, nothing simulated). A last table runs the 5-qubit programs inside a
``Session``: outside one, the official client waits 0.5 s between status polls, which sets a
floor of about 0.5 s on any job over HTTP; inside one it polls every 0.1 s.

``python benchmarks/bench_local_executor.py --batching [runs]`` measures batched executor
simulation instead (see ``bench_local_batching.py``).
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_client_common import official_service, table  # noqa: E402
from bench_local_http import local_service  # noqa: E402

TARGETS = {5: 1.5, 156: 0.2}


def _bell(backend: Any, measure: bool) -> Any:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    if measure:
        circuit.measure_all()
    manager = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=1)
    return manager.run(circuit)


def _sampler_job(backend: Any, dry_run: bool = False, mode: Any = None) -> Any:
    from qiskit_ibm_runtime.executor_sampler import Sampler

    sampler = Sampler(mode=mode or backend)
    sampler.options.twirling.enable_gates = True
    sampler.options.twirling.enable_measure = True
    circuit = _bell(backend, measure=True)
    return lambda: (
        sampler.run([circuit], shots=1024, dry_run=dry_run).result()[0].data.meas.get_counts()
    )


def _estimator_job(backend: Any, dry_run: bool = False, mode: Any = None, level: int = 2) -> Any:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_ibm_runtime.executor_estimator import Estimator

    estimator = Estimator(mode=mode or backend)
    estimator.options.resilience_level = level
    circuit = _bell(backend, measure=False)
    observables = [SparsePauliOp(p).apply_layout(circuit.layout) for p in ("ZZ", "XX", "ZI")]
    return lambda: estimator.run([(circuit, observables)], dry_run=dry_run).result()[0].data.evs


def _median_seconds(job: Any, runs: int) -> tuple[float, str, list[float]]:
    """Median wall time of ``job`` after one warm-up run, its value (or its error), all times.

    The list holds every run's seconds, the warm-up first.
    """
    start = time.perf_counter()
    try:
        value = job()  # warm-up: imports, noise models, worker caches
    except Exception as exc:  # noqa: BLE001 - a failing side is reported, not fatal
        return float("nan"), f"failed: {type(exc).__name__}: {str(exc)[:80]}", []
    times = [time.perf_counter() - start]
    for _ in range(runs):
        start = time.perf_counter()
        value = job()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:]), str(value)[:70], times


def main(runs: int = 3) -> None:
    """Time both primitives on both device sizes and print the table."""
    warnings.simplefilter("ignore")
    from qiskit_ibm_runtime.fake_provider import FakeFez, FakeManilaV2

    rows, first_jobs, in_session = [], [], []
    officials: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as home, local_service() as info:
        os.environ["HOME"] = home
        service = official_service(info)
        names = [b.name for b in service.backends(min_num_qubits=156)]
        devices = {
            5: (service.backend("local_5q"), FakeManilaV2()),
            156: (service.backend("ibm_fez" if "ibm_fez" in names else names[0]), FakeFez()),
        }
        for qubits, (ours_backend, fake) in devices.items():
            for name, make in (
                ("twirled Sampler", _sampler_job),
                ("level-2 Estimator", _estimator_job),
            ):
                ours, ours_value, ours_times = _median_seconds(make(ours_backend), runs)
                official, official_value, _ = _median_seconds(make(fake), runs)
                dry, _, _ = _median_seconds(make(ours_backend, dry_run=True), 1)
                first_jobs.append([f"{name}, {qubits}q", *(ours_times + [math.nan] * 3)[:3], dry])
                officials[f"{name}, {qubits}q"] = official
                ratio = ours / official
                verdict = "ok" if ratio <= TARGETS[qubits] else "MISSED"
                if math.isnan(official):
                    verdict = "official local mode fails"
                rows.append(
                    [
                        f"{name}, {qubits}q ({ours_backend.name} / {fake.name})",
                        official,
                        ours,
                        ratio,
                        f"<= {TARGETS[qubits]}",
                        verdict,
                    ]
                )
                print(f"  {name} {qubits}q: official {official_value}")
                print(f"  {name} {qubits}q: ours     {ours_value}")
        in_session = _in_a_session(devices[5][0], officials, runs)
    table(
        f"executor primitives: official local testing mode vs this service over HTTP "
        f"(median of {runs}, seconds)",
        ["program", "official (s)", "ours (s)", "ours/official", "target", ""],
        rows,
    )
    table(
        "this service: first, second and third job of each program on a fresh service (seconds)",
        ["program", "first job", "second job", "third job", "dry run"],
        first_jobs,
    )
    table(
        "5 qubits in a Session: the official client then polls every 0.1 s instead of 0.5 s "
        f"(median of {runs}, seconds)",
        ["program", "official (s)", "ours (s)", "ours/official", "target", ""],
        in_session,
    )


def _in_a_session(backend: Any, officials: dict[str, float], runs: int) -> list[list[Any]]:
    """The 5-qubit programs inside a ``Session`` (the official local mode has no status poll)."""
    from qiskit_ibm_runtime import Session

    rows = []
    with Session(backend=backend) as session:
        for name, make in (
            ("twirled Sampler", _sampler_job),
            ("level-2 Estimator", _estimator_job),
        ):
            ours, _, _ = _median_seconds(make(backend, mode=session), runs)
            official = officials[f"{name}, 5q"]
            ratio = ours / official
            verdict = "ok" if ratio <= TARGETS[5] else "MISSED"
            rows.append(
                [f"{name}, 5q, in a Session", official, ours, ratio, f"<= {TARGETS[5]}", verdict]
            )
    return rows


if __name__ == "__main__":
    if "--batching" in sys.argv:
        from bench_local_batching import main as batching_main

        batching_main(int(next((a for a in sys.argv[1:] if a.isdigit()), "5")))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
