"""``EstimatorV2``: Qiskit's ``BaseEstimatorV2`` on the runtime service."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qiskit.primitives import BaseEstimatorV2, PrimitiveJob
from qiskit.primitives.containers.estimator_pub import EstimatorPub

from . import codec, local_mode
from .exceptions import IBMInputValueError
from .job import RuntimeJobV2
from .options import EstimatorOptions
from .primitive import RuntimePrimitive

__all__ = ["EstimatorV2"]


class EstimatorV2(RuntimePrimitive, BaseEstimatorV2):  # type: ignore[misc]
    """Estimate expectation values on a runtime backend.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``EstimatorOptions`` or a (nested) dict of them.
    """

    _program_id = "estimator"
    _options_class = EstimatorOptions

    def _typed_options(self) -> EstimatorOptions:
        assert isinstance(self._options, EstimatorOptions)
        return self._options

    def run(
        self, pubs: Iterable[Any], *, precision: float | None = None, dry_run: bool = False
    ) -> RuntimeJobV2 | PrimitiveJob[Any]:
        """Submit estimator PUBs ``(circuit, observables[, values[, precision]])``.

        Args:
            pubs: The PUBs; observables must be laid out on the circuit's qubits.
            precision: Target precision for PUBs that do not set their own.
            dry_run: Run on the service's ``mock_*`` twin of the backend (validation, timing and
                usage estimates with mock data).

        Returns:
            The job; ``job.result()`` is a Qiskit ``PrimitiveResult``. In local testing mode
            (``mode`` a fake backend or ``AerSimulator``) it is Qiskit's ``PrimitiveJob``.

        Raises:
            IBMInputValueError: A PUB is invalid or not an ISA circuit for the backend.
        """
        if precision is not None and (not isinstance(precision, (int, float)) or precision <= 0):
            raise IBMInputValueError(f"precision must be a number > 0, got {precision!r}.")
        if self._local is not None:
            return local_mode.run_estimator(
                self._local, pubs, precision, self._typed_options(), dry_run
            )
        coerced = [EstimatorPub.coerce(pub, precision) for pub in pubs]
        if not coerced:
            raise IBMInputValueError("run() needs at least one PUB.")
        for index, pub in enumerate(coerced):
            if pub.observables.size == 0:
                raise IBMInputValueError(f"PUB {index} has an empty observables array.")
            self._validate_circuit(pub.circuit)
        if not dry_run:
            from .advice.usage_warning import estimator_shots

            default = getattr(self._options, "default_precision", None)
            default = default if isinstance(default, (int, float)) else 0.015625
            self._warn_usage(
                [
                    (max(p.size, 1) * estimator_shots(p.precision, default), p.circuit)
                    for p in coerced
                ]
            )
        return self._submit([codec.encode_estimator_pub(pub) for pub in coerced], dry_run)
