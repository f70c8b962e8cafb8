"""The advisor's predictions against simulation on the local service (the CI subset).

Four circuits (GHZ, QFT, hardware-efficient ansatz, mirror) on the four built-in devices, two
layouts per device, plus the preset transpiler's layout on the least busy device, each measured
with a real SamplerV2 job (layout fixed, idle windows as delays). The full set is
``benchmarks/bench_advisor.py``.
"""

from __future__ import annotations

import time

import pytest

from qrt_lab.runtime import QiskitRuntimeService

from .quality_support import BUILTIN, ghz, hea, measure_circuit, mirror, qft, summarise

SHOTS = 4000


@pytest.mark.filterwarnings("ignore:Duration is rounded")
def _no_pending_jobs(service: QiskitRuntimeService, timeout: float = 600) -> None:
    """Wait until jobs of earlier tests on the shared service are final: the preset point is
    measured on the least busy device, which must not depend on what ran before."""
    deadline = time.monotonic() + timeout
    while service.jobs(limit=1, pending=True):
        assert time.monotonic() < deadline, "jobs of earlier tests are still pending"
        time.sleep(0.5)


def test_predicted_success_ranks_like_the_simulation(service: QiskitRuntimeService) -> None:
    _no_pending_jobs(service)
    results = [
        measure_circuit(service, circuit, list(BUILTIN), 2, SHOTS)
        for circuit in (ghz(5), qft(4), hea(4), mirror(5))
    ]
    summary = summarise(results)
    assert summary.pooled >= 0.8, summary
    assert summary.within >= 0.5, summary
    for name, better in summary.top_minus_preset.items():
        assert better >= -summary.top_uncertainty[name], (name, summary)
    assert sum(summary.top_minus_preset.values()) > 0, summary
    for points, _ in results:
        assert [p.predicted for p in points] == sorted((p.predicted for p in points), reverse=True)
