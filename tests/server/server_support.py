"""Helpers for the server tests: a script-like runtime client that submits jobs elsewhere.

qiskit and the client are imported here, on the main thread at collection: importing qiskit
from two threads at once (a test's worker thread and the server's) crashed the interpreter.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from qiskit import QuantumCircuit
from qiskit.primitives.containers.sampler_pub import SamplerPub
from qiskit.transpiler import CouplingMap, generate_preset_pass_manager
from qiskit_ibm_runtime import QuantumProgram
from qiskit_ibm_runtime.options_models import ExecutorOptions
from qiskit_ibm_runtime.quantum_program.params_converters import QUANTUM_PROGRAM_PARAMS_CONVERTERS

from qrt_lab.runtime import codec
from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.api.rest import AsyncRuntimeRest
from qrt_lab.runtime.api.urls import service_urls

FINAL = ("Completed", "Failed", "Cancelled")


def on_session_service(
    jp_server_config: dict[str, Any], local_service: LocalServiceInfo, **qrt: Any
) -> dict[str, Any]:
    """Server config in which the extension uses the session's local service (never its own).

    Args:
        jp_server_config: pytest-jupyter's configuration to extend.
        local_service: The session's running local service.
        qrt: More ``QrtLabConfig`` settings.
    """
    settings = {"local_state_dir": str(local_service.state_dir), "local_autostart": False}
    return {**jp_server_config, "QrtLabConfig": {**settings, **qrt}}


def isa_for(conf: dict[str, Any], circuit: QuantumCircuit) -> QuantumCircuit:
    """``circuit`` transpiled (seeded) for a backend's configuration document."""
    coupling = CouplingMap(conf["coupling_map"]) if conf.get("coupling_map") else None
    manager = generate_preset_pass_manager(
        optimization_level=1,
        basis_gates=conf["basis_gates"],
        coupling_map=coupling,
        seed_transpiler=7,
    )
    return manager.run(circuit)


def local_rest(info: LocalServiceInfo) -> Any:
    """An ``AsyncRuntimeRest`` to the local service, as a notebook or script would use."""
    connection = RuntimeConnection(
        urls=service_urls(info.url, info.instance), api_key=info.api_key, instance=info.instance
    )
    return AsyncRuntimeRest(connection)


def _sampler_body(
    conf: dict[str, Any], backend: str, shots: int, pubs: int, reps: int, session: str | None
) -> str:
    width = min(5, int(conf["n_qubits"]))
    qc = QuantumCircuit(width)
    for _ in range(reps):
        qc.h(0)
        for i in range(width - 1):
            qc.cx(i, i + 1)
            qc.rx(0.3, i)
    qc.measure_all()
    isa = isa_for(conf, qc)
    encoded = [codec.encode_sampler_pub(SamplerPub.coerce(isa, shots)) for _ in range(pubs)]
    body: dict[str, Any] = {
        "program_id": "sampler",
        "backend": backend,
        "params": {"pubs": encoded, "options": {}, "version": 2, "support_qiskit": True},
    }
    if session:
        body["session_id"] = session
    return str(codec.dumps(body))


def _executor_body(conf: dict[str, Any], backend: str, shots: int) -> str:
    """A Bell-state ``executor`` job encoded by the official client's v2.0 params converter."""
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    isa = isa_for(conf, qc)
    program = QuantumProgram(shots=shots)
    program.append_circuit_item(isa)
    params = QUANTUM_PROGRAM_PARAMS_CONVERTERS["v2.0"].encoder(program, ExecutorOptions())
    body = {"program_id": "executor", "backend": backend, "params": params.model_dump(mode="json")}
    return json.dumps(body)


async def submit_executor(rest: Any, backend: str = "local_5q", shots: int = 1000) -> str:
    """Submit a Bell-state ``executor`` job (encoding runs in a thread); return its id."""
    conf = await rest.backend_configuration(backend)
    body = await asyncio.to_thread(_executor_body, conf, backend, shots)
    reply = await rest.create_job(body)
    return str(reply["id"])


async def submit_sampler(
    rest: Any,
    backend: str = "local_5q",
    shots: int = 1000,
    pubs: int = 1,
    reps: int = 3,
    session: str | None = None,
) -> str:
    """Submit an ISA sampler job (encoding runs in a thread); return its id."""
    conf = await rest.backend_configuration(backend)
    body = await asyncio.to_thread(_sampler_body, conf, backend, shots, pubs, reps, session)
    reply = await rest.create_job(body)
    return str(reply["id"])


async def wait_final(rest: Any, job_id: str, timeout: float = 120.0) -> dict[str, Any]:
    """Poll the runtime directly until the job is final."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        job: dict[str, Any] = await rest.job(job_id)
        if job["state"]["status"] in FINAL:
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} not final after {timeout} s")
