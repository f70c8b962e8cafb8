"""``NoiseLearnerV3`` requests (schema ``v0.3``): learn twirled boxes.

A box of two-qubit gates is learned with the Lindblad protocol (:mod:`.layer_noise`); a box
of measurements with TREX, whose model is one ``X`` generator per qubit with the rate of the
symmetrised readout flip ``p = (p01 + p10) / 2``: ``r = -log(1 - 2p) / 2``, estimated from the
``num_randomizations * shots_per_randomization`` shots a device would spend. Generators are
indexed by the box's qubits in the order the box lists them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from qiskit.circuit import CircuitInstruction, QuantumCircuit

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

from .layer_noise import LearningSettings, layer_model, learn_rates
from .layers import Layer

__all__ = ["run_v3"]

_NOT_APPLIED = ("bit_flip_checks", "post_selection")


def _physical(circuit: QuantumCircuit, qubit: Any) -> int:
    where = circuit.find_bit(qubit)
    return int(where.registers[0][1] if where.registers else where.index)


def _box_content(
    circuit: QuantumCircuit, inst: CircuitInstruction
) -> tuple[list[int], QuantumCircuit]:
    if inst.operation.name != "box":
        raise JobFailure(
            f"NoiseLearnerV3 learns boxes with a Twirl annotation; got {inst.operation.name!r}",
            BAD_INPUT,
        )
    return [_physical(circuit, q) for q in inst.qubits], inst.operation.blocks[0]


def _lindblad(
    qubits: list[int],
    body: QuantumCircuit,
    model: DeviceModel,
    settings: LearningSettings,
    rng: Any,
) -> dict[str, Any]:
    gates = []
    for inst in body.data:
        local = [body.find_bit(q).index for q in inst.qubits]
        if len(local) == 2 and inst.operation.name not in ("barrier", "delay"):
            gates.append((inst.operation.name, (qubits[local[0]], qubits[local[1]])))
    layer = Layer(tuple(sorted(gates)), tuple(sorted(qubits)))
    exact = layer_model(model, layer.gates, qubits)
    rates, stds = learn_rates(exact, model, settings, rng)
    position = {q: i for i, q in enumerate(qubits)}
    sparse = [
        [("".join(p for _, p in gen), [position[q] for q, _ in gen])] for gen in exact.generators
    ]
    depths = sorted(set(settings.layer_pair_depths))
    return {
        "generators_sparse": sparse,
        "rates": rates,
        "rates_std": stds,
        "metadata": {
            "learning_protocol": "lindblad",
            "post_selection": {
                "fraction_kept": {d: 1.0 for d in depths},
                "success_rates": {d: {} for d in depths},
            },
        },
    }


def _trex(
    qubits: list[int], model: DeviceModel, settings: LearningSettings, rng: Any
) -> dict[str, Any]:
    shots = settings.num_randomizations * settings.shots_per_randomization
    flips = np.array(
        [(model.qubits[q].prob_meas0_prep1 + model.qubits[q].prob_meas1_prep0) / 2 for q in qubits]
    )
    measured = rng.binomial(shots, np.clip(flips, 0.0, 0.499)) / shots
    rates = -0.5 * np.log(np.clip(1 - 2 * measured, 1e-6, 1.0))
    stds = np.sqrt(np.clip(measured * (1 - measured), 1.0 / shots, None) / shots)
    return {
        "generators_sparse": [[("X", [i])] for i in range(len(qubits))],
        "rates": rates,
        "rates_std": stds,
        "metadata": {
            "learning_protocol": "trex",
            "post_selection": {"fraction_kept": 1.0, "success_rates": {}},
        },
    }


def run_v3(
    params: dict[str, Any], model: DeviceModel, seed: int | None
) -> tuple[str, list[tuple[int, float]], list[str]]:
    """Run a v0.3 request: ``(result JSON, executions charged, options not applied)``."""
    from ibm_quantum_schemas.common import F64TensorModel
    from ibm_quantum_schemas.noise_learner_v3.version_0_3 import (
        NoiseLearnerV3ResultModel,
        NoiseLearnerV3ResultsModel,
        ParamsModel,
    )
    from pydantic import ValidationError

    from .noise_learner_program import learning_settings

    if params.get("schema_version") != "v0.3":
        raise JobFailure(
            f"NoiseLearnerV3 params schema {params.get('schema_version')!r} is not supported; "
            "this service runs 'v0.3' (qiskit-ibm-runtime 0.51): upgrade the client",
            BAD_INPUT,
        )
    try:
        decoded = ParamsModel.model_validate(params)
    except ValidationError as exc:
        raise JobFailure(f"Invalid NoiseLearnerV3 params: {exc.errors()[:3]}", BAD_INPUT) from exc
    options = decoded.options.model_dump()
    settings = learning_settings(options)
    circuit = decoded.instructions.to_quantum_circuit()
    rng = np.random.default_rng(seed)
    items, executions = [], []
    shots = settings.num_randomizations * settings.shots_per_randomization
    for inst in circuit.data:
        qubits, body = _box_content(circuit, inst)
        if any(i.operation.name == "measure" for i in body.data):
            item = _trex(qubits, model, settings, rng)
            executions.append((shots, 0.0))
        else:
            item = _lindblad(qubits, body, model, settings, rng)
            executions += [(9 * shots, 0.0) for _ in set(settings.layer_pair_depths)]
        items.append(
            NoiseLearnerV3ResultModel(
                generators_sparse=item["generators_sparse"],
                num_qubits=len(qubits),
                rates=F64TensorModel.from_numpy(np.asarray(item["rates"], dtype=np.float64)),
                rates_std=F64TensorModel.from_numpy(
                    np.asarray(item["rates_std"], dtype=np.float64)
                ),
                metadata=item["metadata"],
            )
        )
    not_applied = [
        f"options.{k}" for k in _NOT_APPLIED if any(v.get("enable") for v in _enabled(options[k]))
    ]
    return NoiseLearnerV3ResultsModel(data=items).model_dump_json(), executions, not_applied


def _enabled(section: dict[str, Any]) -> list[dict[str, Any]]:
    if "enable" in section:
        return [section]
    return [v for v in section.values() if isinstance(v, dict)]
