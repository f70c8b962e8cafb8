"""``SamplerV2``: Qiskit's ``BaseSamplerV2`` on the runtime service."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from qiskit.primitives import BaseSamplerV2, PrimitiveJob
from qiskit.primitives.containers.sampler_pub import SamplerPub

from . import codec, local_mode
from .exceptions import IBMInputValueError
from .job import RuntimeJobV2
from .options import SamplerOptions
from .primitive import RuntimePrimitive

__all__ = ["SamplerV2"]


class SamplerV2(RuntimePrimitive, BaseSamplerV2):  # type: ignore[misc]
    """Sample circuits on a runtime backend.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``SamplerOptions`` or a (nested) dict of them.
    """

    _program_id = "sampler"
    _options_class = SamplerOptions

    def _typed_options(self) -> SamplerOptions:
        assert isinstance(self._options, SamplerOptions)
        return self._options

    def run(
        self, pubs: Iterable[Any], *, shots: int | None = None, dry_run: bool = False
    ) -> RuntimeJobV2 | PrimitiveJob[Any]:
        """Submit sampler PUBs: circuits, ``(circuit, values)`` or ``(circuit, values, shots)``.

        Args:
            pubs: The PUBs.
            shots: Shots for PUBs that do not set their own.
            dry_run: Run on the service's ``mock_*`` twin of the backend (validation, timing and
                usage estimates with mock data).

        Returns:
            The job; ``job.result()`` is a Qiskit ``PrimitiveResult``. In local testing mode
            (``mode`` a fake backend or ``AerSimulator``) it is Qiskit's ``PrimitiveJob``.

        Raises:
            IBMInputValueError: A PUB is invalid or not an ISA circuit for the backend.
        """
        if shots is not None and (not isinstance(shots, int) or shots < 1):
            raise IBMInputValueError(f"shots must be a positive int, got {shots!r}.")
        if self._local is not None:
            return local_mode.run_sampler(self._local, pubs, shots, self._typed_options(), dry_run)
        coerced = [SamplerPub.coerce(pub, shots) for pub in pubs]
        if not coerced:
            raise IBMInputValueError("run() needs at least one PUB.")
        for pub in coerced:
            if not pub.circuit.cregs:
                warnings.warn(
                    f"Circuit {pub.circuit.name!r} has no classical registers: its result holds "
                    "no data. Add measurements (circuit.measure_all()).",
                    stacklevel=2,
                )
            self._validate_circuit(pub.circuit)
        if not dry_run:
            default = self._options.default_shots
            default = default if isinstance(default, int) else 4096
            self._warn_usage([(max(p.size, 1) * (p.shots or default), p.circuit) for p in coerced])
        return self._submit([codec.encode_sampler_pub(pub) for pub in coerced], dry_run)
