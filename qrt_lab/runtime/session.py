"""``Session`` and ``Batch`` execution modes (spec §7).

Creating one sends ``POST /sessions`` at once. Inside ``with Session(backend):`` primitives
created without ``mode`` submit into it (the ambient session, a context variable).
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Container
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import display
from .exceptions import IBMInputValueError, IBMRuntimeError, RequestsApiError
from .observers import session_created

if TYPE_CHECKING:
    from .backend import IBMBackend
    from .service import QiskitRuntimeService

__all__ = ["Batch", "Session", "current_session", "parse_max_time"]

_CURRENT: contextvars.ContextVar[Session | None] = contextvars.ContextVar(
    "qrt_lab_session", default=None
)
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def current_session() -> Session | None:
    """The session of the innermost open ``with Session(...)`` block, if any."""
    return _CURRENT.get()


def parse_max_time(max_time: int | str | None) -> int | None:
    """Seconds from an int or a string such as ``"1h 30m"`` (units d, h, m, s).

    Raises:
        IBMInputValueError: The value is not a positive int or such a string.
    """
    if max_time is None:
        return None
    if isinstance(max_time, int) and not isinstance(max_time, bool) and max_time > 0:
        return max_time
    if isinstance(max_time, str):
        parts = re.findall(r"(\d+)\s*([dhms])", max_time.lower())
        rest = re.sub(r"(\d+)\s*([dhms])", "", max_time.lower()).strip()
        if parts and not rest:
            return sum(int(n) * _UNITS[u] for n, u in parts)
    raise IBMInputValueError(
        f"Invalid max_time {max_time!r}: give seconds as a positive int, or a string such as "
        "'1h 30m' (units d, h, m, s)."
    )


class Session:
    """A dedicated session on one backend.

    Args:
        backend: The backend to run on.
        max_time: Maximum session lifetime: seconds or a string such as ``"2h 30m"``.
        create_new: Create the session on the service now (False: used by :meth:`from_id`).
    """

    _mode = "dedicated"

    def __init__(
        self,
        backend: IBMBackend,
        max_time: int | str | None = None,
        *,
        create_new: bool | None = True,
    ) -> None:
        #: A plain Qiskit backend (fake backend, AerSimulator): a local testing mode session.
        self._local = _plain_backend(backend)
        if isinstance(backend, str) or not (hasattr(backend, "service") or self._local):
            raise IBMInputValueError(
                f"{type(self).__name__} needs a backend object, e.g. "
                f"{type(self).__name__}(service.backend('name')); got {backend!r}."
            )
        self._backend = backend
        self._service: QiskitRuntimeService | None = getattr(backend, "service", None)
        self._max_time = parse_max_time(max_time)
        self._active = True
        self._session_id: str | None = None
        self._token: contextvars.Token[Session | None] | None = None
        if create_new and not self._local and not backend.simulator:
            body: dict[str, Any] = {
                "mode": self._mode,
                "backend": backend.name,
                "instance": backend.instance,
            }
            if self._max_time is not None:
                body["max_ttl"] = self._max_time
            try:
                reply = backend._rest.create_session(body)
            except RequestsApiError as err:
                raise IBMRuntimeError(f"Failed to create {self._mode} session: {err}") from None
            self._session_id = str(reply["id"])
            session_created(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}(id={self._session_id!r}, backend={self._backend.name!r})>"

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, Any]:
        """Rich display (see :mod:`qrt_lab.runtime.display`); plain ``repr`` by default."""
        return display.mimebundle(self, "session", include, exclude)

    @property
    def session_id(self) -> str | None:
        """The session id."""
        return self._session_id

    @property
    def service(self) -> QiskitRuntimeService | None:
        """The service of the session's backend (None in local testing mode)."""
        return self._service

    def backend(self) -> str:
        """The backend name."""
        return str(self._backend.name)

    def backend_object(self) -> IBMBackend:
        """The backend object."""
        return self._backend

    @property
    def is_active(self) -> bool:
        """Whether the session still accepts jobs from this client."""
        return self._active

    def _check_open(self) -> None:
        if not self._active:
            raise IBMRuntimeError("The session is closed.")

    def close(self) -> None:
        """Stop accepting jobs; queued and running jobs still complete."""
        self._active = False
        if self._session_id:
            try:
                self._backend._rest.close_session(self._session_id)
            except RequestsApiError as err:
                if err.status_code != 404:
                    raise IBMRuntimeError(f"Error closing session: {err}") from None

    def cancel(self) -> None:
        """Close the session and cancel its queued jobs."""
        self._active = False
        if self._session_id:
            try:
                self._backend._rest.cancel_session(self._session_id)
            except RequestsApiError as err:
                raise IBMRuntimeError(f"Error cancelling session: {err}") from None

    def details(self) -> dict[str, Any] | None:
        """Session details from ``GET /sessions/{id}`` (None without a session id)."""
        if not self._session_id:
            return None
        data = self._backend._rest.session(self._session_id) or {}
        return {
            "id": data.get("id"),
            "backend_name": data.get("backend_name"),
            "interactive_timeout": data.get("interactive_ttl"),
            "max_time": data.get("max_ttl"),
            "active_timeout": data.get("active_ttl"),
            "state": data.get("state"),
            "accepting_jobs": data.get("accepting_jobs"),
            "last_job_started": data.get("last_job_started"),
            "last_job_completed": data.get("last_job_completed"),
            "started_at": data.get("started_at"),
            "closed_at": data.get("closed_at"),
            "activated_at": data.get("activated_at"),
            "mode": data.get("mode"),
            "usage_time": data.get("elapsed_time"),
        }

    def status(self) -> str | None:
        """``Pending``, ``In progress, accepting new jobs``, ``... not accepting ...``, ``Closed``.

        Returns None when the session has no id.
        """
        details = self.details()
        if not details:
            return None
        state, accepting = str(details.get("state") or ""), details.get("accepting_jobs")
        if state in ("open", "inactive"):
            return "Pending"
        if (state == "active" and accepting) or state == "pending_inactive":
            return "In progress, accepting new jobs"
        if (state == "active" and not accepting) or state == "pending_closed":
            return "In progress, not accepting new jobs"
        return state.capitalize()

    def usage(self) -> float | None:
        """Seconds the session has used so far."""
        details = self.details()
        return None if not details else details.get("usage_time")

    @classmethod
    def from_id(
        cls,
        session_id: str,
        service: QiskitRuntimeService,
        use_fractional_gates: bool | None = False,
        calibration_id: str | None = None,
    ) -> Session:
        """Attach to an existing session.

        Raises:
            IBMInputValueError: Unknown session, or a session of the other mode.
            IBMRuntimeError: The service did not say which backend the session uses.
        """
        rest = service._client()
        try:
            data = rest.session(session_id) or {}
        except RequestsApiError as err:
            if err.status_code == 404:
                raise IBMInputValueError(f"Session not found: {session_id}.") from None
            raise
        if not data.get("backend_name"):
            raise IBMRuntimeError(f"Session {session_id} has no backend yet; try again later.")
        if data.get("mode") != cls._mode:
            other = "Batch" if cls._mode == "dedicated" else "Session"
            raise IBMInputValueError(
                f"Session {session_id} is a {data.get('mode')!r} session: use {other}.from_id()."
            )
        backend = service.backend(
            str(data["backend_name"]),
            use_fractional_gates=use_fractional_gates,
            calibration_id=calibration_id,
        )
        session = cls(backend, create_new=False)
        session._session_id = session_id
        session._active = data.get("state") != "closed"
        return session

    def __enter__(self) -> Session:
        self._token = _CURRENT.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _CURRENT.reset(self._token)
            self._token = None
        self.close()


class Batch(Session):
    """A batch: jobs run in parallel where the service can, without a dedicated window."""

    _mode = "batch"


def _plain_backend(backend: object) -> bool:
    """Whether ``backend`` is a Qiskit backend that is not a runtime backend (local mode)."""
    if isinstance(backend, str) or hasattr(backend, "service"):
        return False
    from qiskit.providers import BackendV2

    return isinstance(backend, BackendV2)
