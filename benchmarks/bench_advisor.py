"""The backend advisor: predicted vs measured success, and how long a ranking takes.

Quality: GHZ (5, 10, 15, 20 qubits), a QFT, a hardware-efficient ansatz and a mirror circuit on
every non-simulator backend of a private local service (the built-in devices, and the recorded
IBM devices when ``../shared/data/devices`` is present), the advisor's top layouts of each
backend plus the preset transpiler's layout on the least busy backend, each measured by a real
SamplerV2 job (layout fixed, idle windows as delays; see ``tests/advice/quality_support.py``).
Prints the table of predicted vs measured, the pooled and within-circuit Spearman correlations
and the top choice against the preset layout, and writes it to
``benchmarks/results/advisor_quality.md``.

Speed: ranking 5 backends (up to 156 qubits) for a 20-qubit GHZ circuit with a fresh client
(the first ranking fetches every backend's properties) and again warm, against the preset
transpiler alone on the same 5 backends (what a user ran before the advisor), median of 3.
Writes ``benchmarks/results/speed/advisor.json``.

Usage: ``python benchmarks/bench_advisor.py [quality|speed]`` (both by default).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import warnings
from typing import Any

from bench_client_common import REPO, local_service

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.advice import rank_backends
from qrt_lab.runtime.advice.transpiling import transpile_preset
from tests.advice.quality_support import (
    Point,
    ghz,
    hea,
    measure_circuit,
    mirror,
    qft,
    summarise,
)

RESULTS = REPO / "benchmarks" / "results"
COMMAND = "python benchmarks/bench_advisor.py"
SHOTS = 4000
SPEED_BACKENDS = ["local_falcon27", "local_eagle127", "local_heron156", "ibm_brisbane", "ibm_fez"]
FALLBACK = ["local_5q", "local_falcon27", "local_eagle127", "local_heron156", "local_ideal"]


def client(info: Any) -> QiskitRuntimeService:
    return QiskitRuntimeService(
        channel="ibm_quantum_platform", token=info.api_key, url=info.url, instance=info.instance
    )


def table(results: list[tuple[list[Point], Point]]) -> str:
    rows = ["| circuit | backend | layout | predicted | measured | |", "|---|---|---|---|---|---|"]
    for points, base in results:
        for p in [*points, base]:
            what = "preset, least busy" if p.preset else ("top" if p.rank == 0 else "")
            layout = ",".join(map(str, p.layout))
            rows.append(
                f"| {p.circuit} | {p.backend} | {layout} | {p.predicted:.3f} ± {p.uncertainty:.3f}"
                f" | {p.measured:.3f} | {what} |"
            )
    return "\n".join(rows)


def quality(service: QiskitRuntimeService) -> None:
    circuits = [ghz(5), ghz(10), ghz(15), ghz(20), qft(5), hea(6), mirror(6)]
    results = []
    for circuit in circuits:
        start = time.perf_counter()
        results.append(measure_circuit(service, circuit, None, 2, SHOTS))
        print(f"{circuit.name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    s = summarise(results)
    lines = [
        table(results),
        "",
        f"Pooled Spearman (all {sum(len(p) for p, _ in results)} candidates): {s.pooled:.2f}",
        f"Mean within-circuit Spearman: {s.within:.2f} "
        + ", ".join(f"{k} {v:.2f}" for k, v in s.within_each.items()),
        "Top choice minus preset layout on the least busy backend (measured): "
        + ", ".join(
            f"{k} {v:+.3f} (uncertainty {s.top_uncertainty[k]:.3f})"
            for k, v in s.top_minus_preset.items()
        ),
        f"Mean: {statistics.mean(s.top_minus_preset.values()):+.3f}",
        f"({SHOTS} shots per candidate; command: {COMMAND} quality)",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "advisor_quality.md").write_text(text + "\n")


def _median(run: Any, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed(info: Any) -> None:
    names = {b.name for b in client(info).backends()}
    chosen = [n for n in SPEED_BACKENDS if n in names]
    chosen += [n for n in FALLBACK if n in names and n not in chosen][: 5 - len(chosen)]
    circuit = ghz(20)

    def preset_cold() -> None:
        svc = client(info)
        for name in chosen:
            b = svc.backend(name)
            if b.num_qubits >= 20:
                transpile_preset([circuit], b, 2)

    def advisor_cold() -> None:
        rank_backends(circuit, client(info), backends=chosen)

    warm = client(info)
    rank_backends(circuit, warm, backends=chosen)
    before = _median(preset_cold)
    cold = _median(advisor_cold)
    now = _median(lambda: rank_backends(circuit, warm, backends=chosen))
    row = {
        "where": f"rank_backends, 20-qubit GHZ on 5 backends ({', '.join(chosen)})",
        "before": f"{before:.2f} s (preset transpiler alone on the same backends, fresh client)",
        "now": f"{cold:.2f} s fresh client (fetches properties), {now:.2f} s warm",
        "target": "< 5 s",
        "met": cold < 5.0,
        "command": f"{COMMAND} speed",
    }
    print(json.dumps(row, indent=2))
    (RESULTS / "speed").mkdir(parents=True, exist_ok=True)
    (RESULTS / "speed" / "advisor.json").write_text(json.dumps(row, indent=2) + "\n")


def main() -> None:
    parts = set(sys.argv[1:]) or {"quality", "speed"}
    warnings.filterwarnings("ignore", message="Duration is rounded")
    with local_service() as info:
        if "speed" in parts:
            speed(info)
        if "quality" in parts:
            quality(client(info))


if __name__ == "__main__":
    main()
