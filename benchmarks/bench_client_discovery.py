"""Benchmark 1: construction + backends() + backend(name) + least_busy(), ours vs official.

Both clients talk to the same private local service. Each repetition builds a fresh service
(our process-wide token cache is cleared first, so both pay for IAM). Prints requests and wall
time per repetition (median of REPEATS).

Run: ``python benchmarks/bench_client_discovery.py``
"""

from __future__ import annotations

import logging
import statistics
import time
import warnings
from typing import Any

from bench_client_common import RequestCounter, local_service, official_service, our_service, table

REPEATS = 5


def scenario(make: Any, info: Any) -> Any:
    service = make(info)
    backends = service.backends()
    service.backend(backends[0].name)
    service.least_busy()
    return service


def measure(make: Any, info: Any, counter: RequestCounter) -> tuple[int, float]:
    from qrt_lab.runtime.api.auth import SHARED_TOKENS

    times, counts = [], []
    for _ in range(REPEATS):
        SHARED_TOKENS.clear()
        counter.reset()
        start = time.perf_counter()
        scenario(make, info)
        times.append(time.perf_counter() - start)
        counts.append(counter.count)
    return int(statistics.median(counts)), statistics.median(times)


def main() -> None:
    warnings.simplefilter("ignore")
    logging.getLogger("qiskit_ibm_runtime").setLevel(logging.ERROR)
    with local_service() as info, RequestCounter() as counter:
        scenario(official_service, info)  # warm imports for both
        scenario(our_service, info)
        theirs = measure(official_service, info, counter)
        ours = measure(our_service, info, counter)
    table(
        f"construction + backends() + backend() + least_busy()  (median of {REPEATS})",
        ["client", "requests", "wall s"],
        [["qiskit-ibm-runtime", theirs[0], theirs[1]], ["qrt_lab", ours[0], ours[1]]],
    )
    print(
        f"\n  requests: {ours[0]} vs {theirs[0]}; "
        f"time ratio ours/official = {ours[1] / theirs[1]:.2f}"
    )


if __name__ == "__main__":
    main()
