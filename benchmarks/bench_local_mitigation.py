"""Error mitigation on the local service, through the official client's EstimatorV2.

1. A mirror circuit (a random block of ``rx``/``rz`` and CNOT layers on a chain of qubits of
   ``local_heron156``, a barrier, then its inverse), ideal ``<Z...Z> = 1``, 4,096 shots,
   seeded: value, standard error, distance from the ideal and wall time of resilience level 0,
   level 1 (TREX-like readout mitigation), level 2 (ZNE with gate folding), ZNE with PEA on the
   ``NoiseLearner``'s layers, and PEC (256 randomizations of 16 shots).
2. Time of a level-2 job against a level-1 job on all of the device's operational qubits: a
   Clifford mirror circuit (random ``sx``/``rz(k pi/2)`` and ``cz`` layers along the coupling
   map, then the inverse), observable the mean of every ``Z_i``.

3. Dynamical decoupling: a qubit of ``local_heron156`` in ``|+>`` (ideal ``<X> = 1``) waits
   (a) in an explicit delay of half its T2, (b) while two neighbours run ``--idle-layers``
   layers of ``sx`` and ``cz`` after a barrier (an explicit 1 us delay at the start of its
   wait makes the service schedule the circuit with DD off too): DD off, then XX, XpXm, XY4.

Run: ``python benchmarks/bench_local_mitigation.py [--width 4] [--depth 8] [--wide-depth 4]``
(``--wide-depth 0`` skips part 2, ``--idle-layers 0`` part 3, ``--dd-only`` runs part 3 only).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_client_common import local_service, official_service, table  # noqa: E402

BACKEND = "local_heron156"


def chain(backend: Any, n: int) -> list[int]:
    faulty = set(backend.properties().faulty_qubits())
    edges = sorted(tuple(e) for e in backend.coupling_map.get_edges())
    for start in range(backend.num_qubits):
        path = [start]
        while len(path) < n:
            nxt = [q for a, q in edges if a == path[-1] and q not in path and q not in faulty]
            if not nxt:
                break
            path.append(nxt[0])
        if len(path) == n and not set(path) & faulty:
            return path
    raise RuntimeError("no chain")


def mirror(backend: Any, n: int, depth: int) -> tuple[Any, Any]:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager

    rng = np.random.default_rng(1)
    half = QuantumCircuit(n)
    for d in range(depth):
        for q in range(n):
            half.rx(float(rng.uniform(0, np.pi)), q)
            half.rz(float(rng.uniform(0, np.pi)), q)
        for q in range(d % 2, n - 1, 2):
            half.cx(q, q + 1)
    qc = half.copy()
    qc.barrier()
    qc.compose(half.inverse(), inplace=True)
    pm = generate_preset_pass_manager(
        backend=backend, optimization_level=1, initial_layout=chain(backend, n), seed_transpiler=1
    )
    isa = pm.run(qc)
    return isa, SparsePauliOp("Z" * n).apply_layout(isa.layout)


def wide_clifford_mirror(backend: Any, depth: int) -> tuple[Any, Any]:
    """An ISA Clifford mirror circuit on every operational qubit."""
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp

    properties = backend.properties()
    faulty = set(properties.faulty_qubits())
    broken = {tuple(sorted(g.qubits)) for g in properties.faulty_gates() if len(g.qubits) == 2}
    n = backend.num_qubits
    good = [q for q in range(n) if q not in faulty]
    edges = [tuple(e) for e in backend.coupling_map.get_edges() if e[0] < e[1]]
    edges = [e for e in edges if not set(e) & faulty and e not in broken]
    layers: list[list[tuple[int, int]]] = []
    for edge in edges:  # greedy edge colouring: layers of disjoint couplers
        for layer in layers:
            if all(not set(edge) & set(other) for other in layer):
                layer.append(edge)
                break
        else:
            layers.append([edge])
    rng = np.random.default_rng(2)
    ops: list[tuple[str, tuple[int, ...], float]] = []
    for d in range(depth):
        for q in good:
            ops.append(("rz", (q,), float(rng.integers(4)) * np.pi / 2))
            ops.append(("sx", (q,), 0.0))
        ops += [("cz", e, 0.0) for e in layers[d % len(layers)]]
    qc = QuantumCircuit(n)
    for name, qubits, angle in ops:
        getattr(qc, name)(*((angle,) if name == "rz" else ()), *qubits)
    qc.barrier()
    for name, qubits, angle in reversed(ops):
        if name == "rz":
            qc.rz(-angle, *qubits)
        elif name == "sx":
            for _ in range(3):
                qc.sx(*qubits)
        else:
            qc.cz(*qubits)
    terms = [("Z", [q], 1 / len(good)) for q in good]
    return qc, SparsePauliOp.from_sparse_list(terms, n)


def waiting_qubit(backend: Any, layers: int) -> tuple[Any, Any]:
    """``|+>`` on a qubit that waits: in a delay of T2/2, or while neighbours run gates."""
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp

    idle, a, b = chain(backend, 3)
    qc = QuantumCircuit(backend.num_qubits)
    qc.rz(np.pi / 2, idle)
    qc.sx(idle)
    qc.rz(np.pi / 2, idle)
    if layers == 0:
        qc.delay(round(0.5 * backend.qubit_properties(idle).t2 / backend.dt), idle)
    else:
        qc.barrier()  # the wait starts after H (ALAP would otherwise move H to the end)
        qc.delay(round(1e-6 / backend.dt), idle)
        for _ in range(layers):
            qc.sx(a)
            qc.sx(b)
            qc.cz(a, b)
    return qc, SparsePauliOp.from_sparse_list([("X", [idle], 1.0)], backend.num_qubits)


def dd_rows(backend: Any, layers: int) -> list[list[str]]:
    """One row per DD setting for the waiting-qubit circuit."""
    pub = waiting_qubit(backend, layers)
    rows = []
    for label, dd in (
        ("off", {"enable": False}),
        ("XX", {"enable": True, "sequence_type": "XX"}),
        ("XpXm", {"enable": True, "sequence_type": "XpXm"}),
        ("XY4", {"enable": True, "sequence_type": "XY4"}),
    ):
        options = {"resilience_level": 1, "dynamical_decoupling": dd}
        result, seconds = timed(backend, pub, options)
        value, std = float(result.data.evs), float(result.data.stds)
        pulses = result.metadata["dynamical_decoupling"]["dd_pulses"]
        rows.append(
            [label, str(pulses), f"{value:.4f}", f"{std:.4f}", f"{1 - value:.4f}", f"{seconds:.2f}"]
        )
    return rows


def dd_tables(backend: Any, idle_layers: int) -> None:
    """Part 3: DD off and on for a qubit waiting in a delay and while neighbours work."""
    for layers, title in (
        (0, "a qubit in |+> waiting T2/2 in a delay"),
        (idle_layers, f"a qubit in |+> waiting while neighbours run {idle_layers} sx+cz layers"),
    ):
        table(
            f"Dynamical decoupling, {title}, ideal <X> = 1, 4096 shots, level 1",
            ["DD", "pulses", "value", "std error", "1 - value", "seconds"],
            dd_rows(backend, layers),
        )


def timed(backend: Any, pub: tuple, options: dict[str, Any]) -> tuple[Any, float]:
    from qiskit_ibm_runtime import EstimatorV2

    options = {"seed_estimator": 11, "default_shots": 4096, **options}
    started = time.perf_counter()
    result = EstimatorV2(mode=backend, options=options).run([pub]).result()
    return result[0], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=4)
    parser.add_argument("--depth", type=int, default=8)
    parser.add_argument("--wide-depth", type=int, default=2)
    parser.add_argument("--wide-shots", type=int, default=256)
    parser.add_argument("--idle-layers", type=int, default=2000)
    parser.add_argument("--dd-only", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from qiskit_ibm_runtime import NoiseLearner

    with local_service(workers=1) as info:
        service = official_service(info)
        backend = service.backend(BACKEND)
        if args.dd_only:
            dd_tables(backend, args.idle_layers)
            return
        pub = mirror(backend, args.width, args.depth)
        started = time.perf_counter()
        learner = NoiseLearner(mode=backend, options={"max_layers_to_learn": None})
        layers = learner.run([pub[0]]).result()
        learn_seconds = time.perf_counter() - started
        runs = [
            ("0 (raw)", {"resilience_level": 0}),
            ("1 (readout)", {"resilience_level": 1}),
            ("2 (ZNE, gate folding)", {"resilience_level": 2}),
            (
                "2 (ZNE, PEA on learned layers)",
                {
                    "resilience_level": 2,
                    "resilience": {"zne": {"amplifier": "pea"}, "layer_noise_model": layers},
                },
            ),
            (
                "PEC",
                {
                    "resilience_level": 1,
                    "twirling": {"num_randomizations": 256, "shots_per_randomization": 16},
                    "resilience": {"pec_mitigation": True, "layer_noise_model": layers},
                },
            ),
        ]
        rows = []
        for label, options in runs:
            result, seconds = timed(backend, pub, options)
            value, std = float(result.data.evs), float(result.data.stds)
            rows.append(
                [label, f"{value:.4f}", f"{std:.4f}", f"{abs(1 - value):.4f}", f"{seconds:.2f}"]
            )
        table(
            f"Mirror circuit, {args.width} qubits, depth {args.depth} x 2, ideal 1.0 "
            f"(noise learner: {learn_seconds:.2f} s, {len(layers.data)} layers)",
            ["level", "value", "std error", "|error|", "seconds"],
            rows,
        )
        if args.idle_layers > 0:
            dd_tables(backend, args.idle_layers)
        if args.wide_depth <= 0:
            return
        wide = wide_clifford_mirror(backend, args.wide_depth)
        shots = {"default_shots": args.wide_shots}
        timed(backend, wide, {"resilience_level": 1, **shots})  # warm the noise models
        one, t1 = timed(backend, wide, {"resilience_level": 1, **shots})
        two, t2 = timed(backend, wide, {"resilience_level": 2, **shots})
        table(
            f"{wide[0].num_qubits}-qubit Clifford mirror, depth {args.wide_depth} x 2, "
            f"{args.wide_shots} shots",
            ["level", "value", "std error", "seconds", "ratio"],
            [
                [
                    "1",
                    f"{float(one.data.evs):.4f}",
                    f"{float(one.data.stds):.4f}",
                    f"{t1:.2f}",
                    "1",
                ],
                [
                    "2",
                    f"{float(two.data.evs):.4f}",
                    f"{float(two.data.stds):.4f}",
                    f"{t2:.2f}",
                    f"{t2 / t1:.2f}",
                ],
            ],
        )


if __name__ == "__main__":
    main()
