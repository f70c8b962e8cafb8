"""The ``executor`` program: run a QuantumProgram on a simulated device (IBM's executor).

Every item goes through the sampler's pipeline: ISA check, compaction onto the qubits it uses,
the device's noise on those qubits, seeded shots. An item's elements (a parameter sweep times
the samplex's randomizations, often hundreds) share one compiled circuit and run in one Aer
call that binds every row. The result is a ``QuantumProgramResultModel`` (schema v2.0): per
item, each classical register as a bool tensor ``(*shape, shots, bits)``, the samplex's other
outputs, and ``passthrough_data`` and ``semantic_role`` echoed verbatim so that the official
client's post-processors (twirling, TREX, ZNE, PEC) take over.

On a device's mock twin (``mock_*``, where the official client's ``dry_run=True`` sends jobs)
the program is decoded, validated, ISA-checked and charged exactly the same, but nothing is
simulated: every register gets uniformly random bits, and the result's metadata says
``"dry_run": true``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from datetime import datetime, timezone
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit

from qrt_lab.local.devices.catalog import DeviceCatalog
from qrt_lab.local.devices.model import DeviceModel, device_model
from qrt_lab.local.job_errors import (
    BAD_INPUT,
    BUG_ADVICE,
    INTERNAL_ERROR,
    TOO_MANY_SHOTS,
    JobFailure,
)
from qrt_lab.local.jobspec import COMPLETED, FAILED, JobOutcome, JobSpec

from .batched_parts import PartJob, simulate_parts
from .circuit_parts import split_parts
from .compaction import active_qubits, compact_circuit
from .executor_params import DecodedItem, DecodedProgram, decode_program
from .grouped_parts import groups_of, register_bools, restrict, simulate_rows
from .isa import check_isa
from .job_device import job_device
from .noise import gates_used
from .sampling import PubRun
from .scheduler_timing import scheduler_timing
from .simulation_plan import SimulationPlan, plan_simulation, with_delay_noise
from .timing import circuit_duration, quantum_seconds

__all__ = ["EXECUTOR", "execute_program"]

EXECUTOR = "executor"
#: Set to ``0`` to run each group of an item in its own Aer call (the path before batching).
BATCHING_VARIABLE = "QRT_LAB_LOCAL_EXECUTOR_BATCHING"
_IQ_NOISE = 0.35
_log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _clifford_rows(rows: np.ndarray) -> bool:
    quarter_turns = rows / (np.pi / 2)
    return bool(np.all(np.abs(quarter_turns - np.round(quarter_turns)) < 1e-9))


def _padding_tolerant(circuit: QuantumCircuit, model: DeviceModel) -> DeviceModel:
    """The device, minus the faulty marks of qubits that see no multi-qubit gate.

    The client-side Estimator measures every qubit of its circuit, dressing idle ones with
    twirling gates: on a device with faulty qubits those would otherwise fail the ISA check.
    """
    if not model.faulty_qubits:
        return model
    coupled = {
        circuit.find_bit(q).index
        for inst in circuit.data
        if len(inst.qubits) > 1 and inst.operation.name != "barrier"
        for q in inst.qubits
    }
    kept = model.faulty_qubits & frozenset(coupled)
    return model if kept == model.faulty_qubits else dataclasses.replace(model, faulty_qubits=kept)


def _plan(
    circuit: QuantumCircuit,
    rows: np.ndarray,
    columns: list[int],
    model: DeviceModel,
    physical: tuple[int, ...],
    index: int,
    gates: frozenset[tuple[str, tuple[int, ...]]] | None = None,
) -> SimulationPlan:
    """Plan once for all rows; with only Clifford rows, on a bound row (stabilizer-capable).

    The circuit runs as it is, so its noise model covers only the gates it uses (``gates``,
    found from the circuit when not given).
    """
    if gates is None:
        gates = gates_used(circuit, physical)
    if circuit.num_parameters and len(rows) and _clifford_rows(rows[:, columns]):
        bound = circuit.assign_parameters(rows[0, columns])
        return plan_simulation(bound, model, physical, index, gates=gates)
    return plan_simulation(circuit, model, physical, index, gates=gates)


def batching_enabled() -> bool:
    """Whether items run batched (:mod:`.batched_parts`); ``QRT_LAB_LOCAL_EXECUTOR_BATCHING=0``
    restores the earlier one-call-per-group path (kept for benchmarks)."""
    return os.environ.get(BATCHING_VARIABLE, "1") != "0"


def _simulate_item(
    index: int, item: DecodedItem, model: DeviceModel, shots: int, seed: int | None
) -> tuple[dict[str, np.ndarray], PubRun]:
    """Each classical register as ``(rows, shots, size)`` bools, and the run's facts."""
    check_isa(item.circuit, _padding_tolerant(item.circuit, model), index)
    physical = tuple(active_qubits(item.circuit) or [0])
    compact = compact_circuit(item.circuit, physical)
    if batching_enabled():
        bools, plans, parts = _batched_item(index, item, model, shots, seed, compact, physical)
        registers = _registers_of(bools, compact)
    else:
        memory, plans, parts = _grouped_item(index, item, model, shots, seed, compact, physical)
        registers = register_bools(memory, compact)
    duration = circuit_duration(compact, model, physical)
    methods = sorted({p.method for p in plans})
    run = PubRun(
        physical,
        len(item.rows),
        shots,
        duration,
        "+".join(methods) + (f" ({parts} independent groups)" if parts > 1 else ""),
        any(p.approximate_noise for p in plans),
    )
    return registers, run


