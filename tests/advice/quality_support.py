"""Predicted vs measured success of the advisor's candidates, measured on the local service.

Shared by ``tests/advice/test_quality.py`` (a small set, in CI) and
``benchmarks/bench_advisor.py`` (the full set). Every candidate's transpiled circuits are padded
with ``delay``s on an ASAP schedule (so the local service simulates the idle decoherence a
device has; without delays it simulates none) and run as real SamplerV2 jobs through the client,
layout fixed. Success is the fraction of ideal outcomes (every circuit here has one or two ideal
outcomes: GHZ, a Fourier state through the inverse QFT, a hardware-efficient ansatz at angles 0
or pi, a mirror circuit).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate, efficient_su2
from qiskit.quantum_info import Statevector
from qiskit.transpiler import PassManager
from qiskit.transpiler.passes import ASAPScheduleAnalysis, PadDelay
from scipy.stats import spearmanr

from qrt_lab.runtime import SamplerV2
from qrt_lab.runtime.advice import Candidate, rank_backends
from qrt_lab.runtime.advice.calibration import read_calibration
from qrt_lab.runtime.advice.prediction import predict_success
from qrt_lab.runtime.advice.transpiling import transpile_preset

BUILTIN = ("local_5q", "local_falcon27", "local_eagle127", "local_heron156")


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n, name=f"ghz{n}")
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


def qft(n: int, value: int = 5) -> QuantumCircuit:
    """The Fourier state of ``value`` (a product state), then the inverse QFT: ideal ``value``."""
    qc = QuantumCircuit(n, name=f"qft{n}")
    for j in range(n):
        qc.h(j)
        qc.p(2 * math.pi * value * 2**j / 2**n, j)
    qc.append(QFTGate(n).inverse(), range(n))
    qc.measure_all()
    return qc


def hea(n: int, seed: int = 3) -> QuantumCircuit:
    """A hardware-efficient ansatz (RY-RZ layers, linear CX) at a point whose ideal output is one
    bitstring (every angle 0 or pi), so its success is a fraction of ideal outcomes too."""
    ansatz = efficient_su2(n, su2_gates=["ry", "rz"], reps=2, entanglement="linear")
    rng = np.random.default_rng(seed)
    values = [math.pi * int(rng.integers(2)) for _ in ansatz.parameters]
    qc = ansatz.assign_parameters(values)
    qc.name = f"hea{n}"
    qc.measure_all()
    return qc


def mirror(n: int, layers: int = 2, seed: int = 5) -> QuantumCircuit:
    rng = np.random.default_rng(seed)
    half = QuantumCircuit(n)
    for layer in range(layers):
        for q in range(n):
            half.u(*rng.uniform(-math.pi, math.pi, 3), q)
        for q in range(layer % 2, n - 1, 2):
            half.cx(q, q + 1)
    half.barrier()
    qc = half.compose(half.inverse())
    qc.name = f"mirror{n}"
    qc.measure_all()
    return qc


def _ideal(circuit: QuantumCircuit) -> dict[str, float]:
    probs = Statevector(circuit.remove_final_measurements(inplace=False)).probabilities_dict()
    return {k: v for k, v in probs.items() if v > 1e-9}


def success_of(circuit: QuantumCircuit) -> Callable[[dict[str, int]], float]:
    """The measured-success function of ``circuit``: the fraction of ideal outcomes."""
    ideal = _ideal(circuit)
    wanted = {k for k, v in ideal.items() if v > 1e-6}
    return lambda counts: sum(counts.get(k, 0) for k in wanted) / max(sum(counts.values()), 1)


def padded(circuit: QuantumCircuit, backend: Any) -> QuantumCircuit:
    """``circuit`` with its idle windows as ``delay``s (ASAP, the backend's durations)."""
    target = backend.target
    out = PassManager([ASAPScheduleAnalysis(target=target), PadDelay(target=target)]).run(circuit)
    active = {q for inst in circuit.data if inst.operation.name != "barrier" for q in inst.qubits}
    keep = out.copy_empty_like()
    for inst in out.data:
        if inst.operation.name != "delay" or set(inst.qubits) <= active:
            keep.append(inst)
    return keep


@dataclass
class Point:
    circuit: str
    backend: str
    layout: tuple[int, ...]
    predicted: float
    uncertainty: float
    measured: float = math.nan
    rank: int = 0
    preset: bool = False


def run_points(
    service: Any,
    backend: Any,
    points: Sequence[Point],
    circuits: Sequence[QuantumCircuit],
    success: Callable[[dict[str, int]], float],
    shots: int,
    seed: int = 7,
) -> None:
    """Measure ``points`` (one pub each, ``circuits[i]`` for ``points[i]``) in one job."""
    sampler = SamplerV2(backend)
    sampler.options.simulator.seed_simulator = seed
    job = sampler.run([padded(c, backend) for c in circuits], shots=shots)
    for point, pub in zip(points, job.result(), strict=True):
        point.measured = success(pub.data.meas.get_counts())


def measure_circuit(
    service: Any,
    circuit: QuantumCircuit,
    backends: Sequence[str] | None,
    layouts: int,
    shots: int,
) -> tuple[list[Point], Point]:
    """Rank, then measure every candidate and the preset layout on the least busy backend."""
    candidates: list[Candidate] = rank_backends(
        circuit, service, backends=backends, top=100, layouts_per_backend=layouts
    )
    success = success_of(circuit)
    points = [
        Point(
            circuit.name,
            c.backend_name,
            c.layout,
            c.predicted_success,
            c.success_uncertainty,
            rank=i,
        )
        for i, c in enumerate(candidates)
    ]
    least = service.least_busy(min_num_qubits=circuit.num_qubits, simulator=False)
    if backends is not None and least.name not in backends:
        least = service.backend(backends[0])
    preset = transpile_preset([circuit], least, 2)
    guess = predict_success(preset.circuits[0], read_calibration(least))
    base = Point(
        circuit.name, least.name, preset.layout, guess.success, guess.uncertainty, preset=True
    )
    by_backend: dict[str, list[tuple[Point, QuantumCircuit]]] = {}
    for point, cand in zip(points, candidates, strict=True):
        by_backend.setdefault(cand.backend_name, []).append((point, cand.circuits[0]))
    by_backend.setdefault(least.name, []).append((base, preset.circuits[0]))
    for name, items in by_backend.items():
        run_points(
            service,
            service.backend(name),
            [p for p, _ in items],
            [c for _, c in items],
            success,
            shots,
        )
    return points, base


@dataclass
class Summary:
    pooled: float
    within: float
    within_each: dict[str, float]
    top_minus_preset: dict[str, float]
    top_uncertainty: dict[str, float]


def summarise(results: Sequence[tuple[list[Point], Point]]) -> Summary:
    pooled_pred = [p.predicted for pts, _ in results for p in pts]
    pooled_meas = [p.measured for pts, _ in results for p in pts]
    within = {}
    for pts, _ in results:
        if len(pts) >= 3:
            rho = spearmanr([p.predicted for p in pts], [p.measured for p in pts]).statistic
            within[pts[0].circuit] = float(rho)
    diffs = {pts[0].circuit: pts[0].measured - base.measured for pts, base in results}
    unc = {pts[0].circuit: pts[0].uncertainty for pts, _ in results}
    return Summary(
        float(spearmanr(pooled_pred, pooled_meas).statistic),
        float(np.mean(list(within.values()))),
        within,
        diffs,
        unc,
    )
