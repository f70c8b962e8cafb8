"""Wide noisy circuits: the local service over HTTP vs qiskit-ibm-runtime's local testing mode.

For 14, 20 and 24 qubits: ``efficient_su2(n, reps=2)`` with fixed random parameters, measured,
transpiled once for ``local_heron156`` (ibm_fez's coupling map), 1,000 shots. Ours: submitted
with the official client to a private local service (1 worker) and timed from ``run()`` to
``result()``; its method, estimate and the worker's peak memory come from the job metadata.
Official: the same ISA circuit through ``SamplerV2(mode=FakeFez())`` in a child process (so its
peak memory is its own), stopped after ``--official-limit`` seconds (then shown as "> limit"
and the ratio as an upper bound). A wider official run is skipped when a narrower one already
hit the limit, or when the last measured time doubled per added qubit (its Aer run is one
statevector trajectory per shot beyond density-matrix widths) exceeds the limit.

Run: ``python benchmarks/bench_local_wide.py [--widths 14,20,24] [--shots 1000]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_client_common import local_service, official_service  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
BACKEND = "local_heron156"
PARAMETER_SEED = 42


def ansatz(width: int) -> Any:
    """``efficient_su2(width, reps=2)`` with fixed random parameters, measured."""
    from qiskit.circuit.library import efficient_su2

    circuit = efficient_su2(width, reps=2)
    values = np.random.default_rng(PARAMETER_SEED).uniform(-np.pi, np.pi, circuit.num_parameters)
    circuit = circuit.assign_parameters(values)
    circuit.measure_all()
    return circuit


def _official_child(path: str, shots: int) -> None:
    """Run the official local testing mode on the QPY circuit at ``path``; print JSON."""
    from qiskit import qpy
    from qiskit_ibm_runtime import SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeFez

    warnings.filterwarnings("ignore")
    with open(path, "rb") as handle:
        (circuit,) = qpy.load(handle)
    sampler = SamplerV2(mode=FakeFez())
    sampler.options.simulator.seed_simulator = 1
    start = time.perf_counter()
    sampler.run([(circuit, None, shots)]).result()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_bytes": peak}))


def _official(circuit: Any, shots: int, timeout: float) -> dict[str, Any] | None:
    from qiskit import qpy

    path = RESULTS / f"wide_{len(circuit.layout.final_index_layout())}.qpy"
    with open(path, "wb") as handle:
        qpy.dump(circuit, handle)
    args = [sys.executable, __file__, "--official-child", str(path), "--shots", str(shots)]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _ours(service: Any, circuit: Any, shots: int) -> dict[str, Any]:
    from qiskit_ibm_runtime import SamplerV2

    sampler = SamplerV2(mode=service.backend(BACKEND))
    sampler.options.simulator.seed_simulator = 1
    start = time.perf_counter()
    result = sampler.run([(circuit, None, shots)]).result()
    seconds = time.perf_counter() - start
    facts = result[0].metadata.get("simulation", {})
    return {
        "seconds": seconds,
        "peak_bytes": facts.get("worker_peak_memory_bytes", 0),
        "method": facts.get("method", "?"),
        "estimated_seconds": facts.get("estimated_seconds", 0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--widths", default="14,20,24")
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--official-limit", type=float, default=600.0, help="seconds")
    parser.add_argument("--official-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.official_child:
        _official_child(args.official_child, args.shots)
        return
    warnings.filterwarnings("ignore")
    from qiskit.transpiler import generate_preset_pass_manager

    RESULTS.mkdir(parents=True, exist_ok=True)
    widths = [int(w) for w in args.widths.split(",")]
    rows: list[dict[str, Any]] = []
    with local_service(workers=1) as info:
        service = official_service(info)
        backend = service.backend(BACKEND)
        manager = generate_preset_pass_manager(
            backend=backend, optimization_level=1, seed_transpiler=1
        )
        _ours(service, manager.run(ansatz(4)), 16)  # start the worker's caches
        previous: tuple[int, float] | None = None
        timed_out = False
        print(f"python {' '.join(sys.argv)}   (1 worker, {args.shots} shots)")
        print(
            f"{'qubits':>6} {'ours s':>8} {'method':>22} {'est s':>7} {'our peak':>9} "
            f"{'official':>24} {'their peak':>10} {'ratio':>6}"
        )
        for width in widths:
            isa = manager.run(ansatz(width))
            ours = _ours(service, isa, args.shots)
            row: dict[str, Any] = {"width": width, "ours": ours, "official": None}
            guess = None
            if previous is not None:
                guess = previous[1] * 2.0 ** (width - previous[0])
            row["official_estimate_s"] = guess
            row["official_limit_s"] = args.official_limit
            row["official_skipped"] = timed_out or (guess or 0.0) > args.official_limit
            if not row["official_skipped"]:
                official = _official(isa, args.shots, args.official_limit)
                row["official"] = official
                timed_out = official is None
                if official is not None:
                    previous = (width, official["seconds"])
            rows.append(row)
            _print_row(row)
    (RESULTS / "bench_local_wide.json").write_text(json.dumps(rows, indent=1))


def _print_row(row: dict[str, Any]) -> None:
    ours, official = row["ours"], row["official"]
    limit = row["official_limit_s"]
    if official is None and row["official_skipped"]:
        guess = row["official_estimate_s"]
        theirs = f"skipped (est. {guess:.0f} s)" if guess else f"skipped (> {limit:.0f} s)"
        ratio = f"<{ours['seconds'] / limit:.3f}"
        peak = "-"
    elif official is None:
        theirs, peak = f"> {limit:.0f} s (stopped)", "-"
        ratio = f"<{ours['seconds'] / limit:.3f}"
    else:
        theirs = f"{official['seconds']:.1f} s"
        ratio = f"{ours['seconds'] / official['seconds']:.3f}"
        peak = f"{official['peak_bytes'] / 2**20:.0f} MiB"
    print(
        f"{row['width']:>6} {ours['seconds']:8.1f} {ours['method']:>22} "
        f"{ours['estimated_seconds']:7.1f} {ours['peak_bytes'] / 2**20:6.0f} MiB "
        f"{theirs:>24} {peak:>10} {ratio:>6}",
        flush=True,
    )


if __name__ == "__main__":
    main()
