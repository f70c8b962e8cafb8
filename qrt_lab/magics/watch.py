"""``%qruntime watch`` / ``watch off``: a live monitor for every job this kernel submits.

Job submission is hooked through :func:`qrt_lab.runtime.observers.on_job_submitted`. Each new job
gets a :class:`~qrt_lab.widgets.JobMonitor` (:func:`qrt_lab.widgets.watch_jobs`) where a widget
frontend draws it, else :class:`StatusLines`, which prints a line when the status changes. Both
are watches on the kernel's one poller (:mod:`qrt_lab.widgets._poller`), the same that serves
every other JobMonitor and SessionMonitor: one thread per kernel, one ``refresh_jobs`` per
service per interval, whatever mix of monitors is on.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable
from typing import Any

from ..runtime.observers import on_job_submitted
from . import _display
from ._dispatch import choice_argument, subcommand

__all__ = ["JobWatcher", "StatusLines", "status_line", "watcher"]


def status_line(job: Any) -> str:
    """One line about a job from cached data: ``job ID: sampler on BACKEND: STATUS``."""
    from ..widgets.jobs import job_facts

    facts = job_facts(job)
    return f"job {facts['id']}: {facts['primitive']} on {facts['backend']}: {facts['status']}"


class StatusLines:
    """The text fallback of a job monitor: prints :func:`status_line` whenever the status changes.

    It is a watch on the kernel's poller, like a :class:`~qrt_lab.widgets.JobMonitor`, and stops
    once the job is final.

    Args:
        job: The job to follow (of qrt-lab or qiskit-ibm-runtime).
    """

    def __init__(self, job: Any) -> None:
        from ..widgets._poller import FINAL, Watch, job_status, poller

        self.job = job
        self.lines: list[str] = []
        self._final = FINAL
        self._status = job_status
        self._last_error = ""
        self._watch = Watch(jobs=[job], on_change=self._on_change, on_error=self._on_error)
        self._say()
        if job_status(job) not in FINAL:
            poller().watch(self._watch)

    @property
    def watching(self) -> bool:
        """Whether the poller still refreshes the job."""
        from ..widgets._poller import poller

        return poller().is_watching(self._watch)

    def stop(self) -> None:
        """Stop following the job (the poller thread exits when no watch is left)."""
        from ..widgets._poller import poller

        poller().unwatch(self._watch)

    def _say(self) -> None:
        line = status_line(self.job)
        self.lines.append(line)
        print(line, flush=True)

    def _on_change(self, _changed: list[Any]) -> None:
        self._say()
        if self._status(self.job) in self._final:
            self.stop()

    def _on_error(self, message: str) -> None:
        if message != self._last_error:  # a service that stays down is said once
            self._last_error = message
            print(f"job {self.job.job_id()}: status refresh failed ({message}); retrying")


class JobWatcher:
    """Gives every job submitted from this kernel a live monitor on the kernel's one poller."""

    def __init__(self) -> None:
        self.monitors: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._unhook: Callable[[], None] | None = None

    @property
    def enabled(self) -> bool:
        """Whether new jobs are watched."""
        return self._unhook is not None

    def enable(self) -> None:
        """Watch every job submitted from now on."""
        if self._unhook is None:
            self._unhook = on_job_submitted(self.watch)

    def disable(self) -> None:
        """Stop watching new jobs and stop this watcher's monitors (they keep their last status)."""
        if self._unhook is not None:
            self._unhook()
            self._unhook = None
        with self._lock:
            monitors = list(self.monitors.values())
            self.monitors.clear()
        for monitor in monitors:
            monitor.stop()

    def watch(self, job: Any) -> Any:
        """Show a live monitor of ``job`` (a JobMonitor, or status lines without widgets)."""
        if _display.widgets_render():
            from IPython.display import display

            from ..widgets import watch_jobs

            monitor: Any = watch_jobs(job, show_results=False)
            display(monitor)  # type: ignore[no-untyped-call]
        else:
            monitor = StatusLines(job)
        with self._lock:
            self.monitors[job.job_id()] = monitor
        return monitor


watcher = JobWatcher()
"""The kernel's one job watcher."""


@subcommand(
    "watch",
    help="Live status for every job submitted from this kernel; 'watch off'.",
    configure=choice_argument("state", ("on", "off"), "on (default): watch new jobs; off: stop."),
)
def _watch(args: argparse.Namespace) -> None:
    if args.state == "off":
        watcher.disable()
        print("job watch off")
    else:
        watcher.enable()
        print("job watch on: every job submitted from this kernel shows a live monitor")
