"""Entry points the scheduler sends to worker processes.

They import the execution room lazily so the HTTP process never imports qiskit: only the
functions' names cross the process boundary.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from qrt_lab.local.jobspec import JobOutcome, JobSpec

__all__ = ["init", "ping", "run"]

WORKER_NICENESS = 10
CANCEL_SUFFIX = ".cancel"
SERVICE_CHECK_SECONDS = 2.0
_run_dir: Path | None = None


def _exit_when_gone(service_pid: int) -> None:
    """End this worker once the service process is gone.

    A worker's parent is the fork server, not the service, and both keep pipes open to each
    other: after the service is killed (SIGKILL) nothing else would ever end them.
    """
    while True:
        time.sleep(SERVICE_CHECK_SECONDS)
        try:
            os.kill(service_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            continue  # the pid exists under another user: still alive as far as we can tell


def init(
    device_dirs: list[str], run_dir: str | None = None, service_pid: int | None = None
) -> None:
    """Pool initializer: load the simulator stack and the device catalogue once per worker.

    Args:
        device_dirs: Extra device folders for the execution room's catalogue.
        run_dir: Where ``run`` records which worker pid runs which job (so it can be stopped).
        service_pid: The service's pid; the worker exits when that process is gone.
    """
    global _run_dir
    from .execute import init_worker

    _run_dir = Path(run_dir) if run_dir else None
    if service_pid is not None:
        threading.Thread(
            target=_exit_when_gone, args=(service_pid,), name="service-watch", daemon=True
        ).start()
    os.nice(WORKER_NICENESS)  # simulations yield the CPU to the HTTP process, keeping it responsive
    init_worker(device_dirs)


def run(spec: JobSpec) -> JobOutcome:
    """Run one job in this worker."""
    from .execute import execute

    marker = _run_dir / spec.job_id if _run_dir else None
    if marker is not None:
        # announce first, then look for a cancellation: the scheduler does the reverse
        marker.write_text(str(os.getpid()))
        if marker.with_suffix(CANCEL_SUFFIX).exists():
            marker.unlink(missing_ok=True)
            return JobOutcome("Failed", "Cancelled before it started.", reason="Cancelled.")
    try:
        return execute(spec)
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def ping() -> int:
    """A no-op used to start (and warm) every worker; returns the worker's pid."""
    return os.getpid()
