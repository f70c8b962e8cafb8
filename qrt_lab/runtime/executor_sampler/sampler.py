"""``Sampler``: the client-side Sampler that runs on the ``executor`` program."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from qiskit.primitives import BaseSamplerV2
from qiskit.primitives.containers.sampler_pub import SamplerPub

from ..isa import check_isa
from ..primitive import RuntimePrimitive

if TYPE_CHECKING:
    from ..backend import IBMBackend
    from ..job import RuntimeJobV2
    from ..options_models import SamplerOptions
    from ..session import Session

__all__ = ["Sampler", "SamplerV2"]


class Sampler(RuntimePrimitive, BaseSamplerV2):  # type: ignore[misc]
    """Sample circuits with client-side twirling; jobs run the ``executor`` program.

    Same ``run(pubs, *, shots=None)`` and ``PrimitiveResult`` of ``SamplerPubResult`` as
    ``SamplerV2``, with the differences of the official client-side Sampler: pydantic
    ``options_models.SamplerOptions``, one shots value for all PUBs, twirling done in the client
    (``num_randomizations`` in each PUB's metadata) and ``metadata["executor"].chunk_timing``
    instead of execution spans.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``options_models.SamplerOptions`` or a dict to construct one.

    Example:
        >>> sampler = Sampler(mode=backend)
        >>> sampler.options.default_shots = 2048
        >>> counts = sampler.run([circuit]).result()[0].data.meas.get_counts()
    """

    _program_id = "executor"

    def __init__(
        self,
        mode: IBMBackend | Session | None = None,
        options: SamplerOptions | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(mode)
        self._model_options: SamplerOptions = self._make_options(options)

    def _make_options(self, options: Any) -> Any:
        from ..executor.executor import _coerce_options
        from ..options_models import SamplerOptions

        return _coerce_options(options, SamplerOptions)

    @property  # type: ignore[override]
    def options(self) -> SamplerOptions:
        """The options (``options_models.SamplerOptions``)."""
        return self._model_options

    @options.setter
    def options(self, value: SamplerOptions | Mapping[str, Any]) -> None:
        self._model_options = self._make_options(value)

    @property
    def mode(self) -> Session | None:  # type: ignore[override]
        """The session or batch jobs run in, or None in job mode."""
        return self._session

    def find_unique_layers(self, pubs: Iterable[Any], types: str = "gates") -> list[Any]:
        """The distinct boxed layers of the PUBs' circuits (for noise learning).

        Args:
            pubs: Sampler PUBs.
            types: ``"gates"`` (gate layers only) or ``"all"``.

        Raises:
            IBMInputValueError: ``types`` is neither ``"gates"`` nor ``"all"``.
        """
        from ..exceptions import IBMInputValueError
        from .layers import unique_layers

        if types not in ("gates", "all"):
            raise IBMInputValueError(f"types must be 'gates' or 'all', got {types!r}.")
        circuits = [SamplerPub.coerce(pub, None).circuit for pub in pubs]
        return unique_layers(circuits, self.finalize_options(), types)

    def finalize_options(self) -> SamplerOptions:
        """The options with the Sampler's defaults filled in, as a job would use them."""
        from .prepare import finalize_sampler_options

        return finalize_sampler_options(self.options)

    def run(
        self, pubs: Iterable[Any], *, shots: int | None = None, dry_run: bool = False
    ) -> RuntimeJobV2:
        """Submit sampler PUBs; they must all use the same number of shots.

        Args:
            pubs: Circuits, ``(circuit, values)`` or ``(circuit, values, shots)``.
            shots: Shots for PUBs that do not set their own.
            dry_run: Run on the service's ``mock_*`` twin (random data, right schema).

        Returns:
            The job; ``job.result()`` is a ``PrimitiveResult`` of ``SamplerPubResult``.

        Raises:
            IBMInputValueError: Invalid PUBs, different shots, or incompatible options.
        """
        from ..executor import Executor
        from .prepare import prepare, program_shots

        coerced = [SamplerPub.coerce(pub, shots) for pub in pubs]
        if not self._backend.simulator:
            for pub in coerced:
                check_isa(pub.circuit, self._backend.target, self._backend.name)
        dd = self.options.dynamical_decoupling.enable
        target = self._backend.target if dd else None  # DD schedules with gate durations
        program, executor_options = prepare(coerced, self.options, shots, target)
        if not dry_run:
            from ..advice.usage_warning import warn_if_over_usage

            each = program_shots(coerced, shots or self.finalize_options().default_shots)
            warn_if_over_usage(self._backend, [(max(p.size, 1) * each, p.circuit) for p in coerced])
        executor = Executor(self._session or self._backend, executor_options)
        return executor.run(program, dry_run=dry_run)


SamplerV2 = Sampler
