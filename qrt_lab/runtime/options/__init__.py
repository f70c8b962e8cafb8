"""``SamplerOptions`` and ``EstimatorOptions`` (spec §6) and their serialisation into a job.

Options are validated dataclasses (see :mod:`.option_fields`): every leaf defaults to ``Unset``
and is then not sent, so the service applies its defaults. ``options.update(**kw)`` merges
nested dicts. :func:`job_inputs` turns options into ``params.options`` and the job-level fields
(``log_level``, ``tags``, ``cost``, ``private``, ``runtime``) as spec §6.5 says.
"""

from __future__ import annotations

import copy
from dataclasses import field
from typing import Any, ClassVar

from qrt_lab.runtime.exceptions import IBMInputValueError

from .fields import OptionGroup, Unset, Validator, check, drop_unset, option_group

__all__ = ["EstimatorOptions", "SamplerOptions", "Unset", "job_inputs"]

_AUTO_OR_POSITIVE = check.either(
    check.choice("auto"), check.integer(lo=1), allowed="'auto' or an int >= 1"
)
_EXTRAPOLATORS = (
    "linear", "exponential", "double_exponential", "fallback",
    *(f"polynomial_degree_{k}" for k in range(1, 8)),
)  # fmt: skip
_MIN_FACTORS = {"linear": 2, "exponential": 2, "double_exponential": 4, "fallback": 1}
_MIN_FACTORS |= {f"polynomial_degree_{k}": k + 1 for k in range(1, 8)}


def _v(**validators: Validator) -> dict[str, Validator]:
    return validators


@option_group
class EnvironmentOptions(OptionGroup):
    """Job environment: ``log_level``, ``job_tags``, ``private``."""

    log_level: Any = "WARNING"
    job_tags: Any = None
    private: Any = False
    _path: ClassVar[str] = "environment"
    _validators: ClassVar[dict[str, Validator]] = _v(
        log_level=check.choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
        job_tags=check.list_of(check.string(), "strings", none=True),
        private=check.boolean(),
    )


def _coupling_map(path: str, value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "get_edges"):
        return [list(edge) for edge in value.get_edges()]
    pair = check.list_of(check.integer(lo=0), "qubit indices")
    edges = check.list_of(pair, "[a, b] pairs")(path, value)
    if any(len(e) != 2 for e in edges):
        raise IBMInputValueError(f"Invalid option '{path}': every edge must be a pair [a, b].")
    return edges


@option_group
class SimulatorOptions(OptionGroup):
    """Simulator settings (noise model, seed, coupling map, basis gates)."""

    noise_model: Any = Unset
    seed_simulator: Any = Unset
    coupling_map: Any = Unset
    basis_gates: Any = Unset
    _path: ClassVar[str] = "simulator"
    _validators: ClassVar[dict[str, Validator]] = _v(
        seed_simulator=check.integer(none=True),
        coupling_map=_coupling_map,
        basis_gates=check.list_of(check.string(), "gate names", none=True),
    )


@option_group
class DynamicalDecouplingOptions(OptionGroup):
    """Dynamical decoupling settings."""

    enable: Any = Unset
    sequence_type: Any = Unset
    extra_slack_distribution: Any = Unset
    scheduling_method: Any = Unset
    skip_reset_qubits: Any = Unset
    _path: ClassVar[str] = "dynamical_decoupling"
    _validators: ClassVar[dict[str, Validator]] = _v(
        enable=check.boolean(),
        sequence_type=check.choice("XX", "XpXm", "XY4"),
        extra_slack_distribution=check.choice("middle", "edges"),
        scheduling_method=check.choice("alap", "asap"),
        skip_reset_qubits=check.boolean(),
    )


@option_group
class TwirlingOptions(OptionGroup):
    """Pauli twirling settings."""

    enable_gates: Any = Unset
    enable_measure: Any = Unset
    num_randomizations: Any = Unset
    shots_per_randomization: Any = Unset
    strategy: Any = Unset
    _path: ClassVar[str] = "twirling"
    _validators: ClassVar[dict[str, Validator]] = _v(
        enable_gates=check.boolean(),
        enable_measure=check.boolean(),
        num_randomizations=_AUTO_OR_POSITIVE,
        shots_per_randomization=_AUTO_OR_POSITIVE,
        strategy=check.choice("active", "active-accum", "active-circuit", "all"),
    )


@option_group
class ExecutionOptions(OptionGroup):
    """Execution settings of the estimator (``init_qubits``, ``rep_delay``)."""

    init_qubits: Any = Unset
    rep_delay: Any = Unset
    _path: ClassVar[str] = "execution"
    _validators: ClassVar[dict[str, Validator]] = _v(
        init_qubits=check.boolean(), rep_delay=check.number(ge=0)
    )


