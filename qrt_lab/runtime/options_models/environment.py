"""Job environment options: log level, tags, privacy, image."""

from __future__ import annotations

import warnings
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from .base import BaseOptionsModel

__all__ = ["EnvironmentOptions", "job_fields"]

LogLevelType = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def _warn_max_execution_time(value: int | None) -> int | None:
    if value:
        warnings.warn(
            "Setting `max_execution_time` via `EnvironmentOptions` is deprecated as of "
            "qiskit-ibm-runtime 0.50.0: set it from the top-level options.",
            DeprecationWarning,
            stacklevel=4,
        )
    return value


class EnvironmentOptions(BaseOptionsModel):
    """Options about the job rather than the program."""

    log_level: LogLevelType = "WARNING"
    """Logging level of the program on the service."""
    job_tags: list[str] = Field(default_factory=list)
    """Tags for the job (filter with ``service.jobs(job_tags=...)``)."""
    private: bool = False
    """Private jobs keep no inputs or results on the service after completion."""
    max_execution_time: Annotated[int | None, AfterValidator(_warn_max_execution_time)] = None
    """Deprecated: use the top-level ``max_execution_time``."""
    image: (
        Annotated[
            str,
            Field(
                pattern="[a-zA-Z0-9]+([/.\\-_][a-zA-Z0-9]+)*:[a-zA-Z0-9]+([.\\-_][a-zA-Z0-9]+)*$"
            ),
        ]
        | None
    ) = None
    """Runtime image ``name:tag`` to run the program with."""


def job_fields(environment: EnvironmentOptions, max_execution_time: int | None) -> dict[str, Any]:
    """The job-level fields of ``POST /jobs`` (``log_level``, ``tags``, ``cost``, ...)."""
    fields: dict[str, Any] = {"log_level": environment.log_level}
    if environment.job_tags:
        fields["tags"] = list(environment.job_tags)
    cost = max_execution_time or environment.max_execution_time
    if cost:
        fields["cost"] = cost
    if environment.private:
        fields["private"] = True
    if environment.image:
        fields["runtime"] = environment.image
    return fields
