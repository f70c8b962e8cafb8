"""Benchmark 3: the status of 100 jobs: requests and wall time, ours vs the official client.

100 small jobs are submitted to a private local service and finished. Then each client is
given the 100 job ids and asked for their current status: the official client fetches each job
(``service.job(id).status()``: one ``GET /jobs/{id}`` per job); ours builds handles of unknown
status and calls ``service.refresh_jobs(jobs)`` (``GET /jobs`` list pages); ``job.status()`` one by
one is shown for reference. Prints requests and the median wall time of REPEATS runs.

Run: ``python benchmarks/bench_client_status.py``
"""

from __future__ import annotations

import logging
import statistics
import time
import warnings
from typing import Any

from bench_client_common import RequestCounter, local_service, official_service, our_service, table

JOBS, REPEATS = 100, 5


def submit_jobs(service: Any) -> list[str]:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2

    backend = service.backend(
        "ibmq_manila" if "ibmq_manila" in {b.name for b in service.backends()} else "local_5q"
    )
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    isa = generate_preset_pass_manager(optimization_level=1, backend=backend).run(qc)
    sampler = SamplerV2(mode=backend)
    jobs = [sampler.run([isa], shots=10) for _ in range(JOBS)]
    for job in jobs:
        job.wait_for_final_state(timeout=600, poll_interval=0.2)
    return [job.job_id() for job in jobs]


def measure(action: Any, counter: RequestCounter) -> tuple[int, float, Any]:
    times, counts, value = [], [], None
    for _ in range(REPEATS):
        counter.reset()
        start = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - start)
        counts.append(counter.count)
    return int(statistics.median(counts)), statistics.median(times), value


def main() -> None:
    warnings.simplefilter("ignore")
    logging.getLogger("qiskit_ibm_runtime").setLevel(logging.ERROR)
    from qrt_lab.runtime.job import RuntimeJobV2

    with local_service() as info, RequestCounter() as counter:
        ours = our_service(info)
        ids = submit_jobs(ours)
        theirs = official_service(info)
        rest = ours._client()

        def official_status() -> list[str]:
            # job.status() answers from its cache once a job is final, so fetch each job
            return [str(theirs.job(job_id).status()) for job_id in ids]

        def our_refresh() -> list[str]:
            return ours.refresh_jobs([RuntimeJobV2(job_id, rest, service=ours) for job_id in ids])

        def our_one_by_one() -> list[str]:
            return [RuntimeJobV2(job_id, rest, service=ours).status() for job_id in ids]

        official_result = measure(official_status, counter)
        refresh_result = measure(our_refresh, counter)
        single_result = measure(our_one_by_one, counter)
    assert refresh_result[2] == single_result[2] == ["DONE"] * JOBS
    assert [s.upper() for s in official_result[2]] == ["DONE"] * JOBS
    table(
        f"status of {JOBS} jobs (median of {REPEATS})",
        ["client / method", "requests", "wall s"],
        [
            ["qiskit-ibm-runtime job(id).status() x100", official_result[0], official_result[1]],
            ["qrt_lab service.refresh_jobs(jobs)", refresh_result[0], refresh_result[1]],
            ["qrt_lab job.status() x100", single_result[0], single_result[1]],
        ],
    )


if __name__ == "__main__":
    main()
