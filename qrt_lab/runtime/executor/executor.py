"""``Executor``: runs a ``QuantumProgram`` as an ``executor`` job (schema v2.0)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..exceptions import IBMInputValueError
from ..primitive import RuntimePrimitive

if TYPE_CHECKING:
    from samplomatic.quantum_program import QuantumProgram as SamplomaticQuantumProgram

    from ..backend import IBMBackend
    from ..job import RuntimeJobV2
    from ..options_models import ExecutorOptions
    from ..session import Session

__all__ = ["Executor"]


def _coerce_options(options: Any, model: type[Any]) -> Any:
    if options is None:
        return model()
    if isinstance(options, model):
        return options
    if isinstance(options, Mapping):
        return model(**options)
    raise TypeError(f"Expected {model.__name__} or dict, got {type(options)}")


class Executor(RuntimePrimitive):
    """Run ``QuantumProgram``s on a backend, in a session or in a batch.

    ``Executor(backend).run(program)`` submits the program to the ``executor`` program and
    returns the job; ``job.result()`` is a ``QuantumProgramResult`` (one dict of arrays per item,
    ``metadata.chunk_timing``), or the primitive result when a client-side primitive built the
    program.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``ExecutorOptions`` or a dict to construct one.

    Raises:
        TypeError: ``options`` is neither ``ExecutorOptions`` nor a dict.
    """

    _program_id = "executor"
    _SCHEMA_VERSION = "v2.0"

    def __init__(
        self,
        mode: IBMBackend | Session | None = None,
        options: ExecutorOptions | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(mode)
        self._model_options: ExecutorOptions = self._make_options(options)

    def _make_options(self, options: Any) -> Any:
        from ..options_models import ExecutorOptions

        return _coerce_options(options, ExecutorOptions)

    @property  # type: ignore[override]
    def options(self) -> ExecutorOptions:
        """The options of this executor."""
        return self._model_options

    @options.setter
    def options(self, value: ExecutorOptions | Mapping[str, Any]) -> None:
        self._model_options = self._make_options(value)

    @property
    def mode(self) -> Session | None:  # type: ignore[override]
        """The session or batch jobs run in, or None in job mode."""
        return self._session

    def run(self, program: SamplomaticQuantumProgram, dry_run: bool = False) -> RuntimeJobV2:
        """Run a quantum program.

        Args:
            program: The program; a samplomatic ``QuantumProgram`` is converted.
            dry_run: Run on the service's ``mock_*`` twin of the backend: the result has the
                right schema with random data.

        Returns:
            The job.

        Raises:
            IBMInputValueError: The program has no items or cannot be encoded.
        """
        from samplomatic.quantum_program import QuantumProgram as SamplomaticQuantumProgram

        from ..options_models.environment import job_fields
        from ..quantum_program import QuantumProgram
        from ..quantum_program.wire import encode_params

        if not isinstance(program, SamplomaticQuantumProgram):
            raise IBMInputValueError(
                f"Executor.run() takes a QuantumProgram, got {type(program).__name__}."
            )
        if not isinstance(program, QuantumProgram):
            program = QuantumProgram.from_(program)
        if not program.items:
            raise IBMInputValueError(
                "The QuantumProgram has no items: add one with append_circuit_item() or "
                "append_samplex_item()."
            )
        options = self.options
        params = encode_params(program, options)
        fields = job_fields(options.environment, options.max_execution_time)
        return self._post_job(params, fields, dry_run)
