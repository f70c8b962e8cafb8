"""Benchmarks of the local runtime service over real HTTP on 127.0.0.1.

Run: ``python benchmarks/bench_local_http.py [latency|load|ratio ...]`` (all three by default).

1. latency: submit -> final status of a 1,024-shot Bell sampler job on the 156-qubit device,
   polled over HTTP every 5 ms (target < 0.5 s).
2. load: 200 small jobs submitted at once; all must complete, and the p99 latency of HTTP
   requests made meanwhile (submissions and a 20 ms prober) should stay under 100 ms.
3. ratio: the same circuits and shots through qiskit-ibm-runtime's local testing mode
   (``SamplerV2(mode=FakeFez())``) and through this service with the official client (target <= 1).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_client_common import official_service  # noqa: E402

from qrt_lab.runtime import codec  # noqa: E402
from qrt_lab.runtime.api.discovery import LocalServiceInfo, find_running  # noqa: E402

DEVICE_DOCS = REPO.parent / "shared" / "data" / "devices"
GRANT = "urn:ibm:params:oauth:grant-type:apikey"


@contextmanager
def local_service(workers: int = 2) -> Iterator[LocalServiceInfo]:
    """A private service in a temporary state directory, stopped by pid afterwards."""
    with tempfile.TemporaryDirectory() as state:
        args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0"]
        args += ["--state-dir", state, "--workers", str(workers), "--log-level", "WARNING"]
        if DEVICE_DOCS.is_dir():
            args += ["--devices", str(DEVICE_DOCS)]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while (info := find_running(state)) is None or info.pid != proc.pid:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the local service did not start")
                time.sleep(0.05)
            yield info
        finally:
            proc.terminate()
            proc.wait(30)


def headers(info: LocalServiceInfo) -> dict[str, str]:
    token = httpx.post(
        f"{info.url}/identity/token", data={"grant_type": GRANT, "apikey": info.api_key}
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}", "Service-CRN": info.instance}


def device_156(api: httpx.Client) -> str:
    names = [d["name"] for d in api.get("/backends").json()["devices"] if d["qubits"] == 156]
    return "ibm_fez" if "ibm_fez" in names else names[0]


def isa_bell(api: httpx.Client, backend: str) -> Any:
    from qiskit import QuantumCircuit
    from qiskit.transpiler import CouplingMap, generate_preset_pass_manager

    conf = api.get(f"/backends/{backend}/configuration").json()
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    manager = generate_preset_pass_manager(
        optimization_level=1,
        basis_gates=conf["basis_gates"],
        coupling_map=CouplingMap(conf["coupling_map"]),
        seed_transpiler=1,
    )
    return manager.run(qc)


def job_body(backend: str, circuit: Any, shots: int) -> str:
    from qiskit.primitives.containers.sampler_pub import SamplerPub

    pub = codec.encode_sampler_pub(SamplerPub.coerce(circuit, shots))
    params = {"pubs": [pub], "options": {}, "version": 2, "support_qiskit": True}
    return codec.dumps({"program_id": "sampler", "backend": backend, "params": params})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def table(title: str, rows: list[tuple[str, str, str]]) -> None:
    print(f"\n{title}")
    print(f"  {'metric':<44} {'value':>12}  target")
    for name, value, target in rows:
        print(f"  {name:<44} {value:>12}  {target}")


def bench_latency(runs: int = 10) -> None:
    with (
        local_service() as info,
        httpx.Client(base_url=info.runtime_url, headers=headers(info)) as api,
    ):
        backend = device_156(api)
        body = job_body(backend, isa_bell(api, backend), 1024)
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            job_id = api.post("/jobs", content=body).json()["id"]
            while api.get(f"/jobs/{job_id}", params={"exclude_params": "true"}).json()["state"][
                "status"
            ] not in ("Completed", "Failed", "Cancelled"):
                time.sleep(0.005)
            api.get(f"/jobs/{job_id}/results")
            times.append(time.perf_counter() - start)
        steady = times[1:]
        table(
            f"1. submit -> result, 1,024-shot Bell sampler on {backend} ({runs} runs)",
            [
                ("first job after start (s)", f"{times[0]:.3f}", "< 0.5"),
                ("median (s)", f"{statistics.median(steady):.3f}", "< 0.5"),
                ("max (s)", f"{max(steady):.3f}", ""),
            ],
        )


def _probe(url: str, hdrs: dict[str, str], backend: str, stop: Any, out: Any) -> None:
    """In its own process: GET the backend status every 20 ms and report the latencies."""
    latencies = []
    with httpx.Client(base_url=url, headers=hdrs, timeout=60) as api:
        while not stop.is_set():
            start = time.perf_counter()
            api.get(f"/backends/{backend}/status")
            latencies.append(time.perf_counter() - start)
            time.sleep(0.02)
    out.send(latencies)


async def _load(info: LocalServiceInfo, jobs: int) -> list[tuple[str, str, str]]:
    submit_latencies: list[float] = []
    backend = "local_heron156"
    hdrs = headers(info)
    with httpx.Client(base_url=info.runtime_url, headers=hdrs) as sync:
        body = job_body(backend, isa_bell(sync, backend), 100)
    context = multiprocessing.get_context("fork")
    stop, (receive, send) = context.Event(), context.Pipe(duplex=False)
    prober = context.Process(target=_probe, args=(info.runtime_url, hdrs, backend, stop, send))
    prober.start()
    async with httpx.AsyncClient(
        base_url=info.runtime_url,
        headers=hdrs,
        timeout=60,
        limits=httpx.Limits(max_connections=20),
    ) as api:

        async def submit() -> httpx.Response:
            start = time.perf_counter()
            reply = await api.post("/jobs", content=body)
            submit_latencies.append(time.perf_counter() - start)
            return reply

        start = time.perf_counter()
        replies = await asyncio.gather(*(submit() for _ in range(jobs)))
        submitted = time.perf_counter() - start
        ids = {r.json()["id"] for r in replies}
        while (await api.get("/jobs", params={"pending": "true", "limit": 1})).json()["count"]:
            await asyncio.sleep(0.05)
        finished = time.perf_counter() - start
        stop.set()
        probe_ms = [1000 * x for x in receive.recv()]
        prober.join(10)
        states: dict[str, int] = {}
        for job_id in ids:
            status = (await api.get(f"/jobs/{job_id}")).json()["state"]["status"]
            states[status] = states.get(status, 0) + 1
    submit_ms = [1000 * x for x in submit_latencies]
    return [
        ("jobs completed", f"{states.get('Completed', 0)}/{jobs}", f"{jobs}/{jobs}"),
        ("time to submit all (s)", f"{submitted:.2f}", ""),
        ("time until all final (s)", f"{finished:.2f}", ""),
        ("throughput (jobs/s)", f"{jobs / finished:.1f}", ""),
        ("status GETs meanwhile (separate process)", f"{len(probe_ms)}", ""),
        ("  latency p50 (ms)", f"{percentile(probe_ms, 50):.1f}", ""),
        ("  latency p99 (ms)", f"{percentile(probe_ms, 99):.1f}", "< 100"),
        ("  latency max (ms)", f"{max(probe_ms):.1f}", ""),
        ("POST /jobs burst (incl. wait for 1 of 20 conns)", f"{len(submit_ms)}", ""),
        ("  latency p50 (ms)", f"{percentile(submit_ms, 50):.1f}", ""),
        ("  latency p99 (ms)", f"{percentile(submit_ms, 99):.1f}", ""),
    ]


def bench_load(jobs: int = 200) -> None:
    with local_service() as info:
        rows = asyncio.run(_load(info, jobs))
    table(f"2. {jobs} small jobs (Bell, 100 shots, local_heron156) submitted at once", rows)


def _circuits() -> dict[str, Any]:
    from qiskit import QuantumCircuit

    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()
    layered = QuantumCircuit(4)
    for layer in range(4):
        for q in range(4):
            layered.rx(0.2 * (layer + 1) + 0.1 * q, q)
        for q in range(3):
            layered.cx(q, q + 1)
    layered.measure_all()
    return {"bell-2q": bell, "layered-4q": layered}


def _time_runs(sampler: Any, circuit: Any, shots: int, runs: int) -> float:
    sampler.run([circuit], shots=shots).result()  # warm-up: caches, noise models, workers
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sampler.run([circuit], shots=shots).result()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_ratio(shots: int = 1024, runs: int = 1) -> None:
    warnings.simplefilter("ignore")
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_ibm_runtime import SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeFez

    fake = FakeFez()
    rows = []
    with tempfile.TemporaryDirectory() as home, local_service() as info:
        os.environ["HOME"] = home
        service = official_service(info)
        names = [b.name for b in service.backends(min_num_qubits=156)]
        backend = service.backend("ibm_fez" if "ibm_fez" in names else names[0])
        ours_sampler, local_sampler = SamplerV2(mode=backend), SamplerV2(mode=fake)
        for name, circuit in _circuits().items():
            ours_isa = generate_preset_pass_manager(
                backend=backend, optimization_level=1, seed_transpiler=1
            ).run(circuit)
            fake_isa = generate_preset_pass_manager(
                backend=fake, optimization_level=1, seed_transpiler=1
            ).run(circuit)
            local = _time_runs(local_sampler, fake_isa, shots, runs)
            ours = _time_runs(ours_sampler, ours_isa, shots, runs)
            rows.append(
                (f"{name}: local mode / ours over HTTP (s)", f"{local:.2f} / {ours:.2f}", "")
            )
            rows.append((f"{name}: ratio ours / local mode", f"{ours / local:.2f}", "<= 1"))
    table(
        f"3. official client: FakeFez local mode vs this service ({shots} shots, median of {runs})",
        rows,
    )


BENCHES = {"latency": bench_latency, "load": bench_load, "ratio": bench_ratio}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(BENCHES):
        BENCHES[name]()
