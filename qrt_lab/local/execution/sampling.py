"""The sampler program: ISA circuits in, one BitArray per classical register out (spec §5.4).

Each pub is validated against the device, shrunk to the qubits it touches, simulated with the
device's noise on those qubits, and sliced into registers. ``meas_type`` ``kerneled`` and
``avg_kerneled`` are emulated as IQ points: ``+1`` for a 0 outcome and ``-1`` for a 1, plus
Gaussian noise of width 0.35 (the level-1 data a discriminator would classify).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
from qiskit.circuit import ClassicalRegister, QuantumCircuit
from qiskit.primitives.containers import BitArray, DataBin, PrimitiveResult, SamplerPubResult
from qiskit.primitives.containers.sampler_pub import SamplerPub

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import TOO_MANY_SHOTS, JobFailure
from qrt_lab.runtime.codec.spans import DoubleSliceSpan, ExecutionSpans

from .compaction import active_qubits, compact_circuit
from .dynamical_decoupling import DecouplingSettings, schedule_idle_windows
from .isa import check_isa
from .primitive_options import SamplerSettings
from .simulation_plan import SimulationPlan, plan_simulation, with_delay_noise
from .simulator import run_shots
from .timing import circuit_duration

__all__ = ["PubRun", "run_sampler"]

_IQ_NOISE = 0.35


@dataclass(frozen=True)
class PubRun:
    """Facts about one simulated pub, for metadata and usage."""

    physical_qubits: tuple[int, ...]
    experiments: int
    shots: int
    duration: float
    method: str = "automatic"
    approximate_noise: bool = False
    plan: SimulationPlan | None = None
    seconds: float = 0.0


def _now() -> datetime:
    # IBM reports span times as naive UTC.
    return datetime.now(timezone.utc).replace(tzinfo=None)


def prepare(
    circuit: QuantumCircuit,
    model: DeviceModel,
    pub: int,
    shots: int = 1024,
    experiments: int = 1,
    decoupling: DecouplingSettings | None = None,
) -> tuple[QuantumCircuit, tuple[int, ...], SimulationPlan, dict[str, Any]]:
    """Validate a pub's circuit, shrink it to its active qubits and plan its simulation.

    ``shots`` and ``experiments`` (parameter rows) size the plan's cost estimate; the circuit is
    scheduled, with DD if ``decoupling`` enables it, when that matters (see
    :mod:`.dynamical_decoupling`); the last value says what was done.
    """
    check_isa(circuit, model, pub)
    physical = tuple(active_qubits(circuit) or ([0] if circuit.num_qubits else []))
    if not physical:
        raise JobFailure(f"pub {pub}: the circuit has no qubits; add at least one qubit")
    compact = compact_circuit(circuit, physical)
    compact, idle = schedule_idle_windows(
        compact, model, physical, decoupling or DecouplingSettings()
    )
    plan = plan_simulation(compact, model, physical, pub, shots=shots, experiments=experiments)
    return with_delay_noise(compact, plan, model, physical), physical, plan, idle


def _register_bits(
    memory: np.ndarray, circuit: QuantumCircuit, creg: ClassicalRegister
) -> np.ndarray:
    """``(..., shots, nbytes)`` uint8, big-endian, of one register sliced from shot integers."""
    index = [circuit.find_bit(bit).index for bit in creg]
    nbytes = math.ceil(len(index) / 8)
    contiguous = index == list(range(index[0], index[0] + len(index))) if index else True
    if memory.dtype == np.uint64 and contiguous:
        start = index[0] if index else 0
        mask = np.uint64((1 << len(index)) - 1) if len(index) < 64 else np.uint64(2**64 - 1)
        values = (memory >> np.uint64(start)) & mask
        return values.astype(">u8").view(np.uint8).reshape(*memory.shape, 8)[..., 8 - nbytes :]
    bits = np.array(
        [[(int(v) >> i) & 1 for i in reversed(index)] for v in memory.ravel()], dtype=bool
    )
    packed = BitArray.from_bool_array(bits.reshape(*memory.shape, len(index)), order="big")
    return np.asarray(packed.array)


def _kerneled(bits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    centres = 1.0 - 2.0 * bits
    noise = rng.normal(0.0, _IQ_NOISE, bits.shape) + 1j * rng.normal(0.0, _IQ_NOISE, bits.shape)
    return centres + noise


def _level1_fields(
    memory: np.ndarray, circuit: QuantumCircuit, shape: tuple[int, ...], settings: SamplerSettings
) -> dict[str, Any]:
    rng = np.random.default_rng(settings.seed)
    fields: dict[str, Any] = {}
    for creg in circuit.cregs:
        index = [circuit.find_bit(bit).index for bit in creg]
        bits = np.stack([(memory.astype(object) >> i) & 1 for i in index], axis=-1).astype(float)
        iq = _kerneled(bits, rng)
        if settings.meas_type == "avg_kerneled":
            iq = iq.mean(axis=-2)
        fields[creg.name] = iq.reshape(*shape, *iq.shape[1:])
    return fields


def _pub_data(
    memory: np.ndarray, circuit: QuantumCircuit, shape: tuple[int, ...], settings: SamplerSettings
) -> DataBin:
    if settings.meas_type != "classified":
        return DataBin(shape=shape, **_level1_fields(memory, circuit, shape, settings))
    fields = {}
    for creg in circuit.cregs:
        packed = _register_bits(memory, circuit, creg)
        fields[creg.name] = BitArray(packed.reshape(*shape, *packed.shape[1:]), creg.size)
    return DataBin(shape=shape, **fields)


def _simulate(
    pub: SamplerPub, compact: QuantumCircuit, plan: SimulationPlan, shots: int, seed: int | None
) -> np.ndarray:
    rows = max(math.prod(pub.shape), 1)
    if compact.num_parameters:
        values = pub.parameter_values.as_array(pub.circuit.parameters).reshape(rows, -1)
        memories = run_shots(
            [compact],
            shots=shots,
            seed=seed,
            noise=plan.noise,
            parameter_rows=values,
            method=plan.method,
            options=plan.options,
            order=plan.order,
        )
        return np.stack(memories)
    # Unparameterised: one run of rows*shots shots, split into rows (shots are independent).
    (memory,) = run_shots(
        [compact],
        shots=shots * rows,
        seed=seed,
        noise=plan.noise,
        method=plan.method,
        options=plan.options,
        order=plan.order,
    )
    return memory.reshape(rows, shots)


def run_sampler(
    pubs: list[SamplerPub], settings: SamplerSettings, model: DeviceModel
) -> tuple[PrimitiveResult, list[PubRun]]:
    """Run sampler pubs on a device.

    Returns:
        The primitive result and per-pub run facts.

    Raises:
        JobFailure: for non-ISA circuits (1517), too many shots (1516) or too wide circuits.
    """
    prepared = []
    for i, pub in enumerate(pubs):
        shots = pub.shots if pub.shots is not None else settings.default_shots
        if shots > model.max_shots:
            raise JobFailure(
                f"pub {i} requests {shots} shots but {model.name} allows at most "
                f"{model.max_shots}; lower the shots or split the pub",
                TOO_MANY_SHOTS,
            )
        rows = max(math.prod(pub.shape), 1)
        prepared.append(
            (pub, shots, *prepare(pub.circuit, model, i, shots, rows, settings.decoupling))
        )
    results, runs, spans = [], [], []
    for i, (pub, shots, compact, physical, plan, idle) in enumerate(prepared):
        start = _now()
        seed = None if settings.seed is None else settings.seed + i
        memory = _simulate(pub, compact, plan, shots, seed)
        data = _pub_data(memory, pub.circuit, pub.shape, settings)
        stop = _now()
        rows = max(math.prod(pub.shape), 1)
        spans.append(
            DoubleSliceSpan(
                start, stop, {i: ((*pub.shape, shots), slice(0, rows), slice(0, shots))}
            )
        )
        duration = circuit_duration(compact, model, physical)
        runs.append(
            PubRun(
                physical,
                rows,
                shots,
                duration,
                plan.method,
                plan.approximate_noise,
                plan,
                (stop - start).total_seconds(),
            )
        )
        metadata = {
            "circuit_metadata": dict(pub.circuit.metadata or {}),
            "simulation": plan.facts((stop - start).total_seconds()),
        }
        if idle["scheduled"] or "skipped" in idle:
            metadata["dynamical_decoupling"] = idle
        results.append(SamplerPubResult(data, metadata))
    meta = {"execution": {"execution_spans": ExecutionSpans(spans)}, "version": 2}
    return PrimitiveResult(results, meta), runs
