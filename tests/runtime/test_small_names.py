"""setup_logger, RuntimeOptions, JobError/JobTimeoutError and IBMQuantumComputeService mean what
the official client's do."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest

import qrt_lab.runtime as runtime


def fresh_logger() -> logging.Logger:
    return logging.getLogger(f"qrt_lab.test.{uuid.uuid4().hex}")


def test_setup_logger_reads_level_and_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    log_file = tmp_path / "runtime.log"
    monkeypatch.setenv("QISKIT_IBM_RUNTIME_LOG_LEVEL", "debug")
    monkeypatch.setenv("QISKIT_IBM_RUNTIME_LOG_FILE", str(log_file))
    logger = fresh_logger()
    runtime.setup_logger(logger)
    assert logger.level == logging.DEBUG and logger.propagate is False
    logger.debug("hello")
    for handler in logger.handlers:
        handler.flush()
    assert "DEBUG" in log_file.read_text() and "hello" in log_file.read_text()


def test_setup_logger_invalid_level_falls_back_to_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QISKIT_IBM_RUNTIME_LOG_LEVEL", "loud")
    monkeypatch.delenv("QISKIT_IBM_RUNTIME_LOG_FILE", raising=False)
    logger = fresh_logger()
    runtime.setup_logger(logger)
    assert logger.level == logging.WARNING
    assert isinstance(logger.handlers[0], logging.StreamHandler)


def test_runtime_options_validate_like_the_official() -> None:
    from qiskit_ibm_runtime import RuntimeOptions as Official

    for kwargs in ({"image": "bad image"}, {"log_level": "LOUD"}, {"job_tags": "tag"}):
        with pytest.raises(runtime.IBMInputValueError):
            runtime.RuntimeOptions(**kwargs).validate("ibm_quantum_platform")  # type: ignore[arg-type]
        with pytest.raises(Exception, match=r".+"):  # the official rejects them too
            Official(**kwargs).validate("ibm_quantum_platform")
    good = {"image": "runtime:1.2", "log_level": "info", "job_tags": ["a"], "backend": "ibm_fez"}
    runtime.RuntimeOptions(**good).validate("ibm_quantum_platform")  # type: ignore[arg-type]
    assert runtime.RuntimeOptions(**good).get_backend_name() == "ibm_fez"  # type: ignore[arg-type]


def test_job_errors_and_service_alias_are_the_official_meaning() -> None:
    from qiskit.providers import JobError, JobTimeoutError

    assert runtime.JobError is JobError and runtime.JobTimeoutError is JobTimeoutError
    assert issubclass(runtime.RuntimeJobFailureError, runtime.JobError)
    assert issubclass(runtime.RuntimeJobTimeoutError, runtime.JobTimeoutError)
    assert runtime.IBMQuantumComputeService is runtime.QiskitRuntimeService
    assert runtime.logger.name == "qrt_lab.runtime"