@option_group
class SamplerExecutionOptions(ExecutionOptions):
    """Execution settings of the sampler (adds ``meas_type``)."""

    meas_type: Any = Unset
    _validators: ClassVar[dict[str, Validator]] = {
        **ExecutionOptions._validators,
        "meas_type": check.choice("classified", "kerneled", "avg_kerneled"),
    }


@option_group
class MeasureNoiseLearningOptions(OptionGroup):
    """Readout-noise learning for TREX."""

    num_randomizations: Any = Unset
    shots_per_randomization: Any = Unset
    _path: ClassVar[str] = "resilience.measure_noise_learning"
    _validators: ClassVar[dict[str, Validator]] = _v(
        num_randomizations=check.integer(lo=1), shots_per_randomization=_AUTO_OR_POSITIVE
    )


@option_group
class ZneOptions(OptionGroup):
    """Zero-noise extrapolation settings."""

    amplifier: Any = Unset
    noise_factors: Any = Unset
    extrapolator: Any = Unset
    extrapolated_noise_factors: Any = Unset
    _path: ClassVar[str] = "resilience.zne"
    _validators: ClassVar[dict[str, Validator]] = _v(
        amplifier=check.choice("gate_folding", "gate_folding_front", "gate_folding_back", "pea"),
        noise_factors=check.list_of(check.number(ge=1), "numbers >= 1"),
        extrapolator=check.either(
            check.choice(*_EXTRAPOLATORS),
            check.list_of(check.choice(*_EXTRAPOLATORS), "extrapolator names"),
            allowed="an extrapolator name or a list of them: " + ", ".join(_EXTRAPOLATORS),
        ),
        extrapolated_noise_factors=check.list_of(check.number(ge=0), "numbers >= 0"),
    )

    def _check(self) -> None:
        factors = self.noise_factors if self.noise_factors is not Unset else [1, 3, 5]
        names = self.extrapolator if self.extrapolator is not Unset else ["exponential", "linear"]
        for name in [names] if isinstance(names, str) else names:
            if len(factors) < _MIN_FACTORS[name]:
                raise IBMInputValueError(
                    f"Extrapolator '{name}' needs at least {_MIN_FACTORS[name]} noise factors, "
                    f"got {list(factors)}: add noise factors or pick another extrapolator."
                )


@option_group
class PecOptions(OptionGroup):
    """Probabilistic error cancellation settings."""

    max_overhead: Any = Unset
    noise_gain: Any = Unset
    _path: ClassVar[str] = "resilience.pec"
    _validators: ClassVar[dict[str, Validator]] = _v(
        max_overhead=check.number(gt=0, none=True),
        noise_gain=check.either(
            check.choice("auto"), check.number(ge=0), allowed="'auto' or a number >= 0"
        ),
    )


@option_group
class LayerNoiseLearningOptions(OptionGroup):
    """Layer noise learning (for PEA/PEC)."""

    max_layers_to_learn: Any = Unset
    shots_per_randomization: Any = Unset
    num_randomizations: Any = Unset
    layer_pair_depths: Any = Unset
    _path: ClassVar[str] = "resilience.layer_noise_learning"
    _validators: ClassVar[dict[str, Validator]] = _v(
        max_layers_to_learn=check.integer(lo=0, none=True),
        shots_per_randomization=check.integer(lo=1),
        num_randomizations=check.integer(lo=1),
        layer_pair_depths=check.list_of(check.integer(lo=0), "ints >= 0"),
    )


@option_group
class ResilienceOptions(OptionGroup):
    """Error mitigation settings of the estimator."""

    measure_mitigation: Any = Unset
    measure_noise_learning: Any = field(default_factory=MeasureNoiseLearningOptions)
    zne_mitigation: Any = Unset
    zne: Any = field(default_factory=ZneOptions)
    pec_mitigation: Any = Unset
    pec: Any = field(default_factory=PecOptions)
    layer_noise_learning: Any = field(default_factory=LayerNoiseLearningOptions)
    layer_noise_model: Any = Unset
    _path: ClassVar[str] = "resilience"
    _groups: ClassVar[dict[str, type[OptionGroup]]] = {
        "measure_noise_learning": MeasureNoiseLearningOptions,
        "zne": ZneOptions,
        "pec": PecOptions,
        "layer_noise_learning": LayerNoiseLearningOptions,
    }
    _validators: ClassVar[dict[str, Validator]] = _v(
        measure_mitigation=check.boolean(),
        zne_mitigation=check.boolean(),
        pec_mitigation=check.boolean(),
    )

    def _check(self) -> None:
        if self.pec_mitigation is True and self.zne_mitigation is True:
            raise IBMInputValueError(
                "'resilience.pec_mitigation' and 'resilience.zne_mitigation' cannot both be True: "
                "choose one error-mitigation method."
            )
        learning = self.measure_noise_learning
        if self.measure_mitigation is False and any(
            v is not Unset for v in learning.to_dict().values()
        ):
            raise IBMInputValueError(
                "'resilience.measure_noise_learning' options need "
                "'resilience.measure_mitigation=True'; enable it or unset the learning options."
            )


