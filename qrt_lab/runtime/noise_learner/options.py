"""``NoiseLearnerOptions``: options of the legacy noise learner (dataclass style)."""

from __future__ import annotations

import copy
from dataclasses import field
from typing import Any, ClassVar

from ..options import EnvironmentOptions, SimulatorOptions
from ..options.fields import OptionGroup, Unset, Validator, check, drop_unset, option_group

__all__ = ["NoiseLearnerOptions", "learner_inputs"]

_STRATEGIES = ("active", "active-accum", "active-circuit", "all")


def _depths(path: str, value: Any) -> Any:
    return check.list_of(check.integer(lo=0), "whole numbers >= 0")(path, value)


@option_group
class NoiseLearnerOptions(OptionGroup):
    """Options of ``NoiseLearner``: unset fields take the service's defaults.

    Fields: ``max_layers_to_learn`` (>= 0 or None), ``shots_per_randomization`` (>= 1),
    ``num_randomizations`` (>= 1), ``layer_pair_depths`` (whole numbers >= 0),
    ``twirling_strategy`` (``active``, ``active-accum``, ``active-circuit``, ``all``),
    ``experimental``, ``environment``, ``simulator``, ``max_execution_time``.
    """

    max_execution_time: Any = Unset
    environment: Any = field(default_factory=EnvironmentOptions)
    simulator: Any = field(default_factory=SimulatorOptions)
    max_layers_to_learn: Any = Unset
    shots_per_randomization: Any = Unset
    num_randomizations: Any = Unset
    layer_pair_depths: Any = Unset
    twirling_strategy: Any = Unset
    experimental: Any = Unset
    _groups: ClassVar[dict[str, type[OptionGroup]]] = {
        "environment": EnvironmentOptions,
        "simulator": SimulatorOptions,
    }
    _validators: ClassVar[dict[str, Validator]] = {
        "max_execution_time": check.integer(lo=1, none=True),
        "max_layers_to_learn": check.integer(lo=0, none=True),
        "shots_per_randomization": check.integer(lo=1),
        "num_randomizations": check.integer(lo=1),
        "layer_pair_depths": _depths,
        "twirling_strategy": check.choice(*_STRATEGIES),
        "experimental": check.mapping(),
    }


_LEARNER_KEYS = (
    "simulator",
    "max_layers_to_learn",
    "shots_per_randomization",
    "num_randomizations",
    "layer_pair_depths",
    "twirling_strategy",
    "experimental",
)


def learner_inputs(options: NoiseLearnerOptions) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(params options, job fields)``: what the program reads, and ``log_level``/``tags``/..."""
    data = options.to_dict()
    program = drop_unset({key: copy.deepcopy(data[key]) for key in _LEARNER_KEYS})
    if isinstance(program.get("experimental"), dict):
        program["experimental"].pop("image", None)
    program["support_qiskit"] = True
    env = data["environment"]
    fields: dict[str, Any] = {"log_level": str(env["log_level"]).upper()}
    if env.get("job_tags"):
        fields["tags"] = list(env["job_tags"])
    if data["max_execution_time"] not in (Unset, None):
        fields["cost"] = data["max_execution_time"]
    if env.get("private") is True:
        fields["private"] = True
    return program, fields
