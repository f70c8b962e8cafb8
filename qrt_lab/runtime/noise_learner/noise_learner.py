"""``NoiseLearner`` (``NoiseLearnerV2``): the legacy ``noise-learner`` program client.

Deprecated upstream in qiskit-ibm-runtime 0.51 in favour of ``NoiseLearnerV3``; offered so code
written for it ports with the import changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..primitive import RuntimePrimitive
from .options import NoiseLearnerOptions, learner_inputs

if TYPE_CHECKING:
    from ..backend import IBMBackend
    from ..job import RuntimeJobV2
    from ..session import Session

__all__ = ["NoiseLearner"]


class NoiseLearner(RuntimePrimitive):
    """Learn the noise of the layers of circuits (program ``noise-learner``).

    The service finds the unique two-qubit layers of the circuits (twirled with
    ``options.twirling_strategy``), learns up to ``options.max_layers_to_learn`` of them and
    returns a ``NoiseLearnerResult`` of ``LayerError``.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``NoiseLearnerOptions`` or a dict of them.
    """

    _program_id = "noise-learner"

    def __init__(
        self,
        mode: IBMBackend | Session | None = None,
        options: NoiseLearnerOptions | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(mode)
        self._learner_options: NoiseLearnerOptions = self._make_options(options)

    def _make_options(self, options: Any) -> Any:
        from ..exceptions import IBMInputValueError

        if options is None:
            return NoiseLearnerOptions()
        if isinstance(options, NoiseLearnerOptions):
            return options
        if isinstance(options, Mapping):
            made = NoiseLearnerOptions()
            made.update(**options)
            return made
        raise IBMInputValueError(
            f"options must be a NoiseLearnerOptions or a dict, got {type(options).__name__}."
        )

    @property
    def options(self) -> NoiseLearnerOptions:  # type: ignore[override]
        """The options; change them in place or with ``options.update(...)``."""
        return self._learner_options

    def run(self, circuits: Iterable[Any], dry_run: bool = False) -> RuntimeJobV2:
        """Submit the circuits (or estimator PUBs, whose circuits are used) to learn from.

        Args:
            circuits: ISA circuits, or estimator PUB-likes ``(circuit, observables, ...)``.
            dry_run: Run on the service's ``mock_*`` twin of the backend.

        Returns:
            The job; ``job.result()`` is a ``NoiseLearnerResult``.

        Raises:
            IBMInputValueError: No circuits, or a circuit that is not ISA for the backend.
        """
        from qiskit import QuantumCircuit
        from qiskit.primitives.containers.estimator_pub import EstimatorPub

        from ..exceptions import IBMInputValueError
        from ..isa import check_isa

        tasks = [
            c if isinstance(c, QuantumCircuit) else EstimatorPub.coerce(c).circuit for c in circuits
        ]
        if not tasks:
            raise IBMInputValueError("No circuits given: pass the circuits whose layers to learn.")
        if not self._backend.simulator:
            for task in tasks:
                check_isa(task, self._backend.target, self._backend.name)
                self._backend.check_faulty(task)
        program_options, fields = learner_inputs(self.options)
        params = {"circuits": tasks, "options": program_options}
        return self._post_job(params, fields, dry_run)  # circuits travel as QPY (codec)
