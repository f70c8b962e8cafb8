"""``%qruntime watch`` / ``watch off``: a live status line for every job this kernel submits.

Job submission is hooked through :func:`qrt_lab.runtime.observers.on_job_submitted`. All watched
jobs share one poller thread per kernel that refreshes them with a few job-list requests
(:func:`qrt_lab.runtime.api.job_listing.refresh_jobs`), not one thread or request loop per job.
"""

from __future__ import annotations

import argparse
import html
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..runtime.observers import on_job_submitted
from ._dispatch import subcommand

if TYPE_CHECKING:
    from ..runtime.job import RuntimeJobV2

__all__ = ["JobWatcher", "watcher"]

logger = logging.getLogger(__name__)
_COLOURS = {
    "DONE": "var(--jp-success-color1, green)",
    "ERROR": "var(--jp-error-color1, red)",
    "CANCELLED": "var(--jp-warn-color1, orange)",
}


class JobWatcher:
    """Shows one live status widget per submitted job, refreshed by a single poller thread.

    Args:
        interval: Seconds between refreshes while some watched job is not final.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.views: dict[str, tuple[RuntimeJobV2, Any]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
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
        """Stop watching new jobs and stop the poller (shown lines keep their last status)."""
        if self._unhook is not None:
            self._unhook()
            self._unhook = None
        with self._lock:
            self.views.clear()
        self._wake.set()

    def watch(self, job: RuntimeJobV2) -> Any:
        """Show a live status line for ``job`` and make sure the poller runs; return the widget."""
        import ipywidgets
        from IPython.display import display

        view = ipywidgets.HTML(value=_line(job))
        with self._lock:
            self.views[job.job_id()] = (job, view)
            if self._thread is None or not self._thread.is_alive():
                self._wake.clear()
                self._thread = threading.Thread(
                    target=self._poll, name="qrt-job-watch", daemon=True
                )
                self._thread.start()
        display(view)  # type: ignore[no-untyped-call]
        return view

    def _poll(self) -> None:
        from ..runtime.api.job_listing import refresh_jobs
        from ..runtime.status import FINAL_STATUSES

        while True:
            with self._lock:
                watched = [
                    (job, view)
                    for job, view in self.views.values()
                    if job.cached_status() not in FINAL_STATUSES
                ]
                if not watched:
                    self._thread = None
                    return
            if self._wake.wait(self.interval):
                self._wake.clear()
            try:
                refresh_jobs([job for job, _ in watched])
            except Exception as exc:  # noqa: BLE001 - a flaky network must not kill the only poller
                logger.warning("job watch refresh failed: %s", exc)
                continue
            for job, view in watched:
                view.value = _line(job)


def _line(job: RuntimeJobV2) -> str:
    status = job.cached_status()
    colour = _COLOURS.get(status, "var(--jp-ui-font-color1, inherit)")
    backend = getattr(job._backend, "name", job._backend)
    return (
        f'<span class="qrt-job-watch"><code>{html.escape(job.job_id())}</code> '
        f"{html.escape(str(job.primitive_id))} on {html.escape(str(backend))}: "
        f'<b style="color:{colour}">{html.escape(status)}</b></span>'
    )


watcher = JobWatcher()
"""The kernel's one job watcher."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "state",
        nargs="?",
        choices=("on", "off"),
        default="on",
        help="on (default): watch new jobs; off: stop.",
    )


@subcommand(
    "watch",
    help="Live status for every job submitted from this kernel; 'watch off'.",
    configure=_configure,
)
def _watch(args: argparse.Namespace) -> None:
    if args.state == "off":
        watcher.disable()
        print("job watch off")
    else:
        watcher.enable()
        print("job watch on: every job submitted from this kernel shows a live status line")
