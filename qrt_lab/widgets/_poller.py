"""One poller per kernel: every monitor's jobs are refreshed together, off the kernel's thread.

Each interval the poller gathers the unfinished jobs of every :class:`Watch`, refreshes qrt-lab
jobs with one ``service.refresh_jobs(jobs)`` call per service (the client's many-jobs refresh:
a ``GET /jobs`` listing, not a request per job), and jobs of other clients (qiskit-ibm-runtime)
with their own ``status()``. Then it tells each watch which of its jobs changed. It runs in one
daemon thread that exits when nothing is watched; widgets redraw through :class:`Throttle`, at
most ten times a second.
"""

from __future__ import annotations

import functools
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._imports import import_once

__all__ = ["FINAL", "KernelPoller", "Throttle", "Watch", "job_key", "job_status", "poller"]

FINAL = frozenset({"DONE", "CANCELLED", "ERROR"})
#: Seconds between two polls unless a watch asks for less.
DEFAULT_INTERVAL = 2.0
#: The poller never polls faster than this, whatever a watch asks.
MIN_INTERVAL = 0.2


def job_status(job: Any) -> str:
    """The last known status of a job of any client, without a request when possible."""
    cached = getattr(job, "cached_status", None)
    if callable(cached):
        return str(cached())
    status = getattr(job, "_status", None)
    if status is not None:
        return str(getattr(status, "name", status))
    return "INITIALIZING"


def job_key(job: Any) -> str:
    """The id of a job of any client."""
    job_id = getattr(job, "job_id", None)
    return str(job_id() if callable(job_id) else job_id)


def _is_qrt_job(job: Any) -> bool:
    return type(job).__module__.startswith("qrt_lab.") and hasattr(job, "cached_status")


@dataclass(eq=False)
class Watch:
    """What one monitor watches, and how it hears about changes.

    Attributes:
        jobs: The jobs to keep fresh (the poller refreshes the unfinished ones).
        on_change: Called from the poller thread with the jobs whose status changed.
        refresh: Optional extra work per poll (e.g. a session's details); called first.
        on_error: Called with a message when a poll fails; the poller keeps going.
        listed: ``refresh`` re-lists the jobs itself (a service's recent jobs), so the poller
            does not refresh them again.
    """

    jobs: list[Any]
    on_change: Callable[[list[Any]], None]
    refresh: Callable[[], None] | None = None
    on_error: Callable[[str], None] | None = None
    listed: bool = False
    last: dict[str, str] = field(default_factory=dict)

    def pending(self) -> list[Any]:
        """Jobs the poller must refresh: unfinished ones, unless ``refresh`` lists them."""
        if self.listed:
            return []
        return [job for job in self.jobs if job_status(job) not in FINAL]


