"""Entry points the scheduler sends to worker processes.

They import the execution room lazily so the HTTP process never imports qiskit: only the
functions' names cross the process boundary.
"""

from __future__ import annotations

import os

from .jobspec import JobOutcome, JobSpec

__all__ = ["init", "ping", "run"]

WORKER_NICENESS = 10


def init(device_dirs: list[str]) -> None:
    """Pool initializer: load the simulator stack and the device catalogue once per worker."""
    from .execution import init_worker

    os.nice(WORKER_NICENESS)  # simulations yield the CPU to the HTTP process, keeping it responsive
    init_worker(device_dirs)


def run(spec: JobSpec) -> JobOutcome:
    """Run one job in this worker."""
    from .execution import execute

    return execute(spec)


def ping() -> int:
    """A no-op used to start (and warm) every worker; returns the worker's pid."""
    return os.getpid()
