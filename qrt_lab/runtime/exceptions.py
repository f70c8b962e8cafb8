"""Exceptions raised by the runtime client.

The tree mirrors qiskit-ibm-runtime (spec §9.1) so ``except`` clauses written for the official
client keep working. Transport errors carry the HTTP status, the API error code and trace id::

    QiskitError
    ├── IBMError
    │   ├── IBMAccountError
    │   │   └── AccountsError
    │   │       ├── InvalidAccountError
    │   │       ├── AccountNotFoundError
    │   │       ├── AccountAlreadyExistsError
    │   │       └── CloudResourceNameResolutionError
    │   ├── IBMBackendError
    │   │   ├── IBMBackendApiProtocolError
    │   │   ├── IBMBackendValueError (+ ValueError)
    │   │   └── IBMBackendApiError
    │   ├── IBMInputValueError (+ ValueError)
    │   ├── IBMNotAuthorizedError
    │   ├── IBMApiError
    │   ├── IBMRuntimeError
    │   │   ├── RuntimeProgramNotFound
    │   │   ├── RuntimeJobNotFound
    │   │   ├── RuntimeInvalidStateError
    │   │   └── RuntimeJobMaxTimeoutError
    │   └── ApiError
    │       ├── RequestsApiError (status_code, api_code, trace_id)
    │       ├── AuthenticationLicenseError
    │       ├── ApiIBMProtocolError
    │       └── UserTimeoutExceededError
    ├── JobError
    │   ├── RuntimeJobFailureError
    │   └── JobTimeoutError
    │       └── RuntimeJobTimeoutError
    ├── BackendPropertyError
    └── BackendConfigurationError

``IBMNotAuthorizedError`` raised by the transport also carries ``status_code``/``api_code``/
``trace_id`` attributes (set by :func:`api_error`).

Importing this module does not import the qiskit package (about 0.9 s): ``QiskitError`` is taken
from ``qiskit/exceptions.py`` alone, registered as ``qiskit.exceptions`` so that qiskit reuses
the same class when it is imported later. The two job errors, whose bases live in
``qiskit.providers``, are created on first access.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import TYPE_CHECKING, Any


def _load_qiskit_error() -> type[Exception]:
    loaded = sys.modules.get("qiskit.exceptions")
    if loaded is None and "qiskit" not in sys.modules:
        package = importlib.util.find_spec("qiskit")
        location = package.submodule_search_locations if package else None
        if location:
            path = f"{next(iter(location))}/exceptions.py"
            spec = importlib.util.spec_from_file_location("qiskit.exceptions", path)
            if spec is not None and spec.loader is not None:
                module = importlib.util.module_from_spec(spec)
                sys.modules["qiskit.exceptions"] = module
                try:
                    spec.loader.exec_module(module)
                except Exception:
                    del sys.modules["qiskit.exceptions"]
                    raise
                loaded = module
    if loaded is None:
        loaded = importlib.import_module("qiskit.exceptions")
    error: type[Exception] = loaded.QiskitError
    return error


if TYPE_CHECKING:
    from qiskit.exceptions import QiskitError
    from qiskit.providers.exceptions import JobError, JobTimeoutError
else:
    QiskitError = _load_qiskit_error()

__all__ = [
    "AccountAlreadyExistsError",
    "AccountNotFoundError",
    "AccountsError",
    "ApiError",
    "ApiIBMProtocolError",
    "AuthenticationLicenseError",
    "BackendConfigurationError",
    "BackendPropertyError",
    "CloudResourceNameResolutionError",
    "IBMAccountError",
    "IBMApiError",
    "IBMBackendApiError",
    "IBMBackendApiProtocolError",
    "IBMBackendError",
    "IBMBackendValueError",
    "IBMError",
    "IBMInputValueError",
    "IBMNotAuthorizedError",
    "IBMRuntimeError",
    "InvalidAccountError",
    "RequestsApiError",
    "RuntimeInvalidStateError",
    "RuntimeJobFailureError",
    "RuntimeJobMaxTimeoutError",
    "RuntimeJobNotFound",
    "RuntimeJobTimeoutError",
    "RuntimeProgramNotFound",
    "RuntimeUnreachableError",
    "UserTimeoutExceededError",
]


class IBMError(QiskitError):  # type: ignore[misc]
    """Base class for errors raised by the runtime client."""

    status_code: int | None = None
    api_code: str | None = None
    trace_id: str | None = None


class IBMAccountError(IBMError):
    """Base class for account errors."""


class AccountsError(IBMAccountError):
    """Base class for errors about saved or resolved accounts."""


class InvalidAccountError(AccountsError):
    """The account data is invalid (bad channel, token, url, instance, proxies...)."""


class AccountNotFoundError(AccountsError):
    """No saved or environment account matches the request."""


class AccountAlreadyExistsError(AccountsError):
    """An account with that name (or a default account) already exists."""


class CloudResourceNameResolutionError(AccountsError):
    """An instance name could not be resolved to a CRN."""


class IBMBackendError(IBMError):
    """Base class for backend errors."""


class IBMBackendApiProtocolError(IBMBackendError):
    """The server returned a backend document the client cannot read."""


class IBMBackendValueError(IBMBackendError, ValueError):
    """A value passed to a backend is invalid."""


class IBMBackendApiError(IBMBackendError):
    """The backend API returned an error."""


class IBMInputValueError(IBMError, ValueError):
    """A value passed by the user is invalid."""


class IBMNotAuthorizedError(IBMError):
    """The API key or bearer token was rejected (HTTP 401)."""


class IBMApiError(IBMError):
    """The API answered in a way the client did not expect."""


class IBMRuntimeError(IBMError):
    """Base class for runtime errors."""


class RuntimeProgramNotFound(IBMRuntimeError):
    """The program (sampler/estimator) was not found."""


class RuntimeJobNotFound(IBMRuntimeError):
    """The job was not found."""


class RuntimeInvalidStateError(IBMRuntimeError):
    """The job or session is in a state that does not allow the operation."""


class RuntimeJobMaxTimeoutError(IBMRuntimeError):
    """The job was cancelled because it ran longer than its maximum execution time."""


if TYPE_CHECKING:

    class RuntimeJobFailureError(JobError):  # type: ignore[misc]
        """The job failed."""

    class RuntimeJobTimeoutError(JobTimeoutError):  # type: ignore[misc]
        """Waiting for a job to finish timed out."""


_LAZY: dict[str, type[Exception]] = {}


def __getattr__(name: str) -> Any:
    if name in ("JobError", "JobTimeoutError"):  # qiskit's own, re-exported as the official does
        from qiskit.providers import exceptions as provider_errors

        return getattr(provider_errors, name)
    if name not in ("RuntimeJobFailureError", "RuntimeJobTimeoutError"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _LAZY:
        from qiskit.providers.exceptions import JobError, JobTimeoutError

        failure = type("RuntimeJobFailureError", (JobError,), {"__doc__": "The job failed."})
        timeout = type(
            "RuntimeJobTimeoutError",
            (JobTimeoutError,),
            {"__doc__": "Waiting for a job to finish timed out."},
        )
        for cls in (failure, timeout):
            cls.__module__ = __name__
            _LAZY[cls.__name__] = cls
            globals()[cls.__name__] = cls
    return _LAZY[name]


class ApiError(IBMError):
    """Base class for transport errors."""


class RequestsApiError(ApiError):
    """An HTTP request failed.

    Attributes:
        status_code: HTTP status, or -1 for connection errors and timeouts.
        api_code: The ``errors[0].code`` of the response body, when present.
        trace_id: The ``trace`` of the response body, when present.
    """

    def __init__(
        self,
        message: str,
        status_code: int = -1,
        api_code: str | None = None,
        trace_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.api_code = api_code
        self.trace_id = trace_id


class RuntimeUnreachableError(RequestsApiError):
    """No response came back: the host refused or dropped the connection, or did not answer in time.

    ``status_code`` is -1, as for the official client's connection errors.

    Attributes:
        host: The host (and port) the request went to, e.g. ``quantum.cloud.ibm.com``.
        cause: The transport error underneath (an ``httpx`` exception), or None.
        timed_out: Whether the request timed out (rather than failing to connect or dropping).
    """

    def __init__(
        self,
        message: str,
        host: str = "",
        cause: BaseException | None = None,
        timed_out: bool = False,
    ) -> None:
        super().__init__(message, -1)
        self.host = host
        self.cause = cause
        self.timed_out = timed_out


class AuthenticationLicenseError(ApiError):
    """The account must accept a license before using the service."""


class ApiIBMProtocolError(ApiError):
    """The server answered with a body the client cannot parse."""


class UserTimeoutExceededError(ApiError):
    """A user-given timeout expired."""


class BackendPropertyError(QiskitError):  # type: ignore[misc]
    """Backend properties could not be read."""


class BackendConfigurationError(QiskitError):  # type: ignore[misc]
    """A backend configuration could not be read."""
