"""Job execution speed: qrt-lab's worker ``execute()`` vs qiskit-ibm-runtime's local testing mode.

Both sides run the same ISA circuits with the same shots on a noisy 156-qubit Heron r2 device:
the official client as ``SamplerV2(mode=FakeFez())`` / ``EstimatorV2(mode=FakeFez())`` (Aer with
a noise model of the whole device), qrt-lab as ``execute(JobSpec)`` on ``ibm_fez`` loaded from
``shared/data/devices`` (or ``local_heron156`` when the documents are absent). Our time includes
decoding the job's params and encoding the result JSON; the official time is ``run().result()``.

Run: ``python benchmarks/bench_local_exec.py [--repeat N] [--official-repeat M] [--quick]``
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from qiskit.circuit import Parameter, QuantumCircuit
from qiskit.primitives.containers.estimator_pub import EstimatorPub
from qiskit.primitives.containers.sampler_pub import SamplerPub
from qiskit.transpiler import generate_preset_pass_manager

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qrt_lab.local.execution.execute import execute, init_worker  # noqa: E402
from qrt_lab.local.jobspec import JobSpec  # noqa: E402
from qrt_lab.runtime import codec  # noqa: E402

DEVICE_DIR = ROOT.parent / "shared" / "data" / "devices"
RESULTS = ROOT / "benchmarks" / "results"


def _circuits() -> dict[str, QuantumCircuit]:
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()
    ghz = QuantumCircuit(8)
    ghz.h(0)
    for q in range(7):
        ghz.cx(q, q + 1)
    ghz.measure_all()
    theta = Parameter("theta")
    sweep = QuantumCircuit(2)
    sweep.h(0)
    sweep.rx(theta, 1)
    sweep.cx(0, 1)
    sweep.measure_all()
    layered = QuantumCircuit(6)
    rng = np.random.default_rng(3)
    for _ in range(5):
        for q in range(6):
            layered.ry(float(rng.uniform(0, np.pi)), q)
        for q in range(0, 5, 2):
            layered.cx(q, q + 1)
        for q in range(1, 5, 2):
            layered.cx(q, q + 1)
    layered.measure_all()
    return {"bell": bell, "ghz8": ghz, "sweep": sweep, "layered6": layered}


def _timed(run: Callable[[], object], repeat: int, warm: bool = True) -> float:
    if warm:
        run()  # noise models and caches, so the median is the steady state
    gc.collect()  # do not charge one side for the other's garbage
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _ours(program: str, backend: str, pubs: list[list[object]]) -> Callable[[], object]:
    spec = JobSpec("bench", program, backend, codec.dumps({"pubs": pubs, "version": 2}), None, 1)

    def run() -> object:
        outcome = execute(spec)
        assert outcome.status == "Completed", outcome.reason
        return outcome

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of ours (median)")
    parser.add_argument("--official-repeat", type=int, default=1, help="timed official runs")
    parser.add_argument("--quick", action="store_true", help="only the Bell sampler scenario")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from qiskit_ibm_runtime import EstimatorV2, SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeFez

    fake = FakeFez()
    init_worker([str(DEVICE_DIR)] if DEVICE_DIR.is_dir() else [])
    backend = "ibm_fez" if DEVICE_DIR.is_dir() else "local_heron156"
    pm = generate_preset_pass_manager(backend=fake, optimization_level=1, seed_transpiler=1)
    sampler, estimator = SamplerV2(mode=fake), EstimatorV2(mode=fake)
    sampler.options.simulator.seed_simulator = 1
    width = _width_rows(args.repeat)
    rows: list[tuple[str, float, float]] = []
    circuits = _circuits()
    for name, circuit in circuits.items():
        if args.quick and name != "bell":
            continue
        isa = pm.run(circuit)
        values = np.linspace(0, np.pi, 10)[:, None] if circuit.num_parameters else None
        shots = 4096 if name == "ghz8" else 1024
        pub = SamplerPub.coerce((isa, values, shots))
        # The official local mode rebuilds a whole-device noise model per job (tens of seconds
        # here), so it is timed on fewer runs; each run costs the same.
        official = _timed(lambda p=pub: sampler.run([p]).result(), args.official_repeat, False)
        ours = _timed(_ours("sampler", backend, [codec.encode_sampler_pub(pub)]), args.repeat)
        rows.append((f"sampler {name} {shots} shots", official, ours))
    if args.quick:
        _report(rows, width, backend, args.repeat)
        return
    bell = pm.run(circuits["bell"].remove_final_measurements(inplace=False))
    zz = EstimatorPub.coerce((bell, _zz_observable(bell)))
    official = _timed(lambda: estimator.run([zz]).result(), args.official_repeat, False)
    ours = _timed(_ours("estimator", backend, [codec.encode_estimator_pub(zz)]), args.repeat)
    rows.append(("estimator bell <ZZ>,<XX> 4096 shots", official, ours))
    _report(rows, width, backend, args.repeat)


def _width_rows(repeat: int) -> list[tuple[str, float]]:
    """Ours only: the same Bell pair on a 5-qubit and on a 156-qubit device costs the same."""
    rows = []
    for backend, n, a, b in (("local_5q", 5, 0, 1), ("local_heron156", 156, 0, 1)):
        circuit = QuantumCircuit(n, 2)
        circuit.rz(np.pi / 2, a)
        circuit.sx(a)
        circuit.rz(np.pi / 2, a)
        if backend == "local_5q":
            circuit.cx(a, b)
        else:
            circuit.rz(np.pi / 2, b)
            circuit.sx(b)
            circuit.rz(np.pi / 2, b)
            circuit.cz(a, b)
            circuit.rz(np.pi / 2, b)
            circuit.sx(b)
            circuit.rz(np.pi / 2, b)
        circuit.measure([a, b], [0, 1])
        pub = codec.encode_sampler_pub(SamplerPub.coerce((circuit, None, 1024)))
        rows.append(
            (f"execute() bell 1024 on {backend}", _timed(_ours("sampler", backend, [pub]), repeat))
        )
    return rows


def _zz_observable(isa: QuantumCircuit) -> list[dict[str, float]]:
    a, b = isa.layout.final_index_layout()[:2]
    labels = []
    for pauli in ("Z", "X"):
        chars = ["I"] * isa.num_qubits
        chars[isa.num_qubits - 1 - a] = chars[isa.num_qubits - 1 - b] = pauli
        labels.append({"".join(chars): 1.0})
    return labels


def _report(
    rows: list[tuple[str, float, float]], width: list[tuple[str, float]], backend: str, repeat: int
) -> None:
    print(f"python {' '.join(sys.argv)}   (ours on {backend}, median of {repeat})")
    print(f"{'scenario':<36} {'official ms':>12} {'ours ms':>9} {'ratio':>7}")
    for name, official, ours in rows:
        print(f"{name:<36} {official * 1e3:12.1f} {ours * 1e3:9.1f} {ours / official:7.3f}")
    print()
    for name, ours in width:
        print(f"{name:<49} {ours * 1e3:9.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = [{"scenario": n, "official_s": o, "ours_s": u} for n, o, u in rows]
    data += [{"scenario": n, "ours_s": u} for n, u in width]
    (RESULTS / "bench_local_exec.json").write_text(json.dumps(data, indent=1))


if __name__ == "__main__":
    main()