def _batched_item(
    index: int,
    item: DecodedItem,
    model: DeviceModel,
    shots: int,
    seed: int | None,
    compact: QuantumCircuit,
    physical: tuple[int, ...],
) -> tuple[np.ndarray, list[SimulationPlan], int]:
    """``(rows, shots, clbits)`` bools: every independent part, batched (:mod:`.batched_parts`)."""
    order = {p: i for i, p in enumerate(item.circuit.parameters)}
    jobs = []
    parts = split_parts(compact)
    for part in parts:
        if not part.clbits:
            continue  # nothing of it is read out
        where = tuple(physical[q] for q in part.qubits)
        columns = [order[p] for p in part.circuit.parameters]
        gates = gates_used(part.circuit, where)
        plan = _plan(part.circuit, item.rows, columns, model, where, index, gates)
        circuit = with_delay_noise(part.circuit, plan, model, where)
        jobs.append(PartJob(circuit, where, item.rows[:, columns], plan, gates, part.clbits))

    def alone(job: PartJob, part_seed: int | None) -> np.ndarray:
        return simulate_rows(job.circuit, job.rows, job.plan, shots, part_seed)

    bools = simulate_parts(
        jobs, model, len(item.rows), shots, compact.num_clbits, seed, fallback=alone
    )
    return bools, [job.plan for job in jobs], len(parts)


def _grouped_item(
    index: int,
    item: DecodedItem,
    model: DeviceModel,
    shots: int,
    seed: int | None,
    compact: QuantumCircuit,
    physical: tuple[int, ...],
) -> tuple[np.ndarray, list[SimulationPlan], int]:
    """``(rows, shots)`` shot integers (bit ``i`` = clbit ``i``): one Aer call per group."""
    order = {p: i for i, p in enumerate(item.circuit.parameters)}
    memory: np.ndarray | None = None
    plans = []
    groups = groups_of(compact)
    for number, group in enumerate(groups):
        part = compact if len(groups) == 1 else restrict(compact, group)
        where = tuple(physical[q] for q in group)
        columns = [order[p] for p in part.parameters]
        plan = _plan(part, item.rows, columns, model, where, index)
        part = with_delay_noise(part, plan, model, where)
        part_seed = None if seed is None else seed + 104729 * number
        found = simulate_rows(part, item.rows[:, columns], plan, shots, part_seed)
        memory = found if memory is None else memory | found
        plans.append(plan)
    assert memory is not None
    return memory, plans, len(groups)


