"""The modules the server extension uses import neither qiskit nor numpy, and stay compatible."""

from __future__ import annotations

import subprocess
import sys

import pytest

LIGHT = [
    "qrt_lab.runtime.exceptions",
    "qrt_lab.runtime.accounts",
    "qrt_lab.runtime.api.auth",
    "qrt_lab.runtime.api.rest",
    "qrt_lab.runtime.api.instances",
    "qrt_lab.runtime.api.urls",
    "qrt_lab.runtime.api.connection",
    "qrt_lab.runtime.status",
    "qrt_lab.runtime.api.documents",
    "qrt_lab.runtime.api.timestamps",
    "qrt_lab.runtime.summaries.jobs",
    "qrt_lab.runtime.summaries.job_events",
    "qrt_lab.runtime.summaries.backends",
    "qrt_lab.runtime.summaries.calibration",
    "qrt_lab.runtime.summaries.reasons",
    "qrt_lab.runtime",
]


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("module", LIGHT)
def test_light_module_does_not_import_qiskit(module: str) -> None:
    out = run(f"import sys, {module}; print(sorted({{'qiskit', 'numpy'}} & set(sys.modules)))")
    assert out == "[]"


def test_qiskit_imported_later_shares_the_error_classes() -> None:
    code = (
        "import qrt_lab.runtime.exceptions as e\n"
        "import qiskit\n"
        "from qiskit.exceptions import QiskitError\n"
        "from qiskit.providers import JobError, JobTimeoutError\n"
        "assert qiskit.exceptions.QiskitError is QiskitError is qiskit.QiskitError\n"
        "assert issubclass(e.IBMInputValueError, QiskitError)\n"
        "assert issubclass(e.RuntimeJobFailureError, JobError)\n"
        "assert issubclass(e.RuntimeJobTimeoutError, JobTimeoutError)\n"
        "try:\n"
        "    raise e.RuntimeJobNotFound('x')\n"
        "except QiskitError:\n"
        "    print('caught')\n"
    )
    assert run(code) == "caught"
