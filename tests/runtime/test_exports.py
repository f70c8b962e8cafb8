"""qrt_lab.runtime exports qiskit-ibm-runtime's public names, so switching is one import line."""

from __future__ import annotations

import inspect

import qiskit_ibm_runtime as official

import qrt_lab.runtime as runtime

REQUIRED = {
    "QiskitRuntimeService", "SamplerV2", "EstimatorV2", "Session", "Batch", "RuntimeJobV2",
    "SamplerOptions", "EstimatorOptions", "RuntimeEncoder", "RuntimeDecoder",
    "IBMError", "IBMInputValueError", "IBMNotAuthorizedError", "IBMRuntimeError",
    "IBMAccountError", "AccountNotFoundError", "AccountAlreadyExistsError", "InvalidAccountError",
    "IBMBackendError", "IBMBackendValueError", "IBMBackendApiError", "IBMBackendApiProtocolError",
    "IBMApiError", "RuntimeJobFailureError", "RuntimeJobNotFound", "RuntimeInvalidStateError",
    "RuntimeJobMaxTimeoutError", "RuntimeJobTimeoutError", "RuntimeProgramNotFound",
}  # fmt: skip


def test_exported_names() -> None:
    assert set(runtime.__all__) >= REQUIRED
    for name in runtime.__all__:
        assert getattr(runtime, name) is not None


ACCOUNT_ERRORS = {"AccountNotFoundError", "AccountAlreadyExistsError", "InvalidAccountError"}


def test_names_match_the_official_client() -> None:
    for name in REQUIRED - ACCOUNT_ERRORS:  # the official client keeps these in .accounts
        assert hasattr(official, name), f"{name} is not a qiskit-ibm-runtime name"


def test_signatures_match_the_official_client() -> None:
    pairs = [
        (runtime.QiskitRuntimeService.__init__, official.QiskitRuntimeService.__init__),
        (runtime.QiskitRuntimeService.backends, official.QiskitRuntimeService.backends),
        (runtime.QiskitRuntimeService.jobs, official.QiskitRuntimeService.jobs),
        (runtime.QiskitRuntimeService.save_account, official.QiskitRuntimeService.save_account),
        (runtime.Session.__init__, official.Session.__init__),
        (runtime.RuntimeJobV2.result, official.RuntimeJobV2.result),
    ]
    for ours, theirs in pairs:
        ours_params = [
            p
            for p in inspect.signature(ours).parameters
            if p not in ("kwargs", "connection_options")
        ]
        their_params = [p for p in inspect.signature(theirs).parameters if p != "kwargs"]
        assert ours_params[: len(their_params)] == their_params, ours.__qualname__


def test_primitives_are_qiskit_primitives() -> None:
    from qiskit.primitives import BaseEstimatorV2, BaseSamplerV2

    assert issubclass(runtime.SamplerV2, BaseSamplerV2)
    assert issubclass(runtime.EstimatorV2, BaseEstimatorV2)
    from qiskit.exceptions import QiskitError

    assert issubclass(runtime.IBMError, QiskitError)
    assert issubclass(runtime.IBMInputValueError, ValueError)
