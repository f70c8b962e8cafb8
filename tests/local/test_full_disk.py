"""A full disk under the state directory: new jobs refused clearly, nothing stored lost, recovery.

The state directory is a small tmpfs (root only): a filler file takes the space, the service
answers, and removing the filler brings it back without a restart.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import generate_preset_pass_manager

from qrt_lab.runtime import QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.exceptions import IBMRuntimeError

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a small tmpfs")

SIZE = 4 * 1024 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Take all but ``leave`` bytes of the disk with a filler file."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as handle, contextlib.suppress(OSError):  # full early: the point
        handle.write(b"\0" * max(0, free - leave))
    return filler


def _wide_random_circuit(backend: Any) -> Any:
    """40 random classical bits per shot (measured from 5 qubits): a result that cannot shrink."""
    circuit = QuantumCircuit(5, 40)
    for block in range(8):
        circuit.h(range(5))
        circuit.measure(range(5), range(5 * block, 5 * block + 5))
        circuit.reset(range(5))
    return generate_preset_pass_manager(backend=backend, optimization_level=0).run(circuit)


def _bell(backend: Any) -> Any:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    return generate_preset_pass_manager(backend=backend, optimization_level=1).run(circuit)


def test_full_disk_refuses_new_jobs_keeps_old_ones_and_recovers(
    small_disk: Path,
    spawn_local_service: Callable[..., AbstractContextManager[Any]],
    wait_for: Callable[..., None],
) -> None:
    state = small_disk / "local"
    with spawn_local_service(state, devices=False) as (info, _):
        service = QiskitRuntimeService(
            channel="ibm_quantum_platform", token=info.api_key, url=info.url, instance=info.instance
        )
        backend = service.backend("local_5q")
        sampler = SamplerV2(mode=backend)
        stored = sampler.run([_bell(backend)], shots=200)
        before = stored.result()[0].data.meas.get_counts()

        # a job accepted while there was room, whose 100k-shot result no longer fits
        filler = _fill(small_disk, leave=400 * 1024)
        held = sampler.run([_wide_random_circuit(backend)], shots=100_000)
        wait_for(lambda: held.status() == "RUNNING", timeout=60)
        time.sleep(3)
        assert held.status() == "RUNNING"  # kept in memory, not failed, not lost
        _fill_rest(filler)

        with pytest.raises(IBMRuntimeError) as refused:  # as the official client raises it
            sampler.run([_bell(backend)], shots=10)
        text = str(refused.value)
        assert "HTTP 507" in text and "storage_full" in text
        assert "disk is full" in text and "Free some space" in text

        # what is stored stays readable
        again = service.job(stored.job_id())
        assert again.status() == "DONE"
        assert again.result()[0].data.meas.get_counts() == before

        filler.unlink()
        wait_for(lambda: held.status() == "DONE", timeout=90)
        assert held.result()[0].data.c.num_shots == 100_000
        after = sampler.run([_bell(backend)], shots=50).result()
        assert after[0].data.meas.num_shots == 50


def _fill_rest(filler: Path) -> None:
    with open(filler, "ab") as handle, contextlib.suppress(OSError):  # until the disk is full
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