class KernelPoller:
    """The single background poller of a kernel (see the module docstring)."""

    def __init__(self, interval: float = DEFAULT_INTERVAL) -> None:
        self.interval = interval
        self.polls = 0
        self._watches: list[Watch] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def watching(self) -> bool:
        """Whether any monitor is watching."""
        with self._lock:
            return bool(self._watches)

    @property
    def running(self) -> bool:
        """Whether the poller thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def watch(self, watch: Watch) -> Watch:
        """Start watching; starts the poller thread if it is not running."""
        for job in watch.jobs:
            watch.last[job_key(job)] = job_status(job)
        with self._lock:
            self._watches.append(watch)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="qrt-lab job poller", daemon=True
                )
                self._thread.start()
        return watch

    def is_watching(self, watch: Watch) -> bool:
        """Whether ``watch`` is still watched (not unwatched yet)."""
        with self._lock:
            return watch in self._watches

    def unwatch(self, watch: Watch) -> None:
        """Stop watching; the thread exits once no watch is left."""
        with self._lock:
            if watch in self._watches:
                self._watches.remove(watch)
        self._wake.set()

    def _run(self) -> None:
        import_once("qrt_lab.runtime.job_listing")
        while True:
            self._wake.wait(max(self.interval, MIN_INTERVAL))
            self._wake.clear()
            with self._lock:
                watches = list(self._watches)
                if not watches:
                    self._thread = None
                    return
            self.poll(watches)

    def poll(self, watches: Sequence[Watch] | None = None) -> None:
        """Refresh every watched job once (one list request per service) and notify watches."""
        if watches is None:
            with self._lock:
                watches = list(self._watches)
        self.polls += 1
        for watch in watches:
            if watch.refresh is not None:
                self._guard(watch, watch.refresh)
        # one object per job id is refreshed; copies held by other monitors follow it
        pending: dict[str, Any] = {}
        copies: dict[str, list[Any]] = {}
        owners: dict[str, list[Watch]] = {}
        for watch in watches:
            for job in watch.pending():
                key = job_key(job)
                pending.setdefault(key, job)
                if pending[key] is not job:
                    copies.setdefault(key, []).append(job)
                owners.setdefault(key, []).append(watch)
        failures = self._refresh(list(pending.values()))
        for key, others in copies.items():
            _copy_state(pending[key], others)
        for key, message in failures.items():
            for watch in owners.get(key, []):
                if watch.on_error is not None:
                    watch.on_error(message)
        for watch in watches:
            changed = []
            for job in watch.jobs:
                status = job_status(job)
                if watch.last.get(job_key(job)) != status:
                    watch.last[job_key(job)] = status
                    changed.append(job)
            if changed:
                self._guard(watch, functools.partial(watch.on_change, changed))

    def _refresh(self, jobs: list[Any]) -> dict[str, str]:
        """Refresh jobs, batched per service; returns job id → error message for failures."""
        failures: dict[str, str] = {}
        by_service: dict[int, tuple[Any, list[Any]]] = {}
        for job in jobs:
            service = getattr(job, "_service", None)
            if _is_qrt_job(job) and service is not None and hasattr(service, "refresh_jobs"):
                by_service.setdefault(id(service), (service, []))[1].append(job)
                continue
            try:
                job.status()  # another client's job: its own API
            except Exception as err:  # noqa: BLE001 - any client error is shown, not raised
                failures[job_key(job)] = _describe(err)
        for service, group in by_service.values():
            try:
                service.refresh_jobs(group)
            except Exception as err:  # noqa: BLE001 - a failed poll is shown, the next retries
                for job in group:
                    failures[job_key(job)] = _describe(err)
        return failures

    @staticmethod
    def _guard(watch: Watch, action: Callable[[], Any]) -> None:
        try:
            action()
        except Exception as err:  # noqa: BLE001 - one broken monitor must not stop the others
            if watch.on_error is not None:
                watch.on_error(_describe(err))


def _copy_state(source: Any, copies: list[Any]) -> None:
    """Give other objects of the same job the refreshed state (qrt-lab's job document)."""
    document = getattr(source, "_data", None)
    for job in copies:
        if document and hasattr(job, "_apply"):
            job._apply(document)
        elif not hasattr(job, "_apply"):
            job.status()


def _describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"


_POLLER: KernelPoller | None = None
_POLLER_LOCK = threading.Lock()


def poller() -> KernelPoller:
    """The kernel's poller (created on first use)."""
    global _POLLER
    with _POLLER_LOCK:
        if _POLLER is None:
            _POLLER = KernelPoller()
        return _POLLER


class Throttle:
    """Call ``action`` at most once per ``min_interval`` seconds; late calls are coalesced.

    Args:
        action: What to run (a redraw).
        min_interval: Minimum seconds between two runs (0.1: at most ten redraws a second).
    """

    def __init__(self, action: Callable[[], None], min_interval: float = 0.1) -> None:
        self._action = weakref.WeakMethod(action) if hasattr(action, "__self__") else None
        self._plain = None if self._action is not None else action
        self._min = min_interval
        self._last = 0.0
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self.runs = 0

    def __call__(self) -> None:
        with self._lock:
            wait = self._last + self._min - time.monotonic()
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self._fire)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._last = time.monotonic()
        self._run()

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
            self._last = time.monotonic()
        self._run()

    def _run(self) -> None:
        action = self._action() if self._action is not None else self._plain
        if action is not None:
            self.runs += 1
            action()
