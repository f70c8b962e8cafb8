"""qrt-lab's executor primitives vs the official client's, both against this local service.

Run: ``python benchmarks/bench_client_executor.py [runs]`` (median of ``runs`` jobs, default 2;
the client-only steps run once to warm up, then at least 5 times).

Two programs go through ``qrt_lab.runtime`` and ``qiskit_ibm_runtime`` (0.51) on the same local
service over HTTP, in job mode:

* a twirled ``executor_sampler.Sampler`` (gates and measurements, 1,024 shots) on a 156-qubit
  circuit covering the whole device (H on every qubit, one layer of CZ on a matching of the
  coupling map, measure all), on the 156-qubit device;
* a level-2 ``executor_estimator.Estimator`` (twirling, TREX, ZNE) on a Bell pair with ZZ, XX and
  ZI, on the same device.

``prepare`` is the client's own work (PUBs to a schema v2.0 ``params`` document: boxing, samplex
build, mitigation tasks, QPY and tensor encoding); ``decode`` is the result text to the
``PrimitiveResult`` (post-processing included); ``end to end`` is ``run(...).result()`` (the
service's execution is the same for both). Target: ours / official <= 1.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_client_common import official_service, our_service, table  # noqa: E402
from bench_local_http import local_service  # noqa: E402


def _wide_circuit(backend: Any) -> Any:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    n = backend.num_qubits
    circuit = QuantumCircuit(n)
    circuit.h(range(n))
    used: set[int] = set()
    for a, b in backend.coupling_map.get_edges():
        if a < b and a not in used and b not in used:
            circuit.cz(a, b)
            used |= {a, b}
    circuit.measure_all()
    manager = generate_preset_pass_manager(
        backend=backend, optimization_level=1, seed_transpiler=1, initial_layout=list(range(n))
    )
    return manager.run(circuit)


def _bell(backend: Any) -> Any:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    manager = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=1)
    return manager.run(circuit)


def _observables(circuit: Any) -> list[Any]:
    from qiskit.quantum_info import SparsePauliOp

    return [SparsePauliOp(p).apply_layout(circuit.layout) for p in ("ZZ", "XX", "ZI")]


def _sampler_options(options: Any) -> None:
    options.twirling.enable_gates = True
    options.twirling.enable_measure = True


def _ours(service: Any, device: str, wide: Any, bell: Any) -> dict[str, Callable[[], Any]]:
    from qrt_lab.runtime.executor.decode import decode_executor_result
    from qrt_lab.runtime.executor_estimator import Estimator
    from qrt_lab.runtime.executor_estimator.prepare import prepare as prepare_estimator
    from qrt_lab.runtime.executor_sampler import Sampler
    from qrt_lab.runtime.executor_sampler.prepare import prepare as prepare_sampler
    from qrt_lab.runtime.quantum_program.wire import encode_params

    backend = service.backend(device)
    sampler = Sampler(mode=backend)
    _sampler_options(sampler.options)
    estimator = Estimator(mode=backend, options={"resilience_level": 2})
    pub = (bell, _observables(bell))
    texts: dict[str, str] = {}

    def sampler_e2e() -> Any:
        job = sampler.run([wide], shots=1024)
        result = job.result()
        texts["sampler"] = backend._rest.job_results(job.job_id())
        return result

    def estimator_e2e() -> Any:
        job = estimator.run([pub])
        result = job.result()
        texts["estimator"] = backend._rest.job_results(job.job_id())
        return result

    return {
        "sampler prepare": lambda: encode_params(*prepare_sampler([wide], sampler.options, 1024)),
        "sampler end to end": sampler_e2e,
        "sampler decode": lambda: decode_executor_result(texts["sampler"]),
        "estimator prepare": lambda: encode_params(*prepare_estimator([pub], estimator.options)),
        "estimator end to end": estimator_e2e,
        "estimator decode": lambda: decode_executor_result(texts["estimator"]),
    }


def _official(service: Any, device: str, wide: Any, bell: Any) -> dict[str, Callable[[], Any]]:
    from qiskit_ibm_runtime.decoders.defaults import DEFAULT_DECODERS
    from qiskit_ibm_runtime.executor_estimator import Estimator
    from qiskit_ibm_runtime.executor_estimator.prepare import prepare as prepare_estimator
    from qiskit_ibm_runtime.executor_sampler import Sampler
    from qiskit_ibm_runtime.executor_sampler.prepare import prepare as prepare_sampler
    from qiskit_ibm_runtime.quantum_program.params_converters import (
        QUANTUM_PROGRAM_PARAMS_CONVERTERS,
    )

    encoder = QUANTUM_PROGRAM_PARAMS_CONVERTERS["v2.0"].encoder
    backend = service.backend(device)
    sampler = Sampler(mode=backend)
    _sampler_options(sampler.options)
    estimator = Estimator(mode=backend)
    estimator.options.resilience_level = 2
    pub = (bell, _observables(bell))
    jobs: dict[str, Any] = {}

    def decode(name: str) -> Any:
        text = jobs[name]._api_client.job_results(jobs[name].job_id())
        result: Any = text
        for decoder in DEFAULT_DECODERS["executor"]:
            if decoder.is_applicable(result):
                result = decoder.decode(result)
        return result

    def run(name: str, call: Callable[[], Any]) -> Any:
        jobs[name] = call()
        return jobs[name].result()

    def prep(prepare: Callable[..., Any], pubs: list[Any], options: Any, *extra: Any) -> Any:
        return encoder(*prepare(pubs, options, *extra, backend=backend)).model_dump(mode="json")

    return {
        "sampler prepare": lambda: prep(prepare_sampler, [wide], sampler.options, 1024),
        "sampler end to end": lambda: run("sampler", lambda: sampler.run([wide], shots=1024)),
        "sampler decode": lambda: decode("sampler"),
        "estimator prepare": lambda: prep(prepare_estimator, [pub], estimator.options),
        "estimator end to end": lambda: run("estimator", lambda: estimator.run([pub])),
        "estimator decode": lambda: decode("estimator"),
    }


def _median(call: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(runs: int = 2) -> None:
    """Time both clients on both programs and print the table."""
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as home, local_service() as info:
        os.environ["HOME"] = home
        mine, theirs = our_service(info), official_service(info)
        names = [b.name for b in mine.backends(min_num_qubits=156)]
        device = "ibm_fez" if "ibm_fez" in names else names[0]
        target_backend = mine.backend(device)
        wide, bell = _wide_circuit(target_backend), _bell(target_backend)
        ours, official = _ours(mine, device, wide, bell), _official(theirs, device, wide, bell)
        rows = []
        for step in ours:  # end to end runs before decode, which reads its job's result
            repeat = runs if "end to end" in step else max(runs, 5)
            if "end to end" not in step:  # warm-up: first imports of samplomatic, mitigation
                ours[step](), official[step]()
            pairs = [(_median(ours[step], 1), _median(official[step], 1)) for _ in range(repeat)]
            ours_s = statistics.median(p[0] for p in pairs)  # interleaved: same service load
            official_s = statistics.median(p[1] for p in pairs)
            ratio = ours_s / official_s
            rows.append([step, official_s, ours_s, ratio, "ok" if ratio <= 1 else "MISSED"])
    table(
        f"executor primitives on {device}, qrt-lab vs qiskit-ibm-runtime 0.51 against the local "
        f"service (median of {runs}, seconds)",
        ["step", "official (s)", "ours (s)", "ours/official", "<= 1"],
        rows,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