@option_group
class _PrimitiveOptions(OptionGroup):
    max_execution_time: Any = Unset
    environment: Any = field(default_factory=EnvironmentOptions)
    simulator: Any = field(default_factory=SimulatorOptions)
    experimental: Any = Unset

    _program_keys: ClassVar[tuple[str, ...]] = ()


@option_group
class SamplerOptions(_PrimitiveOptions):
    """Options of :class:`~qrt_lab.runtime.SamplerV2` (spec §6.3)."""

    default_shots: Any = Unset
    dynamical_decoupling: Any = field(default_factory=DynamicalDecouplingOptions)
    execution: Any = field(default_factory=SamplerExecutionOptions)
    twirling: Any = field(default_factory=TwirlingOptions)
    _groups: ClassVar[dict[str, type[OptionGroup]]] = {
        "environment": EnvironmentOptions,
        "simulator": SimulatorOptions,
        "dynamical_decoupling": DynamicalDecouplingOptions,
        "execution": SamplerExecutionOptions,
        "twirling": TwirlingOptions,
    }
    _validators: ClassVar[dict[str, Validator]] = _v(
        max_execution_time=check.integer(lo=1, none=True),
        experimental=check.mapping(),
        default_shots=check.integer(lo=1, none=True),
    )
    _program_keys = ("default_shots", "dynamical_decoupling", "execution", "twirling", "simulator")


@option_group
class EstimatorOptions(_PrimitiveOptions):
    """Options of :class:`~qrt_lab.runtime.EstimatorV2` (spec §6.4)."""

    default_precision: Any = Unset
    default_shots: Any = Unset
    resilience_level: Any = Unset
    seed_estimator: Any = Unset
    dynamical_decoupling: Any = field(default_factory=DynamicalDecouplingOptions)
    resilience: Any = field(default_factory=ResilienceOptions)
    execution: Any = field(default_factory=ExecutionOptions)
    twirling: Any = field(default_factory=TwirlingOptions)
    _groups: ClassVar[dict[str, type[OptionGroup]]] = {
        "environment": EnvironmentOptions,
        "simulator": SimulatorOptions,
        "dynamical_decoupling": DynamicalDecouplingOptions,
        "resilience": ResilienceOptions,
        "execution": ExecutionOptions,
        "twirling": TwirlingOptions,
    }
    _validators: ClassVar[dict[str, Validator]] = _v(
        max_execution_time=check.integer(lo=1, none=True),
        experimental=check.mapping(),
        default_precision=check.number(gt=0),
        default_shots=check.integer(lo=0, none=True),
        resilience_level=check.integer(lo=0, hi=2),
        seed_estimator=check.integer(none=True),
    )
    _program_keys = (
        "default_precision", "default_shots", "seed_estimator", "dynamical_decoupling",
        "resilience", "twirling", "simulator", "execution",
    )  # fmt: skip


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value


def job_inputs(options: SamplerOptions | EstimatorOptions) -> tuple[dict[str, Any], dict[str, Any]]:
    """Serialise options (spec §6.5).

    Returns:
        ``(params_part, job_fields)``: the ``options``/``resilience_level`` entries of ``params``
        and the job-level fields (``log_level``, ``tags``, ``cost``, ``private``, ``runtime``).
    """
    data = options.to_dict()
    program = {k: copy.deepcopy(data[k]) for k in options._program_keys}
    experimental = dict(data["experimental"]) if isinstance(data["experimental"], dict) else {}
    image = experimental.pop("image", None)
    leftover = {}
    for key, value in experimental.items():
        if key in program and isinstance(value, dict) and isinstance(program[key], dict):
            _deep_merge(program[key], value)
        elif key in program:
            program[key] = value
        else:
            leftover[key] = value
    if leftover:
        program["experimental"] = leftover
    params: dict[str, Any] = {"options": drop_unset(program)}
    if data.get("resilience_level", Unset) is not Unset:
        params["resilience_level"] = data["resilience_level"]
    env = data["environment"]
    job: dict[str, Any] = {"log_level": str(env["log_level"]).upper()}
    if env.get("job_tags"):
        job["tags"] = list(env["job_tags"])
    if data["max_execution_time"] not in (Unset, None):
        job["cost"] = data["max_execution_time"]
    if env.get("private") is True:
        job["private"] = True
    if image:
        job["runtime"] = image
    return params, job


def __getattr__(name: str) -> Any:
    """``NoiseLearnerOptions`` as the official ``qiskit_ibm_runtime.options`` offers it (lazy)."""
    if name == "NoiseLearnerOptions":
        from qrt_lab.runtime.noise_learner import NoiseLearnerOptions

        return NoiseLearnerOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
