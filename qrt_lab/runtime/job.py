"""``RuntimeJobV2``: a submitted sampler/estimator job (spec §4).

``status()`` asks the service; ``service.refresh_jobs(jobs)`` refreshes many jobs with a few list
requests instead, and jobs built from ``service.jobs(...)`` start with the listed status.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections.abc import Callable, Container, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from qiskit.primitives import BasePrimitiveJob

from . import codec, display
from .api.timestamps import read_timestamp
from .exceptions import (
    IBMApiError,
    IBMRuntimeError,
    RequestsApiError,
    RuntimeInvalidStateError,
    RuntimeJobFailureError,
    RuntimeJobMaxTimeoutError,
    RuntimeJobNotFound,
    RuntimeJobTimeoutError,
)
from .status import (
    FINAL_STATUSES,
    KNOWN_STATUSES,
    MAX_TIME_EXCEEDED,
    UNKNOWN_STATUS_LIMIT,
    job_reason,
    job_reason_code,
    job_status_from_api,
)
from .summaries.reasons import explain_reason

if TYPE_CHECKING:
    from .api.rest import RuntimeRest
    from .backend import IBMBackend
    from .service import QiskitRuntimeService

__all__ = ["RuntimeJobV2"]

MIN_POLL = 0.1


class RuntimeJobV2(BasePrimitiveJob):  # type: ignore[misc]  # qiskit ships no type hints
    """A job of the Qiskit Runtime service.

    Args:
        job_id: The job id.
        rest: The REST client of the job's instance.
        service: The service the job belongs to.
        backend: The backend (or its name) the job runs on.
        program_id: ``sampler`` or ``estimator``.
        session_id: The session or batch id, if any.
        data: A job document to prime the state from (``GET /jobs/{id}`` shape).
    """

    def __init__(
        self,
        job_id: str,
        rest: RuntimeRest,
        service: QiskitRuntimeService | None = None,
        backend: IBMBackend | str | None = None,
        program_id: str | None = None,
        session_id: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(job_id)
        self._rest = rest
        self._service = service
        self._backend = backend
        self._program_id = program_id
        self._session_id = session_id
        self._status = "INITIALIZING"
        self._reason: str | None = None
        self._reason_code: int | None = None
        self._data: dict[str, Any] = {}
        self._error_message: str | None = None
        self._inputs: dict[str, Any] | None = None
        if data:
            self._apply(data)

    def __repr__(self) -> str:
        return f"<RuntimeJobV2('{self.job_id()}', '{self.primitive_id}')>"

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, Any]:
        """Rich display (see :mod:`qrt_lab.runtime.display`); plain ``repr`` by default."""
        return display.mimebundle(self, "job", include, exclude)

    # --- state
    def _apply(self, data: Mapping[str, Any]) -> None:
        """Update from a job document (status, reason and metadata)."""
        self._data.update({k: v for k, v in data.items() if k != "params"})
        state = data.get("state") or {"status": data.get("status")}
        self._status = job_status_from_api(state)
        self._reason = job_reason(state)
        self._reason_code = job_reason_code(state)
        program = data.get("program")
        if isinstance(program, Mapping) and program.get("id"):
            self._program_id = str(program["id"])
        if data.get("session_id"):
            self._session_id = str(data["session_id"])

    def _fetch(self) -> None:
        try:
            self._apply(self._rest.job(self.job_id()))
        except RequestsApiError as err:
            if err.status_code == 404:
                raise RuntimeJobNotFound(f"Job not found: {self.job_id()}. {err}") from None
            raise IBMRuntimeError(f"Failed to get job status for {self.job_id()}: {err}") from None

    def status(self) -> str:
        """Fetch and return the status: INITIALIZING, QUEUED, RUNNING, DONE, CANCELLED, ERROR."""
        self._fetch()
        return self._status

    def cached_status(self) -> str:
        """The last known status (no network call)."""
        return self._status

    def done(self) -> bool:
        """Whether the job finished successfully."""
        return self.status() == "DONE"

    def running(self) -> bool:
        """Whether the job is running."""
        return self.status() == "RUNNING"

    def cancelled(self) -> bool:
        """Whether the job was cancelled."""
        return self.status() == "CANCELLED"

    def errored(self) -> bool:
        """Whether the job failed."""
        return self.status() == "ERROR"

    def in_final_state(self) -> bool:
        """Whether the job reached DONE, CANCELLED or ERROR."""
        return self._status in FINAL_STATUSES or self.status() in FINAL_STATUSES

    def wait_for_final_state(
        self, timeout: float | None = None, poll_interval: float | None = None
    ) -> None:
        """Poll until the job is final.

        An unknown (new) API status is polled like a running one; without a ``timeout`` the wait
        ends after ``UNKNOWN_STATUS_LIMIT`` seconds of unknown status instead of hanging forever.

        Raises:
            RuntimeJobTimeoutError: ``timeout`` expired, or the status stayed unknown too long.
        """
        interval = (
            poll_interval if poll_interval is not None else (0.1 if self._session_id else 0.5)
        )
        if interval < MIN_POLL:
            warnings.warn(f"poll_interval raised to the minimum of {MIN_POLL} s.", stacklevel=2)
            interval = MIN_POLL
        start = time.monotonic()
        unknown_since: float | None = None
        while self._status not in FINAL_STATUSES:
            self._fetch()
            if self._status in FINAL_STATUSES:
                break
            now = time.monotonic()
            if timeout is not None and now - start >= timeout:
                raise RuntimeJobTimeoutError(
                    f"Timed out waiting for job to complete after {timeout} secs."
                )
            if self._status not in KNOWN_STATUSES:
                unknown_since = unknown_since if unknown_since is not None else now
                if timeout is None and now - unknown_since >= UNKNOWN_STATUS_LIMIT:
                    raise RuntimeJobTimeoutError(
                        f"Job {self.job_id()} has reported the unknown status '{self._status}' "
                        f"for {UNKNOWN_STATUS_LIMIT:.0f} s; stopped waiting. Check the job in "
                        "the service, or upgrade qrt-lab if the service added a new status."
                    )
            else:
                unknown_since = None
            time.sleep(interval)

    # --- results and errors
    def result(
        self,
        timeout: float | None = None,
        decoder: Callable[[str], Any] | Any | None = None,
        poll_interval: float | None = None,
    ) -> Any:
        """Wait for the job and return its result (a Qiskit ``PrimitiveResult``).

        Args:
            timeout: Seconds to wait; None waits until the job is final.
            decoder: A callable (or an object with ``decode``) taking the result text.
            poll_interval: Seconds between status polls.

        Raises:
            RuntimeJobFailureError: The job failed.
            RuntimeJobMaxTimeoutError: The job exceeded its maximum execution time.
            RuntimeInvalidStateError: The job was cancelled.
            RuntimeJobTimeoutError: ``timeout`` expired.
        """
        self.wait_for_final_state(timeout=timeout, poll_interval=poll_interval)
        if self._status == "ERROR":
            message = self._reason or self.error_message()
            if self._reason_code == MAX_TIME_EXCEEDED:
                raise RuntimeJobMaxTimeoutError(message)
            raise RuntimeJobFailureError(f"Unable to retrieve job result. {message}")
        if self._status == "CANCELLED":
            raise RuntimeInvalidStateError(
                f"Unable to retrieve result for job {self.job_id()}. Job was cancelled."
            )
        text = self._rest.job_results(self.job_id())
        if decoder is None:
            from .program_results import decoder_for

            decoder = decoder_for(self._program_id)
        if decoder is None:
            return codec.decode_result(text)
        decode = getattr(decoder, "decode", decoder)
        return decode(text)

    def error_message(self) -> str | None:
        """The failure reason of an ERROR job (with the service's error text), else None."""
        if self._status not in FINAL_STATUSES:
            self._fetch()
        if self._status != "ERROR":
            return None
        if self._error_message is None:
            try:
                text = self._rest.job_results(self.job_id())
            except RequestsApiError:
                text = ""
            index = text.rfind("Traceback")
            text = text[index:] if index >= 0 else text
            if self._reason_code == MAX_TIME_EXCEEDED:
                message = (
                    f"Job {self.job_id()} ran longer than maximum execution time. "
                    f"Job was cancelled:\n{text or self._reason}"
                )
            else:
                message = f"Job {self.job_id()} has failed:\n{self._reason or text}"
            explained = explain_reason(self._reason_code, self._reason)
            if explained is not None and explained.code is not None:
                message += f"\n{explained.title}. What to do next: {explained.hint}"
            self._error_message = message
        return self._error_message

    def cancel(self) -> None:
        """Cancel the job.

        Raises:
            RuntimeInvalidStateError: The job can no longer be cancelled.
        """
        try:
            self._rest.cancel_job(self.job_id())
        except RequestsApiError as err:
            if err.status_code == 409:
                raise RuntimeInvalidStateError(f"Job cannot be cancelled: {err}") from None
            raise IBMRuntimeError(f"Failed to cancel job: {err}") from None
        self._status = "CANCELLED"

    def logs(self) -> str:
        """The job's log text ("" when the service has none)."""
        if self._status not in FINAL_STATUSES:
            warnings.warn("Job logs are only complete once the job is final.", stacklevel=2)
        try:
            return str(self._rest.job_logs(self.job_id()))
        except RequestsApiError as err:
            if err.status_code == 404:
                return ""
            raise IBMRuntimeError(f"Failed to get job logs: {err}") from None

    def metrics(self) -> dict[str, Any]:
        """``GET /jobs/{id}/metrics``: timestamps, usage, caller..."""
        try:
            return dict(self._rest.job_metrics(self.job_id()) or {})
        except RequestsApiError as err:
            raise IBMRuntimeError(f"Failed to get job metrics: {err}") from None

    def usage(self, partial: bool = False) -> float:
        """QPU seconds charged; 0 while pending unless ``partial``."""
        usage = self.metrics().get("usage") or {}
        if not partial and usage.get("status") in (None, "pending"):
            return 0
        return float(usage.get("qpu_charge_time_seconds") or usage.get("quantum_seconds") or 0)

    def properties(self, refresh: bool = False) -> Any:
        """The backend properties in effect when the job started running (None before)."""
        running = (self.metrics().get("timestamps") or {}).get("running")
        backend = self.backend()
        if not running or isinstance(backend, str) or backend is None:
            return None
        when = read_timestamp(str(running))
        return backend.properties(refresh=refresh, datetime=when)

    def update_tags(self, new_tags: Sequence[str]) -> list[str]:
        """Replace the job's tags and return the tags the service now holds."""
        try:
            self._rest.update_job_tags(self.job_id(), list(new_tags))
        except RequestsApiError as err:
            raise IBMApiError(f"Error while updating job tags: {err}") from None
        self._fetch()
        return self.tags

    # --- properties
    @property
    def inputs(self) -> dict[str, Any]:
        """The job's decoded ``params`` (one request the first time; inputs never change).

        As the official client: an ``executor`` job's ``quantum_program`` and ``options`` are a
        ``QuantumProgram`` and ``ExecutorOptions``, a ``calibrate`` job's ``options`` are
        ``CalibratorOptions``.
        """
        if self._inputs is None:
            data = codec.loads(self._rest.job_text(self.job_id()))
            params = data.get("params") if isinstance(data, dict) else None
            from .program_inputs import decode_inputs

            self._inputs = decode_inputs(self._program_id, dict(params or {}))
        return dict(self._inputs)

    @property
    def primitive_id(self) -> str | None:
        """``sampler`` or ``estimator``."""
        return self._program_id

    @property
    def session_id(self) -> str | None:
        """The session or batch id, if any."""
        return self._session_id

    @property
    def tags(self) -> list[str]:
        """Job tags (as last fetched)."""
        return list(self._data.get("tags") or [])

    @property
    def private(self) -> bool:
        """Whether the job is private."""
        return bool(self._data.get("private", False))

    @property
    def creation_date(self) -> dt.datetime | None:
        """Creation time, in the local time zone."""
        created = self._data.get("created")
        if not created:
            return None
        return read_timestamp(str(created)).astimezone()

    @property
    def instance(self) -> str | None:
        """The instance CRN the job was submitted to."""
        return self._rest.connection.instance

    @property
    def usage_estimation(self) -> dict[str, Any]:
        """``{"quantum_seconds": estimated_running_time_seconds}``."""
        return {"quantum_seconds": self._data.get("estimated_running_time_seconds")}

    def backend(self) -> IBMBackend | str | None:
        """The backend the job runs on.

        For listed jobs the backend object is built on the first call (one configuration
        request, cached by the service); without a service the name is returned.
        """
        if isinstance(self._backend, str) and self._service is not None:
            self._backend = self._service.backend(self._backend)
        return self._backend
