"""Estimator PUBs into a ``QuantumProgram`` with qiskit-mitigation tasks (TREX, ZNE, PEA, PEC)."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from qiskit.circuit import BoxOp
from qiskit.primitives.containers.estimator_pub import EstimatorPub

from ..exceptions import IBMInputValueError
from ..executor.twirling_shots import calculate_twirling_shots
from .finalize import finalize_estimator_options

if TYPE_CHECKING:
    from ..options_models import EstimatorOptions, ExecutorOptions, ResilienceOptions
    from ..quantum_program import QuantumProgram

__all__ = ["prepare"]

ESTIMATOR_ROLE = "estimator_v2"
#: More shots than any job can run (1e12): a precision asking for more is an input error.
_MAX_SHOTS = 10**12
_FOLDING = {"gate_folding": "random", "gate_folding_front": "front", "gate_folding_back": "back"}
_REQUIRED_FACTORS = {"linear": 2, "exponential": 2, "double_exponential": 4, "fallback": 1} | {
    f"polynomial_degree_{d}": d + 1 for d in range(1, 8)
}


def _extrapolators(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _noise_factors(resilience: ResilienceOptions) -> tuple[np.ndarray, np.ndarray]:
    from ..options_models.mitigation import DEFAULT_NOISE_FACTORS

    zne = resilience.zne
    auto = zne.noise_factors == "auto"
    factors = np.array(DEFAULT_NOISE_FACTORS if auto else zne.noise_factors, dtype=float)
    if zne.extrapolated_noise_factors == "auto":
        return factors, np.insert(factors, 0, 0.0)
    return factors, np.array(zne.extrapolated_noise_factors, dtype=float)


def _precision(pubs: Sequence[EstimatorPub], run_precision: float | None) -> float | None:
    found = {pub.precision if pub.precision is not None else run_precision for pub in pubs}
    if len(found) != 1:
        raise IBMInputValueError(
            f"All pubs must have the same precision. Found: {found} (possibly via the run "
            "provided precision parameter). Submit them as separate jobs inside a Batch."
        )
    precision = next(iter(found))
    if precision is not None and not (math.isfinite(precision) and precision > 0):
        raise IBMInputValueError("The precision value must be strictly greater than 0.")
    return precision


def _shots_for(precision: float) -> int:
    """``ceil(1 / precision**2)`` shots, at least 1.

    Raises:
        IBMInputValueError: The precision is so small that no shot count reaches it.
    """
    try:
        shots = math.ceil(1.0 / precision**2)
    except (ZeroDivisionError, OverflowError):
        shots = 0
    if shots < 1 or shots > _MAX_SHOTS:
        if precision >= 1:
            return 1
        raise IBMInputValueError(
            f"A precision of {precision:g} needs more than {_MAX_SHOTS:.0e} shots; ask for a "
            "larger precision."
        )
    return shots


def _validate(pubs: Sequence[EstimatorPub], options: EstimatorOptions) -> None:
    resilience = options.resilience
    if not pubs:
        raise IBMInputValueError("No pubs provided. At least one pub is required.")
    if resilience.pec_mitigation and resilience.zne_mitigation:
        raise IBMInputValueError(
            "PEC mitigation and ZNE mitigation are incompatible with one another."
        )
    injects = resilience.pec_mitigation or (
        resilience.zne_mitigation and resilience.zne.amplifier == "pea"
    )
    if injects and resilience.layer_noise_model is None:
        raise IBMInputValueError(
            "PEA/PEC mitigation requires a noise model. Set 'resilience.layer_noise_model' "
            "before running (learn it with NoiseLearnerV3)."
        )
    if resilience.zne_mitigation:
        factors, _ = _noise_factors(resilience)
        for name in _extrapolators(resilience.zne.extrapolator):
            if len(factors) < _REQUIRED_FACTORS[name]:
                raise IBMInputValueError(
                    f"{name} requires at least {_REQUIRED_FACTORS[name]} noise_factors"
                )
    for pub in pubs:
        if any(isinstance(inst.operation, BoxOp) for inst in pub.circuit.data):
            raise IBMInputValueError(
                f"Circuit {pub.circuit.name!r} contains a box instruction: the Estimator adds "
                "its own boxes, so pass circuits without BoxOp."
            )
        if resilience.measure_mitigation and any(
            set(term) & set("01rl+-") for obs in pub.observables.ravel() for term in obs
        ):
            raise IBMInputValueError(
                "Measurement mitigation is currently not supported when observables contain "
                "projection operators. You can decompose into pauli operators if the "
                "exponential cost is acceptable."
            )


def _task_class(resilience: ResilienceOptions) -> Any:
    from qiskit_mitigation import PEA, PEC, GateFolding, MitigationTask

    if resilience.pec_mitigation:
        return PEC
    if resilience.zne_mitigation:
        return PEA if resilience.zne.amplifier == "pea" else GateFolding
    return MitigationTask


def _task_kwargs(task_class: Any, resilience: ResilienceOptions, noise: dict[Any, Any],
                 num_rand: int, per_rand: int) -> dict[str, Any]:  # fmt: skip
    from qiskit_mitigation import PEA, PEC, GateFolding

    if task_class is PEC:
        overhead = resilience.pec.max_overhead
        return {
            "noise_maps": noise,
            "noise_gain": resilience.pec.noise_gain,
            "max_sampling_overhead": float(overhead)
            if overhead is not None
            else sys.float_info.max / (num_rand * per_rand),
        }
    if task_class in (PEA, GateFolding):
        factors, extrapolated = _noise_factors(resilience)
        kwargs: dict[str, Any] = {
            "noise_factors": factors.tolist(),
            "extrapolator": _extrapolators(resilience.zne.extrapolator),
            "extrapolated_noise_factors": extrapolated.tolist(),
        }
        if task_class is PEA:
            kwargs["noise_maps"] = noise
        else:
            kwargs["folding_method"] = _FOLDING[resilience.zne.amplifier]
        return kwargs
    return {}


def _randomizations(task_class: Any, options: EstimatorOptions, shots: int) -> tuple[int, int]:
    from qiskit_mitigation import PEC

    twirling = options.twirling
    wanted, per = twirling.num_randomizations, twirling.shots_per_randomization
    if task_class is PEC and wanted == "auto" and per == "auto":
        return math.ceil(shots / 64), 64
    if task_class is PEC or twirling.enable_gates or twirling.enable_measure:
        return calculate_twirling_shots(shots, wanted, per)
    return 1, shots


def boxing_options(options: EstimatorOptions, task_class: Any, add_tags: bool) -> dict[str, Any]:
    """How PUB circuits are boxed for twirling and noise injection (finalized options)."""
    from qiskit_mitigation import PEA, PEC

    twirling, resilience = options.twirling, options.resilience
    measure_all = resilience.measure_mitigation or twirling.enable_measure
    return {
        "enable_gates": bool(twirling.enable_gates) or task_class in (PEC, PEA),
        "enable_measures": True,
        "twirling_strategy": twirling.strategy.replace("-", "_"),
        "twirling_group": twirling.group,
        "add_tags": "unique_box" if add_tags else "none",
        "measure_annotations": "all" if measure_all else "change_basis",
    }


def unique_layers(pubs: Iterable[Any], options: EstimatorOptions, types: str) -> list[Any]:
    """One instance of each distinct boxed layer of the PUBs, as the Estimator would box them."""
    from qiskit_mitigation import find_combined_unique_layers

    final = finalize_estimator_options(options)
    task_class = _task_class(final.resilience)
    circuits = [EstimatorPub.coerce(pub, None).circuit for pub in pubs]
    layers: list[Any] = find_combined_unique_layers(
        circuits=circuits,
        mitigation_types=[task_class() for _ in circuits],
        custom_boxing_options=boxing_options(final, task_class, add_tags=True),
        box_types="all" if types == "all" else "gates",
    )
    return layers


def _build(pubs: Sequence[EstimatorPub], options: EstimatorOptions, shots: int) -> QuantumProgram:
    from qiskit_mitigation import TREX
    from samplomatic.annotations import InjectNoise
    from samplomatic.utils import get_annotation

    from ..quantum_program import QuantumProgram

    resilience = options.resilience
    task_class = _task_class(resilience)
    num_rand, per_rand = _randomizations(task_class, options, shots)
    boxing = boxing_options(options, task_class, add_tags=False)
    noise: dict[Any, Any] = {}
    for instruction, pauli_map in resilience.layer_noise_model or []:
        annotation = get_annotation(getattr(instruction, "operation", None), InjectNoise)
        if annotation is not None:
            noise[annotation.ref] = pauli_map
    trex = TREX() if resilience.measure_mitigation else None
    program = QuantumProgram(shots=per_rand)
    for pub in pubs:
        task_class().prepare(
            circuit=pub.circuit,
            observables=pub.observables,
            parameters=pub.parameter_values,
            custom_boxing_options=boxing,
            shots_per_randomization=per_rand,
            num_randomizations=num_rand,
            broadcast_obs_and_params=True,
            trex=trex,
            quantum_program=program,
            **_task_kwargs(task_class, resilience, noise, num_rand, per_rand),
        )
    if trex is not None:
        wanted = resilience.measure_noise_learning.num_randomizations
        trex.prepare(num_rand if wanted == "auto" else int(wanted), program, {})
    return program


def prepare(
    pubs: Iterable[Any],
    options: EstimatorOptions,
    precision: float | None = None,
    target: Any = None,
) -> tuple[QuantumProgram, ExecutorOptions]:
    """The program (semantic role ``estimator_v2``) and executor options for estimator PUBs.

    Raises:
        IBMInputValueError: Invalid PUBs or options (with what to change).
    """
    from ..options_models import ExecutionOptions, ExecutorOptions

    coerced = [EstimatorPub.coerce(pub, precision) for pub in pubs]
    final = finalize_estimator_options(options)
    _validate(coerced, final)
    resolved = _precision(coerced, precision)
    if resolved is not None:
        shots = _shots_for(resolved)
    elif final.default_shots is not None:
        shots = int(final.default_shots)
    else:
        shots = _shots_for(final.default_precision)
    program = _build(coerced, final, shots)
    if final.dynamical_decoupling.enable:
        from ..executor.dynamical_decoupling import apply_dynamical_decoupling

        apply_dynamical_decoupling(program, final.dynamical_decoupling, target)
    program.passthrough_data["post_processor"] = {
        "version": "v0.1",
        "options": final.model_dump(mode="json", exclude={"resilience": {"layer_noise_model"}}),
        "shots": shots,
        "precision": resolved,
        "circuits_metadata": [pub.circuit.metadata for pub in coerced],
        "num_pubs": len(coerced),
    }
    program._semantic_role = ESTIMATOR_ROLE
    simulator = final.simulator.model_copy(deep=True)
    if simulator.layer_noise_model is None:
        simulator.layer_noise_model = final.resilience.layer_noise_model
    executor_options = ExecutorOptions(
        environment=final.environment.model_copy(deep=True),
        execution=ExecutionOptions(**final.execution.model_dump()),
        simulator=simulator,
        experimental=dict(final.experimental),
        max_execution_time=final.max_execution_time,
    )
    return program, executor_options
