"""``RuntimeOptions``: (deprecated upstream) generic options of a runtime job's environment."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from .exceptions import IBMInputValueError

__all__ = ["RuntimeOptions"]

_IMAGE = re.compile(r"[a-zA-Z0-9]+([/.\-_][a-zA-Z0-9]+)*:[a-zA-Z0-9]+([.\-_][a-zA-Z0-9]+)*$")


@dataclass
class RuntimeOptions:
    """(DEPRECATED in qiskit-ibm-runtime) Options of a job's execution environment.

    Kept so code that builds them keeps importing; the primitives take their own options.

    Args:
        backend: Target backend (name or object).
        image: Runtime image ``name:tag``.
        log_level: ``DEBUG``, ``INFO``, ``WARNING``, ``ERROR`` or ``CRITICAL``.
        instance: The instance CRN.
        job_tags: Tags for the job.
        max_execution_time: Maximum execution time in seconds.
        session_time: Length of the session in seconds.
        private: Private jobs keep no inputs or results after completion.
    """

    backend: Any = None
    image: str | None = None
    log_level: str | None = None
    instance: str | None = None
    job_tags: list[str] | None = None
    max_execution_time: int | None = None
    session_time: int | None = None
    private: bool | None = False

    def validate(self, channel: str) -> None:
        """Check the options.

        Raises:
            IBMInputValueError: An invalid image, log level or job tags.
        """
        if self.image and not _IMAGE.match(self.image):
            raise IBMInputValueError('"image" needs to be in form of image_name:tag')
        if self.log_level and not isinstance(logging.getLevelName(self.log_level.upper()), int):
            raise IBMInputValueError(
                f"{self.log_level} is not a valid log level. The valid log levels are: `DEBUG`, "
                "`INFO`, `WARNING`, `ERROR`, and `CRITICAL`."
            )
        if self.job_tags is not None and (
            not isinstance(self.job_tags, list)
            or not all(isinstance(tag, str) and tag for tag in self.job_tags)
        ):
            raise IBMInputValueError(
                f"job_tags needs to be a list of non-empty strings: {self.job_tags!r}"
            )

    def get_backend_name(self) -> str | None:
        """The backend's name, or None."""
        if isinstance(self.backend, str) or self.backend is None:
            return self.backend
        name = self.backend.name
        return str(name() if callable(name) else name)
