"""``NoiseLearnerV3``: learns the Pauli-Lindblad noise of layers (program ``noise-learner``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..primitive import RuntimePrimitive

if TYPE_CHECKING:
    from ..backend import IBMBackend
    from ..job import RuntimeJobV2
    from ..options_models import NoiseLearnerV3Options
    from ..session import Session

__all__ = ["NoiseLearnerV3"]


class NoiseLearnerV3(RuntimePrimitive):
    """Learn the noise of twirled layers (boxes) on a backend.

    ``run(instructions)`` takes box instructions, typically the unique layers of boxed circuits
    (``samplomatic.utils.find_unique_box_instructions``); the job's result is
    ``NoiseLearnerV3Results``, whose ``to_dict(instructions)`` gives the noise maps a
    ``QuantumProgram`` or the PEA/PEC Estimator (``resilience.layer_noise_model``) uses.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``NoiseLearnerV3Options`` or a dict to construct one.
    """

    _program_id = "noise-learner"
    _SCHEMA_VERSION = "v0.3"

    def __init__(
        self,
        mode: IBMBackend | Session | None = None,
        options: NoiseLearnerV3Options | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(mode)
        self._model_options: NoiseLearnerV3Options = self._make_options(options)

    def _make_options(self, options: Any) -> Any:
        from ..executor.executor import _coerce_options
        from ..options_models import NoiseLearnerV3Options

        return _coerce_options(options, NoiseLearnerV3Options)

    @property  # type: ignore[override]
    def options(self) -> NoiseLearnerV3Options:
        """The options (``options_models.NoiseLearnerV3Options``)."""
        return self._model_options

    @options.setter
    def options(self, value: NoiseLearnerV3Options | Mapping[str, Any]) -> None:
        self._model_options = self._make_options(value)

    @property
    def mode(self) -> Session | None:  # type: ignore[override]
        """The session or batch jobs run in, or None in job mode."""
        return self._session

    def run(self, instructions: Iterable[Any], dry_run: bool = False) -> RuntimeJobV2:
        """Submit the instructions whose noise is to be learned.

        Args:
            instructions: Twirled box instructions on the backend's physical qubits.
            dry_run: Run on the service's ``mock_*`` twin of the backend.

        Returns:
            The job; ``job.result()`` is ``NoiseLearnerV3Results``.

        Raises:
            IBMInputValueError: An instruction cannot be learned (with the reason).
        """
        from ..exceptions import IBMInputValueError
        from ..options_models.environment import job_fields
        from .validation import validate_instruction
        from .wire import encode_params

        listed = list(instructions)
        if not listed:
            raise IBMInputValueError("No instructions given: pass the box instructions to learn.")
        target = self._backend.target
        for instruction in listed:
            validate_instruction(instruction, target)
        options = self.options
        fields = job_fields(options.environment, options.max_execution_time)
        return self._post_job(encode_params(listed, options), fields, dry_run)