def _mock_item(
    index: int, item: DecodedItem, model: DeviceModel, shots: int, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], PubRun]:
    """Random ``(rows, shots, size)`` bools per register, after the same checks as a real run."""
    check_isa(item.circuit, _padding_tolerant(item.circuit, model), index)
    physical = tuple(active_qubits(item.circuit) or [0])
    compact = compact_circuit(item.circuit, physical)
    rows = len(item.rows)
    bools = {
        creg.name: rng.integers(0, 2, size=(rows, shots, creg.size), dtype=np.uint8).astype(bool)
        for creg in compact.cregs
    }
    duration = circuit_duration(compact, model, physical)
    return bools, PubRun(physical, rows, shots, duration, "none (dry run: random data)", False)


def _registers_of(bools: np.ndarray, circuit: QuantumCircuit) -> dict[str, np.ndarray]:
    """Each classical register as ``(rows, shots, size)`` bools from ``(rows, shots, clbits)``
    (a view when its bits are consecutive)."""
    out = {}
    for creg in circuit.cregs:
        index = [circuit.find_bit(bit).index for bit in creg]
        consecutive = bool(index) and index == list(range(index[0], index[0] + len(index)))
        out[creg.name] = bools[..., index[0] : index[-1] + 1] if consecutive else bools[..., index]
    return out


