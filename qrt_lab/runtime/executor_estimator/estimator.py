"""``Estimator``: the client-side Estimator that runs on the ``executor`` program."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from qiskit.primitives import BaseEstimatorV2
from qiskit.primitives.containers.estimator_pub import EstimatorPub

from ..isa import check_isa
from ..primitive import RuntimePrimitive

if TYPE_CHECKING:
    from ..backend import IBMBackend
    from ..job import RuntimeJobV2
    from ..options_models import EstimatorOptions
    from ..session import Session

__all__ = ["Estimator", "EstimatorV2"]


class Estimator(RuntimePrimitive, BaseEstimatorV2):  # type: ignore[misc]
    """Estimate expectation values with client-side mitigation; jobs run the ``executor`` program.

    Same ``run(pubs, *, precision=None)`` and ``PrimitiveResult`` as ``EstimatorV2``, with the
    official client-side Estimator's rules: pydantic ``options_models.EstimatorOptions``, one
    precision for all PUBs, twirling/TREX/ZNE/PEA/PEC done in the client with qiskit-mitigation
    (PEA and PEC need ``options.resilience.layer_noise_model`` from a noise learner), results
    with ``evs``, ``stds`` (twirl spread) and ``ensemble_standard_error`` (ZNE adds the
    noise-factor fields), and ``metadata["executor"].chunk_timing``.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``options_models.EstimatorOptions`` or a dict to construct one.
    """

    _program_id = "executor"

    def __init__(
        self,
        mode: IBMBackend | Session | None = None,
        options: EstimatorOptions | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(mode)
        self._model_options: EstimatorOptions = self._make_options(options)

    def _make_options(self, options: Any) -> Any:
        from ..executor.executor import _coerce_options
        from ..options_models import EstimatorOptions

        return _coerce_options(options, EstimatorOptions)

    @property  # type: ignore[override]
    def options(self) -> EstimatorOptions:
        """The options (``options_models.EstimatorOptions``)."""
        return self._model_options

    @options.setter
    def options(self, value: EstimatorOptions | Mapping[str, Any]) -> None:
        self._model_options = self._make_options(value)

    @property
    def mode(self) -> Session | None:  # type: ignore[override]
        """The session or batch jobs run in, or None in job mode."""
        return self._session

    def find_unique_layers(self, pubs: Iterable[Any], types: str = "gates") -> list[Any]:
        """The distinct boxed layers of the PUBs, boxed as ``run`` would with these options.

        For noise learning before PEC/PEA::

            layers = estimator.find_unique_layers(pubs)
            maps = NoiseLearnerV3(mode).run(layers).result().to_pauli_lindblad_maps()
            estimator.options.resilience.layer_noise_model = list(zip(layers, maps))

        Args:
            pubs: Estimator PUBs.
            types: ``"gates"`` (gate layers only) or ``"all"``.

        Raises:
            IBMInputValueError: ``types`` is neither ``"gates"`` nor ``"all"``.
        """
        from ..exceptions import IBMInputValueError
        from .prepare import unique_layers

        if types not in ("gates", "all"):
            raise IBMInputValueError(f"types must be 'gates' or 'all', got {types!r}.")
        return unique_layers(pubs, self.options, types)

    def finalize_options(self) -> EstimatorOptions:
        """The options with the resilience level's defaults filled in, as a job would use them."""
        from .finalize import finalize_estimator_options

        return finalize_estimator_options(self.options)

    def run(
        self, pubs: Iterable[Any], *, precision: float | None = None, dry_run: bool = False
    ) -> RuntimeJobV2:
        """Submit estimator PUBs; they must all use the same precision.

        Args:
            pubs: ``(circuit, observables)``, ``(circuit, observables, values)`` or with a
                precision as fourth element.
            precision: Precision of PUBs that set none.
            dry_run: Run on the service's ``mock_*`` twin (random data, right schema).

        Returns:
            The job; ``job.result()`` is a ``PrimitiveResult`` of ``EstimatorPubResult``.

        Raises:
            IBMInputValueError: Invalid PUBs, different precisions, or incompatible options.
        """
        from ..executor import Executor
        from .prepare import prepare

        coerced = [EstimatorPub.coerce(pub, precision) for pub in pubs]
        if not self._backend.simulator:
            for pub in coerced:
                check_isa(pub.circuit, self._backend.target, self._backend.name)
        dd = self.options.dynamical_decoupling.enable
        target = self._backend.target if dd else None  # DD schedules with gate durations
        program, executor_options = prepare(coerced, self.options, precision, target)
        executor = Executor(self._session or self._backend, executor_options)
        return executor.run(program, dry_run=dry_run)


EstimatorV2 = Estimator
