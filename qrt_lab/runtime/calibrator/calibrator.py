"""``Calibrator``: runs the ``calibrate`` program on a backend (schema v0.1)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..primitive import RuntimePrimitive

if TYPE_CHECKING:
    from ..backend import IBMBackend
    from ..job import RuntimeJobV2
    from ..options_models import CalibratorOptions
    from ..session import Session

__all__ = ["Calibrator", "CalibratorResult", "decode_calibrator_result"]

SCHEMA_VERSION = "v0.1"


class CalibratorResult:
    """When the calibration ran: ``start`` and ``stop`` (timezone-aware datetimes)."""

    def __init__(self, start: datetime.datetime, stop: datetime.datetime) -> None:
        self.start = start
        self.stop = stop

    def __repr__(self) -> str:
        return f"<{type(self).__name__}(start='{self.start}', stop='{self.stop}')>"


def decode_calibrator_result(text: str) -> CalibratorResult:
    """A ``CalibratorResultModel`` text as a ``CalibratorResult``.

    Raises:
        ValueError: An unknown schema version or an invalid document.
    """
    from ibm_quantum_schemas.calibrator.version_0_1 import CalibratorResultModel

    version = json.loads(text).get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(
            f"No decoder found for calibrate schema version {version!r} (this client reads "
            f"{SCHEMA_VERSION})."
        )
    model = CalibratorResultModel.model_validate_json(text)
    return CalibratorResult(start=model.start, stop=model.stop)


class Calibrator:
    """Calibrate a backend: submits the ``calibrate`` program, whose result says when it ran.

    Args:
        mode: A backend (job mode), a ``Session`` or a ``Batch``; None inside ``with Session``.
        options: ``CalibratorOptions`` or a dict to construct one.

    Raises:
        TypeError: ``options`` is neither ``CalibratorOptions`` nor a dict.
    """

    def __init__(
        self,
        mode: IBMBackend | Session | None = None,
        options: CalibratorOptions | Mapping[str, Any] | None = None,
    ) -> None:
        self._runner = _CalibrateRunner(mode, options)

    @property
    def options(self) -> CalibratorOptions:
        """The options (``options_models.CalibratorOptions``)."""
        return self._runner._model_options

    @options.setter
    def options(self, value: CalibratorOptions | Mapping[str, Any]) -> None:
        self._runner._model_options = self._runner._make_options(value)

    @property
    def mode(self) -> Session | None:
        """The session or batch jobs run in, or None in job mode."""
        return self._runner._session

    def backend(self) -> IBMBackend:
        """The backend to calibrate."""
        return self._runner.backend()

    def run(self) -> RuntimeJobV2:
        """Submit the calibration; ``job.result()`` is a ``CalibratorResult``."""
        from ibm_quantum_schemas.calibrator.version_0_1 import OptionsModel, ParamsModel

        from ..options_models.environment import job_fields

        options = self.options
        params = ParamsModel(options=OptionsModel(experimental=options.experimental))
        fields = job_fields(options.environment, None)
        return self._runner._post_job(params.model_dump(mode="json"), fields, False)


class _CalibrateRunner(RuntimePrimitive):
    """Mode resolution and submission for the ``calibrate`` program."""

    _program_id = "calibrate"

    def __init__(self, mode: Any, options: Any) -> None:
        super().__init__(mode)
        self._model_options: CalibratorOptions = self._make_options(options)

    def _make_options(self, options: Any) -> Any:
        from ..executor.executor import _coerce_options
        from ..options_models import CalibratorOptions

        return _coerce_options(options, CalibratorOptions)
