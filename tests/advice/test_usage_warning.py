"""The usage warning before submission: client primitives and the ``%qruntime`` magics.

A private local service allots 1 s of usage (``QRT_LAB_LOCAL_USAGE_SECONDS``), so every job
(at least the 2 s set-up time) exceeds it; the session's service allots a million seconds.
Requests are counted by a real transport that passes them on.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from IPython.core.interactiveshell import InteractiveShell
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import EstimatorV2, QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.advice import USAGE_WARNING_ENV, UsageWarning
from qrt_lab.runtime.api.discovery import LocalServiceInfo

from .conftest import client_of

BELL_QASM2 = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
measure q -> c;
"""


class CountingTransport(httpx.HTTPTransport):
    """A real HTTP transport that remembers the paths it sent."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return super().handle_request(request)

    def usage_requests(self) -> int:
        return sum(p.endswith("/instances/usage") for p in self.paths)


@pytest.fixture(scope="module")
def limited(
    spawn_local_service: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalServiceInfo]:
    with contextlib.ExitStack() as stack:
        with pytest.MonkeyPatch.context() as patch:  # only the private service sees it
            patch.setenv("QRT_LAB_LOCAL_USAGE_SECONDS", "1")
            info, _ = stack.enter_context(
                spawn_local_service(tmp_path_factory.mktemp("limited"), devices=False)
            )
        yield info


def _bell(backend: Any) -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    manager = generate_preset_pass_manager(optimization_level=1, target=backend.target)
    return manager.run(qc)  # type: ignore[no-any-return]


def _client(info: LocalServiceInfo, transport: httpx.BaseTransport) -> QiskitRuntimeService:
    return QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token=info.api_key,
        url=info.url,
        instance=info.instance,
        transport=transport,  # type: ignore[arg-type]
    )


def test_sampler_and_estimator_warn_when_the_job_exceeds_the_remaining_usage(
    limited: LocalServiceInfo,
) -> None:
    service = client_of(limited)
    backend = service.backend("local_5q")
    circuit = _bell(backend)
    with pytest.warns(UsageWarning, match=r"estimated to use .* left") as caught:
        job = SamplerV2(backend).run([circuit], shots=100)
    assert "QRT_LAB_USAGE_WARNING=0" in str(caught[0].message)
    job.result()  # the warning never blocks the job
    observable = SparsePauliOp("ZZ").apply_layout(circuit.layout)
    unmeasured = circuit.remove_final_measurements(inplace=False)
    with pytest.warns(UsageWarning):
        EstimatorV2(backend).run([(unmeasured, observable)]).result()


def test_the_executor_sampler_warns_too(limited: LocalServiceInfo) -> None:
    from qrt_lab.runtime.executor_sampler import Sampler as ExecutorSampler

    backend = client_of(limited).backend("local_5q")
    with pytest.warns(UsageWarning, match="estimated to use"):
        job = ExecutorSampler(mode=backend).run([_bell(backend)], shots=100)
    job.result()


def test_the_setting_turns_it_off_and_costs_no_request(
    limited: LocalServiceInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USAGE_WARNING_ENV, "0")
    transport = CountingTransport()
    service = _client(limited, transport)
    backend = service.backend("local_5q")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UsageWarning)
        SamplerV2(backend).run([_bell(backend)], shots=50).result()
    assert transport.usage_requests() == 0


def test_usage_is_asked_once_for_a_burst_of_jobs_and_no_warning_within_budget(
    local_service: LocalServiceInfo,
) -> None:
    transport = CountingTransport()
    service = _client(local_service, transport)
    backend = service.backend("local_5q")
    circuit = _bell(backend)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UsageWarning)
        jobs = [SamplerV2(backend).run([circuit], shots=20) for _ in range(4)]
    for job in jobs:
        job.result()
    assert transport.usage_requests() == 1


@pytest.fixture
def limited_shell(limited: LocalServiceInfo, tmp_path: Path) -> Iterator[InteractiveShell]:
    from qrt_lab.magics import _active

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path))
        patch.setenv("QRT_LAB_LOCAL_DIR", str(limited.state_dir))
        patch.delenv("QISKIT_IBM_TOKEN", raising=False)
        _active.forget()
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "qrt_lab")
        yield shell
        InteractiveShell.clear_instance()
        _active.forget()


def test_the_magics_warn_too(limited_shell: InteractiveShell) -> None:
    with pytest.warns(UsageWarning, match="estimated to use"):
        result = limited_shell.run_cell_magic(
            "qruntime", "sample --backend local_5q --shots 100", BELL_QASM2
        )
    assert sum(result[0].join_data().get_counts().values()) == 100
