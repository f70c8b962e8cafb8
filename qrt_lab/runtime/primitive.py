"""What SamplerV2 and EstimatorV2 share: execution mode, options and job submission (spec §3.5)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any, ClassVar

from qiskit.providers import BackendV2
from qiskit.providers.exceptions import QiskitBackendNotFoundError

from . import codec
from .backend import IBMBackend
from .exceptions import (
    IBMInputValueError,
    IBMRuntimeError,
    RequestsApiError,
    RuntimeProgramNotFound,
)
from .isa import check_isa
from .job import RuntimeJobV2
from .observers import job_submitted
from .options import EstimatorOptions, SamplerOptions, job_inputs
from .session import Session, current_session

__all__ = ["RuntimePrimitive"]

Options = SamplerOptions | EstimatorOptions


class RuntimePrimitive:
    """Mode resolution, options and submission for one program (``sampler``/``estimator``)."""

    _program_id: ClassVar[str]
    _options_class: ClassVar[type[SamplerOptions] | type[EstimatorOptions]]

    def __init__(
        self,
        mode: IBMBackend | Session | BackendV2 | None = None,
        options: Options | Mapping[str, Any] | None = None,
    ) -> None:
        self._session: Session | None = None
        #: A plain Qiskit backend (fake backend, AerSimulator): local testing mode.
        self._local: BackendV2 | None = None
        if mode is None:
            self._session = current_session()
            if self._session is None:
                raise IBMInputValueError(
                    f"{type(self).__name__} needs a mode: pass mode=backend, mode=Session(...) or "
                    "mode=Batch(...), or create it inside `with Session(backend):`."
                )
            self._backend = self._session.backend_object()
        elif isinstance(mode, Session):
            self._session, self._backend = mode, mode.backend_object()
        elif isinstance(mode, IBMBackend):
            self._backend = mode
            ambient = current_session()
            if ambient is not None:
                if ambient.backend() != mode.name:
                    raise ValueError(
                        f"The backend {mode.name} differs from the backend of the open session "
                        f"({ambient.backend()}); pass mode=session or use the session's backend."
                    )
                warnings.warn(
                    "A backend was given inside an open session: jobs run in that session.",
                    stacklevel=3,
                )
                self._session = ambient
        elif isinstance(mode, BackendV2):
            self._local = mode
        else:
            raise IBMInputValueError(
                f"Unsupported mode {mode!r}: pass a backend from QiskitRuntimeService.backend(), "
                "a Session or a Batch, or a fake backend or AerSimulator (local testing mode)."
            )
        if self._session is not None and self._session._local:
            # a Session/Batch of a fake backend or AerSimulator: local testing mode
            self._local = self._session.backend_object()
        self._options = self._make_options(options)

    def _make_options(self, options: Options | Mapping[str, Any] | None) -> Options:
        if options is None:
            return self._options_class()
        if isinstance(options, self._options_class):
            return options
        if isinstance(options, Mapping):
            made = self._options_class()
            made.update(**options)
            return made
        raise IBMInputValueError(
            f"options must be a {self._options_class.__name__} or a dict, "
            f"got {type(options).__name__}."
        )

    @property
    def options(self) -> Options:
        """The options; change them in place or with ``options.update(...)``."""
        return self._options

    @property
    def mode(self) -> IBMBackend | Session:
        """The session/batch, or the backend in job mode (the plain Qiskit backend in local
        testing mode)."""
        return self._local or self._session or self._backend

    def backend(self) -> IBMBackend | BackendV2:
        """The backend jobs run on (a plain Qiskit backend in local testing mode)."""
        return self._local or self._backend

    def _validate_circuit(self, circuit: Any) -> None:
        for creg in circuit.cregs:
            if creg.size == 0:
                raise IBMInputValueError(
                    f"Classical register {creg.name!r} has size 0; remove it from the circuit."
                )
            if not creg.name.isidentifier() or creg.name in ("and", "or", "not", "if", "else"):
                raise IBMInputValueError(
                    f"Classical register name {creg.name!r} is not a valid Python identifier; "
                    "rename it (result fields are named after registers)."
                )
        if not self._backend.simulator:
            check_isa(circuit, self._backend.target, self._backend.name)
            self._backend.check_faulty(circuit)
        if self._options.dynamical_decoupling.enable is True and any(
            inst.operation.name in ("if_else", "while_loop", "for_loop", "switch_case")
            for inst in circuit.data
        ):
            raise IBMInputValueError(
                "Dynamical decoupling is not supported with dynamic circuits (control flow): "
                "set options.dynamical_decoupling.enable = False."
            )

    def _target_backend(self, dry_run: bool) -> IBMBackend:
        if not dry_run or self._backend.name.startswith("mock_"):
            return self._backend
        # a dry run goes to the service's mock twin of the device (ibm_fez -> mock_fez)
        mock_name = re.sub(r"^[^_]+", "mock", self._backend.name)
        try:
            return self._backend.service.backend(mock_name, instance=self._backend.instance)
        except QiskitBackendNotFoundError:
            raise QiskitBackendNotFoundError(
                f"Unable to use `dry_run` mode: backend '{mock_name}' was not found."
            ) from None

    def _warn_usage(self, executions: list[tuple[int, Any]]) -> None:
        """Warn (``UsageWarning``) if the job would exceed the remaining usage (never raises)."""
        from .advice.usage_warning import warn_if_over_usage

        rep_delay = getattr(self._options.execution, "rep_delay", None)
        rep = float(rep_delay) if isinstance(rep_delay, (int, float)) else None
        warn_if_over_usage(self._backend, executions, rep)

    def _submit(self, encoded_pubs: list[list[Any]], dry_run: bool = False) -> RuntimeJobV2:
        params_part, job_fields = job_inputs(self._options)
        params = {"pubs": encoded_pubs, **params_part, "version": 2, "support_qiskit": True}
        return self._post_job(params, job_fields, dry_run)

    def _post_job(
        self, params: dict[str, Any], job_fields: dict[str, Any], dry_run: bool
    ) -> RuntimeJobV2:
        """``POST /jobs`` for this primitive's program in its mode; the job object."""
        if self._session is not None:
            self._session._check_open()
        backend_obj = self._target_backend(dry_run)
        body: dict[str, Any] = {
            "program_id": self._program_id,
            "backend": backend_obj.name,
            "params": params,
            **job_fields,
        }
        if self._session is not None and self._session.session_id:
            body["session_id"] = self._session.session_id
        if backend_obj.calibration_id:
            body["calibration_id"] = backend_obj.calibration_id
        rest = backend_obj._rest
        try:
            reply = rest.create_job(codec.dumps(body))
        except RequestsApiError as err:
            if err.status_code == 404:
                raise RuntimeProgramNotFound(f"Program not found: {err}") from None
            raise IBMRuntimeError(f"Failed to run program: {err}") from None
        backend: IBMBackend | str = backend_obj
        if reply.get("backend") and reply["backend"] != backend_obj.name:
            backend = str(reply["backend"])
        job = RuntimeJobV2(
            str(reply["id"]),
            rest,
            service=backend_obj.service,
            backend=backend,
            program_id=self._program_id,
            session_id=body.get("session_id"),
            data={"id": reply["id"], "state": {"status": "Queued"}, "tags": body.get("tags")},
        )
        job_submitted(job)
        return job
