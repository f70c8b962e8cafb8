"""Sampler PUBs into a ``QuantumProgram``: client-side twirling with samplomatic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import deepcopy
from typing import TYPE_CHECKING, Any

from qiskit.circuit import BoxOp
from qiskit.primitives.containers.sampler_pub import SamplerPub

from ..exceptions import IBMInputValueError
from ..executor.twirling_shots import calculate_twirling_shots

if TYPE_CHECKING:
    from ..options_models import ExecutorOptions, SamplerOptions
    from ..quantum_program import QuantumProgram

__all__ = ["finalize_sampler_options", "prepare", "program_shots"]

SAMPLER_ROLE = "sampler_v2"
POST_PROCESSOR_VERSION = "v0.1"


def finalize_sampler_options(options: SamplerOptions) -> SamplerOptions:
    """A copy of ``options`` with the Sampler's defaults filled in (twirling off when unset)."""
    finalized = deepcopy(options)
    if finalized.twirling.enable_gates is None:
        finalized.twirling.enable_gates = False
    if finalized.twirling.enable_measure is None:
        finalized.twirling.enable_measure = False
    return finalized


def program_shots(pubs: Sequence[SamplerPub], default_shots: int | None) -> int:
    """The one shots value of all PUBs.

    Raises:
        IBMInputValueError: No shots anywhere, or PUBs with different shots.
    """
    found = {pub.shots or default_shots for pub in pubs}
    if None in found:
        raise IBMInputValueError("Shots must be specified either in the pub or as default_shots.")
    if len(found) != 1:
        raise IBMInputValueError(
            f"All pubs must have the same number of shots. Found: {found}. Submit PUBs with "
            "different shots as separate jobs (inside a Batch)."
        )
    shots = next(iter(found))
    assert shots is not None
    return shots


def _validate(pubs: Sequence[SamplerPub], options: SamplerOptions) -> None:
    if not pubs:
        raise IBMInputValueError("No pubs provided. At least one pub is required.")
    meas_type, twirl_measure = options.execution.meas_type, options.twirling.enable_measure
    if meas_type in {"kerneled", "avg_kerneled"} and twirl_measure:
        raise IBMInputValueError(
            f"'meas_type={meas_type}' and measurement twirling are not compatible. "
            "Set `twirling.enable_measure=False` or `execution.meas_type='classified'`"
        )
    for pub in pubs:
        for instruction in pub.circuit.data:
            if isinstance(instruction.operation, BoxOp):
                raise IBMInputValueError(
                    f"Circuit {pub.circuit.name!r} contains a box instruction: the Sampler "
                    "adds its own boxes for twirling, so pass circuits without BoxOp."
                )


def _plain_items(program: QuantumProgram, pubs: Sequence[SamplerPub]) -> None:
    for pub in pubs:
        values = None
        if pub.parameter_values.num_parameters > 0:
            values = pub.parameter_values.as_array(pub.circuit.parameters)
        circuit = pub.circuit
        if circuit.metadata:
            circuit = circuit.copy()
            circuit.metadata = {}  # travels as passthrough data instead
        program.append_circuit_item(circuit, circuit_arguments=values)


def _twirled_items(
    program: QuantumProgram, pubs: Sequence[SamplerPub], options: SamplerOptions, num_rand: int
) -> None:
    from samplomatic import build
    from samplomatic.transpiler import generate_boxing_pass_manager

    twirling = options.twirling
    boxing = generate_boxing_pass_manager(
        enable_gates=bool(twirling.enable_gates),
        enable_measures=bool(twirling.enable_measure),
        twirling_strategy=twirling.strategy.replace("-", "_"),
        inject_noise_site="after",
        add_tags="none",
        twirling_group=twirling.group,
    )
    for pub in pubs:
        template, samplex = build(boxing.run(pub.circuit))
        arguments: dict[str, Any] = {}
        shape: tuple[int, ...] = (num_rand,)
        if pub.parameter_values.num_parameters > 0:
            values = pub.parameter_values.as_array(pub.circuit.parameters)
            arguments["parameter_values"] = values
            shape = (num_rand, *values.shape[:-1])
        program.append_samplex_item(
            template, samplex=samplex, samplex_arguments=arguments, shape=shape
        )


def prepare(
    pubs: Iterable[Any], options: SamplerOptions, shots: int | None = None, target: Any = None
) -> tuple[QuantumProgram, ExecutorOptions]:
    """The program (semantic role ``sampler_v2``) and executor options for sampler PUBs.

    ``target`` (the backend's) is needed for dynamical decoupling.

    Raises:
        IBMInputValueError: Invalid PUBs or options (with what to change).
    """
    from ..options_models import ExecutionOptions, ExecutorOptions
    from ..quantum_program import QuantumProgram

    if shots is not None and (isinstance(shots, bool) or not isinstance(shots, int) or shots < 1):
        raise IBMInputValueError(f"shots must be a positive int, got {shots!r}.")
    coerced = [SamplerPub.coerce(pub, shots) for pub in pubs]
    finalized = finalize_sampler_options(options)
    _validate(coerced, finalized)
    total = program_shots(coerced, shots if shots is not None else finalized.default_shots)
    twirled = bool(finalized.twirling.enable_gates or finalized.twirling.enable_measure)
    num_rand, per_rand = 0, total
    if twirled:
        twirling = finalized.twirling
        num_rand, per_rand = calculate_twirling_shots(
            total, twirling.num_randomizations, twirling.shots_per_randomization
        )
    program = QuantumProgram(
        shots=per_rand,
        meas_level=finalized.execution.meas_type,
        passthrough_data={
            "post_processor": {
                "version": POST_PROCESSOR_VERSION,
                "twirling": twirled,
                "meas_type": finalized.execution.meas_type,
                "shots": per_rand,
                "circuits_metadata": [pub.circuit.metadata for pub in coerced],
                "options": finalized.model_dump(mode="json"),
            }
        },
    )
    if twirled:
        _twirled_items(program, coerced, finalized, num_rand)
    else:
        _plain_items(program, coerced)
    if finalized.dynamical_decoupling.enable:
        from ..executor.dynamical_decoupling import apply_dynamical_decoupling

        apply_dynamical_decoupling(program, finalized.dynamical_decoupling, target)
    program._semantic_role = SAMPLER_ROLE
    executor_options = ExecutorOptions(
        environment=finalized.environment.model_copy(deep=True),
        execution=ExecutionOptions(**finalized.execution.model_dump(exclude={"meas_type"})),
        simulator=finalized.simulator.model_copy(deep=True),
        experimental=dict(finalized.experimental),
        max_execution_time=finalized.max_execution_time,
    )
    return program, executor_options
