"""The ``noise-learner`` program: Pauli-Lindblad noise of each distinct layer (IBM's learner).

Two request forms, as the official client sends them:

- ``NoiseLearner`` (V2): ``params = {"circuits": [...], "options": {...}}``; the distinct
  layers of two-qubit gates of the ISA circuits (:mod:`.layers`) are learned, at most
  ``max_layers_to_learn`` of them, most frequent first. The result is a ``NoiseLearnerResult``
  of ``LayerError``s (circuit of the layer, its twirled qubits, a ``PauliLindbladError``), in
  the wire form the official client decodes and feeds back to the estimator's PEA and PEC.
- ``NoiseLearnerV3``: ``params`` of schema ``v0.3`` holding twirled boxes; a box of two-qubit
  gates is learned with the Lindblad protocol, a box of measurements with TREX; the result is a
  ``NoiseLearnerV3ResultsModel``.

How: each layer's exact model is derived from the channel the simulator applies
(:mod:`.layer_noise`) and then *learned* by emulating the experiment's statistics (depths,
randomizations, shots per randomization, readout), so a user's learning options change the
rates and their errors as on a device. Learning circuits are not simulated one by one: for
the simulated noise (independent gate channels, no crosstalk) the emulated estimate has the
same distribution at a small fraction of the cost, and a 156-qubit layer is learned in well
under a second.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import numpy as np
from qiskit.circuit import QuantumCircuit
from qiskit.quantum_info import PauliList

from qrt_lab.local.devices.catalog import DeviceCatalog
from qrt_lab.local.devices.model import DeviceModel, device_model
from qrt_lab.local.job_errors import BAD_INPUT, BUG_ADVICE, INTERNAL_ERROR, JobFailure
from qrt_lab.local.jobspec import COMPLETED, FAILED, JobOutcome, JobSpec
from qrt_lab.runtime import codec

from .isa import check_isa
from .job_device import job_device
from .layer_noise import LearningSettings, SparsePauli, layer_model, learn_rates
from .layers import STRATEGIES, Layer, layers_to_learn
from .timing import quantum_seconds

__all__ = ["NOISE_LEARNER", "execute_noise_learner", "learned_layers"]

NOISE_LEARNER = "noise-learner"
_LEGACY_MODULE = "qiskit_ibm_runtime.utils.noise_learner_result"
_V2_KNOWN = {
    "max_layers_to_learn",
    "shots_per_randomization",
    "num_randomizations",
    "layer_pair_depths",
    "twirling_strategy",
    "experimental",
    "simulator",
    "support_qiskit",
}
_log = logging.getLogger(__name__)


def _positive(value: Any, name: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise JobFailure(f"{name} must be an integer >= 1, got {value!r}", BAD_INPUT)
    return value


def learning_settings(options: dict[str, Any]) -> LearningSettings:
    """The learning experiment's settings from V2 or V3 options (defaults as IBM's)."""
    depths = options.get("layer_pair_depths", [0, 1, 2, 4, 16, 32])
    if (
        not isinstance(depths, list | tuple)
        or not depths
        or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 10_000 for d in depths
        )
    ):
        raise JobFailure(
            f"layer_pair_depths must be a list of integers from 0 to 10000, got {depths!r}",
            BAD_INPUT,
        )
    settings = LearningSettings(
        layer_pair_depths=tuple(depths),
        num_randomizations=_positive(options.get("num_randomizations"), "num_randomizations", 32),
        shots_per_randomization=_positive(
            options.get("shots_per_randomization"), "shots_per_randomization", 128
        ),
    )
    settings.check()
    return settings


def _seed(options: dict[str, Any], job_seed: int | None) -> int | None:
    simulator = options.get("simulator") or {}
    seed = simulator.get("seed_simulator") if isinstance(simulator, dict) else None
    if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0:
        return seed
    return job_seed


def _pauli_labels(generators: list[SparsePauli], qubits: tuple[int, ...]) -> list[str]:
    position = {q: i for i, q in enumerate(qubits)}
    labels = []
    for generator in generators:
        chars = ["I"] * len(qubits)
        for q, p in generator:
            chars[len(qubits) - 1 - position[q]] = p
        labels.append("".join(chars))
    return labels


def learned_layers(
    layers: list[Layer], model: DeviceModel, settings: LearningSettings, seed: int | None
) -> list[tuple[Layer, list[SparsePauli], np.ndarray, np.ndarray]]:
    """Each layer with its generators and learned rates (and rate standard errors)."""
    rng = np.random.default_rng(seed)
    out = []
    for layer in layers:
        exact = layer_model(model, layer.gates, layer.qubits)
        rates, stds = learn_rates(exact, model, settings, rng)
        out.append((layer, exact.generators, rates, stds))
    return out


def _layer_error_json(layer: Layer, generators: list[SparsePauli], rates: np.ndarray) -> Any:
    error = {
        "__type__": "_json",
        "__module__": _LEGACY_MODULE,
        "__class__": "PauliLindbladError",
        "__value__": {
            "generators": PauliList(_pauli_labels(generators, layer.qubits)),
            "rates": np.asarray(rates, dtype=float),
        },
    }
    return {
        "__type__": "_json",
        "__module__": _LEGACY_MODULE,
        "__class__": "LayerError",
        "__value__": {"circuit": layer.circuit(), "qubits": list(layer.qubits), "error": error},
    }


def _v2_circuits(params: dict[str, Any]) -> list[QuantumCircuit]:
    circuits = params.get("circuits")
    if not isinstance(circuits, list) or not circuits:
        raise JobFailure("params.circuits must be a non-empty list of circuits", BAD_INPUT)
    out = []
    for i, item in enumerate(circuits):
        if isinstance(item, list | tuple) and item:
            item = item[0]  # an estimator pub: its circuit
        if not isinstance(item, QuantumCircuit):
            raise JobFailure(f"params.circuits[{i}] is not an encoded QuantumCircuit", BAD_INPUT)
        out.append(item)
    return out


def _run_v2(
    params: dict[str, Any], model: DeviceModel, job_seed: int | None
) -> tuple[str, list[tuple[int, float]], list[str]]:
    options = params.get("options") or {}
    if not isinstance(options, dict):
        raise JobFailure("params.options must be an object", BAD_INPUT)
    circuits = _v2_circuits(params)
    for i, circuit in enumerate(circuits):
        check_isa(circuit, model, i)
    limit = options.get("max_layers_to_learn", 4)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise JobFailure(f"max_layers_to_learn must be an integer >= 0, got {limit!r}", BAD_INPUT)
    strategy = options.get("twirling_strategy", "active-accum")
    if strategy not in STRATEGIES:
        raise JobFailure(
            f"twirling_strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}",
            BAD_INPUT,
        )
    settings = learning_settings(options)
    layers = layers_to_learn(circuits, strategy, limit)
    learned = learned_layers(layers, model, settings, _seed(options, job_seed))
    data = [_layer_error_json(layer, gens, rates) for layer, gens, rates, _ in learned]
    metadata = {
        "backend": model.name,
        "learning_protocol": "lindblad",
        "input_options": {
            "max_layers_to_learn": limit,
            "shots_per_randomization": settings.shots_per_randomization,
            "num_randomizations": settings.num_randomizations,
            "layer_pair_depths": list(settings.layer_pair_depths),
            "twirling_strategy": strategy,
        },
    }
    # The platform's wire form: a plain object of LayerErrors (the client's decoder wraps it).
    text = codec.dumps({"data": data, "metadata": metadata})
    not_applied = [f"options.{k}" for k in options if k not in _V2_KNOWN]
    if options.get("experimental"):
        not_applied.append("options.experimental")
    return text, _executions(layers, settings, model), not_applied


def _executions(
    layers: list[Layer], settings: LearningSettings, model: DeviceModel
) -> list[tuple[int, float]]:
    """(shots, seconds per shot) of the learning circuits a device would run."""
    shots = settings.num_randomizations * settings.shots_per_randomization * 9
    out = []
    for layer in layers:
        length = max((model.gate_length(n, q) for n, q in layer.gates), default=0.0)
        out += [(shots, 2 * d * length) for d in sorted(set(settings.layer_pair_depths))]
    return out


def _failed(reason: str, code: int) -> JobOutcome:
    return JobOutcome(FAILED, reason, reason=reason, reason_code=code)


def execute_noise_learner(spec: JobSpec, catalog: DeviceCatalog) -> JobOutcome:
    """Run one ``noise-learner`` job and report its outcome (never raises)."""
    from .noise_learner_v3 import run_v3

    started = time.perf_counter()
    try:
        model = device_model(job_device(spec, catalog))
        try:
            params = json.loads(spec.params_json)
        except ValueError as exc:
            raise JobFailure(f"The job's params are not JSON ({exc})", BAD_INPUT) from exc
        if isinstance(params, dict) and "schema_version" in params:
            text, executions, not_applied = run_v3(params, model, spec.seed)
            form = "NoiseLearnerV3"
        else:
            text, executions, not_applied = _run_v2(codec.loads(spec.params_json), model, spec.seed)
            form = "NoiseLearner"
    except JobFailure as failure:
        return _failed(failure.reason, failure.reason_code)
    except Exception as exc:  # noqa: BLE001 - a worker must report, never die, on a bug
        _log.exception("noise-learner job %s failed unexpectedly", spec.job_id)
        return _failed(
            f"Internal error while running the job: {type(exc).__name__}: {exc}. {BUG_ADVICE}",
            INTERNAL_ERROR,
        )
    elapsed = time.perf_counter() - started
    logs = [
        f"{form}: learned the Pauli-Lindblad noise of the device's gate channels on "
        f"{spec.backend} in {elapsed:.3f} s, emulating the learning experiment's statistics."
    ]
    if not_applied:
        logs.append(
            "Options accepted but not applied by the local service: " + ", ".join(not_applied)
        )
    return JobOutcome(
        COMPLETED,
        text,
        quantum_seconds=quantum_seconds(executions, model.default_rep_delay),
        logs="\n".join(logs) + "\n",
        metadata={"not_applied": not_applied, "simulation_seconds": elapsed},
    )