def _registers(
    bools: dict[str, np.ndarray], meas_level: str, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Register data by measurement level (IQ points: +1 for 0, -1 for 1, Gaussian noise)."""
    out: dict[str, np.ndarray] = {}
    for name, bits in bools.items():
        if meas_level in ("classified", "both"):
            out[name] = bits
        if meas_level == "classified":
            continue
        centres = 1.0 - 2.0 * bits
        iq = (
            centres
            + rng.normal(0.0, _IQ_NOISE, bits.shape)
            + 1j * rng.normal(0.0, _IQ_NOISE, bits.shape)
        )
        if meas_level == "avg_kerneled":
            out[f"{name}_avg_iq"] = iq.mean(axis=-2)
        else:
            out[f"{name}_iq"] = iq
    return out


def _tensor(array: np.ndarray) -> dict[str, Any]:
    from ibm_quantum_schemas.common import CompressedTensorModel

    model = CompressedTensorModel.from_numpy(np.ascontiguousarray(array))
    result: dict[str, Any] = model.model_dump(mode="json")
    return result


def _run_item(
    index: int,
    item: DecodedItem,
    program: DecodedProgram,
    model: DeviceModel,
    seed: int | None,
    mock: bool = False,
) -> tuple[dict[str, Any], PubRun, dict[str, Any]]:
    started = _now()
    rng = np.random.default_rng(None if seed is None else seed + 7919)
    if mock:
        bools, run = _mock_item(index, item, model, program.shots, rng)
    else:
        bools, run = _simulate_item(index, item, model, program.shots, seed)
    registers = _registers(bools, program.meas_level, rng)
    results = {}
    for name, value in item.outputs.items():
        results[name] = _tensor(value)
    for name, value in registers.items():
        results[name] = _tensor(value.reshape(*item.shape, *value.shape[1:]))
    size = len(item.rows) if item.shape else 1
    span = {
        "start": started,
        "stop": _now(),
        "parts": [
            {
                "idx_item": index,
                "size": size,
                "permutation": list(range(len(item.shape))),
                "element_range": [0, size, 1],
            }
        ],
    }
    timing = None
    if program.options.get("scheduler_timing"):
        timing = scheduler_timing(item.circuit, model)
    entry = {"results": results, "metadata": {"scheduler_timing": timing, "stretch_values": None}}
    return entry, run, span


def _rep_delay(options: dict[str, Any], model: DeviceModel) -> float:
    value = options.get("rep_delay")
    if value is None:
        return float(model.default_rep_delay)
    low, high = model.rep_delay_range
    if not low <= value <= high:
        raise JobFailure(
            f"params.options.rep_delay must be within the device's rep_delay_range "
            f"[{low}, {high}] seconds, got {value!r}.",
            BAD_INPUT,
        )
    return float(value)


def _not_applied(options: dict[str, Any]) -> list[str]:
    found = [f"experimental.{k}" for k in options.get("experimental") or {}]
    if options.get("init_qubits") is False:
        found.append("init_qubits")
    found += ["stretch_values"] if options.get("stretch_values") else []
    return found


def _run(spec: JobSpec, catalog: DeviceCatalog) -> tuple[str, list[PubRun], float, list[str]]:
    device = job_device(spec, catalog)
    model = device_model(device)
    program = decode_program(spec.params_json, spec.seed)
    if program.shots > model.max_shots:
        raise JobFailure(
            f"The program asks for {program.shots} shots but {model.name} allows at most "
            f"{model.max_shots}; lower the shots.",
            TOO_MANY_SHOTS,
        )
    rep_delay = _rep_delay(program.options, model)
    data, runs, spans = [], [], []
    for index, item in enumerate(program.items):
        seed = None if spec.seed is None else spec.seed + index
        entry, run, span = _run_item(index, item, program, model, seed, device.is_mock)
        data.append(entry)
        runs.append(run)
        spans.append(span)
    metadata: dict[str, Any] = {"chunk_timing": spans}
    if device.is_mock:
        # Clients' result models ignore keys they do not know; people and qrt-lab read this one.
        metadata["dry_run"] = True
        metadata["mock_of"] = device.twin_of
    result = {
        "schema_version": "v2.0",
        "data": data,
        "metadata": metadata,
        "passthrough_data": program.passthrough_data,
        "semantic_role": program.semantic_role,
    }
    return json.dumps(result), runs, rep_delay, _not_applied(program.options)


def execute_program(spec: JobSpec, catalog: DeviceCatalog) -> JobOutcome:
    """Run one executor job and report its outcome (never raises).

    Args:
        spec: The job (``program_id == "executor"``).
        catalog: The worker's device catalogue.

    Returns:
        ``Completed`` with the ``QuantumProgramResultModel`` JSON, or ``Failed`` with a reason
        and reason code.
    """
    started = time.perf_counter()
    try:
        text, runs, rep_delay, not_applied = _run(spec, catalog)
    except JobFailure as failure:
        return JobOutcome(
            FAILED, failure.reason, reason=failure.reason, reason_code=failure.reason_code
        )
    except Exception as exc:  # noqa: BLE001 - a worker must report, never die, on a bug
        _log.exception("executor job %s failed unexpectedly", spec.job_id)
        reason = f"Internal error while running the job: {type(exc).__name__}: {exc}. {BUG_ADVICE}"
        return JobOutcome(FAILED, reason, reason=reason, reason_code=INTERNAL_ERROR)
    charged = quantum_seconds(((r.experiments * r.shots, r.duration) for r in runs), rep_delay)
    elapsed = time.perf_counter() - started
    device = catalog.get(spec.backend)
    mock_of = device.twin_of if device is not None else None
    if mock_of is not None:
        logs = [
            f"Dry run: {spec.backend} is the mock twin of {mock_of}. The program was validated "
            f"and charged as on {mock_of}, but not simulated: every result is random data."
        ]
    else:
        logs = [
            f"Ran {len(runs)} executor item(s) on {spec.backend} in {elapsed:.3f} s of simulation."
        ]
    logs += [
        f"item {i}: {r.experiments} element(s) x {r.shots} shots on physical qubits "
        f"{list(r.physical_qubits)} (Aer method {r.method}"
        + (", Pauli part of the noise only)" if r.approximate_noise else ")")
        for i, r in enumerate(runs)
    ]
    if not_applied:
        logs.append(
            "Options accepted but not applied by the local service: " + ", ".join(not_applied)
        )
    metadata = {
        "applied_options": {"seed": spec.seed, "rep_delay": rep_delay},
        "not_applied": not_applied,
        "simulated_qubits": [list(r.physical_qubits) for r in runs],
        "simulation_methods": [r.method for r in runs],
        "approximate_noise": [r.approximate_noise for r in runs],
        "simulation_seconds": elapsed,
        "dry_run": mock_of is not None,
    }
    return JobOutcome(
        COMPLETED,
        text,
        quantum_seconds=charged,
        logs="\n".join(logs) + "\n",
        metadata=metadata,
    )
