"""The live monitor: one coalesced poller for the active account, pushing job and session events.

Every interval it asks with **one** ``GET /jobs`` request for every job created since the oldest
job still watched (or the newest page when nothing is watched); more requests only when over 200
jobs were created since then. It diffs the answer against
what it saw before and publishes :class:`JobEvent`-shaped dicts to every subscriber. It polls
fast while something is queued or running, slowly when all is final, and not at all without
subscribers. When the runtime is unreachable it backs off, publishes ``unavailable`` once, and on
recovery diffs against the last known state, so no final transition is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..runtime.api.timestamps import parse_timestamp
from ..runtime.summaries.job_events import apply_listing
from ..runtime.summaries.jobs import JobSummary
from .account_book import LOCAL_ACCOUNT
from .active_runtime import ActiveRuntime, RuntimeHub
from .config import QrtLabConfig
from .job_window import JobWindow
from .problems import is_unreachable, problem_from_exception, redact
from .session_watch import SessionWatch

if TYPE_CHECKING:
    from ..runtime.api.rest import AsyncRuntimeRest, RestCall

__all__ = ["JobMonitor", "Subscriber"]

log = logging.getLogger(__name__)

#: Jobs fetched one by one per poll at most (only those missing from every list).
MAX_SINGLE_FETCHES = 5

#: Distinct ``(limit, offset)`` pages memoised per version of the snapshot.
MAX_MEMO_PAGES = 32

#: A subscriber receives each event dict; it must not block.
Subscriber = Callable[[dict[str, Any]], None]


class JobMonitor:
    """Watches the active account's jobs and fans out changes.

    Args:
        hub: Gives the active account's REST client.
        config: Poll intervals and page size.
    """

    def __init__(self, hub: RuntimeHub, config: QrtLabConfig) -> None:
        self.hub = hub
        self.config = config
        self.subscribers: set[Subscriber] = set()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.account_key: str | None = None
        self.available = True
        self.last_error: str | None = None
        #: ``(code, hint)`` of the last outage: what the panel tells the user to do
        self.last_problem: tuple[str, str] = ("runtime_unavailable", "")
        self.requests = 0
        self.polls = 0
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._baseline = False
        #: Jobs deleted through this API: a poll already in flight may still list them.
        self._deleted: set[str] = set()
        self.session_watch = SessionWatch(config.session_poll_interval)
        #: the unbroken run of newest jobs, so a jobs-list read can skip the runtime
        self.window = JobWindow()
        #: bumped whenever ``jobs`` or the window may have changed (each poll, a delete)
        self.version = 0
        #: ``(limit, offset)`` → the page of this version: a burst of reads sorts the jobs once
        self._pages: dict[tuple[int, int], tuple[list[Any], int] | None] = {}
        self._listings: list[tuple[RestCall, Any]] = []

    # --- subscribers
    def subscribe(self, subscriber: Subscriber) -> None:
        """Add a subscriber, send it the current snapshot, and start polling if needed."""
        self.subscribers.add(subscriber)
        if self._baseline:
            subscriber(self.snapshot())
        elif not self.available:
            # no snapshot until the runtime answers: say why, or the newcomer waits in silence
            subscriber(self._unavailable_event())
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())
        self.nudge()

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Remove a subscriber; the poller stops when the last one leaves."""
        self.subscribers.discard(subscriber)
        if not self.subscribers:
            self.nudge()

    def publish(self, event: dict[str, Any]) -> None:
        """Send ``event`` to every subscriber (a failing one is dropped, the rest still get it)."""
        for subscriber in list(self.subscribers):
            try:
                subscriber(event)
            except Exception:  # noqa: BLE001 - one closed socket must not stop the others
                self.subscribers.discard(subscriber)

    def snapshot(self) -> dict[str, Any]:
        """The ``snapshot`` event: every job the monitor knows, newest first."""
        jobs = sorted(self.jobs.values(), key=lambda j: str(j.get("created") or ""), reverse=True)
        return {
            "type": "snapshot",
            "account": self.account_key,
            "available": self.available,
            "jobs": jobs,
            "sessions": [{"id": sid, **view} for sid, view in self.session_watch.sessions.items()],
        }

    def page(self, account_key: str, limit: int, offset: int) -> tuple[list[Any], int] | None:
        """``(jobs, count)`` of an unfiltered jobs-list page from the snapshot, if it is fresh.

        None when ``account_key`` is not the monitored account, or the snapshot is stale,
        unavailable, or does not reach that far (see :class:`JobWindow`).
        """
        if account_key != self.account_key or not self.available or not self._baseline:
            return None
        max_age = self.config.snapshot_max_age
        if not self.window.fresh(max_age):
            return None
        key = (limit, offset)
        if key not in self._pages:
            if len(self._pages) >= MAX_MEMO_PAGES:
                self._pages.clear()
            self._pages[key] = self.window.page(self.jobs, limit, offset, max_age)
        return self._pages[key]

    def _changed(self) -> None:
        self.version += 1
        self._pages = {}

    def nudge(self) -> None:
        """Poll now (after a cancel, a new subscriber, or an account change)."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop polling (server shutdown)."""
        self.subscribers.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    # --- the poll loop
    def _interval(self, failures: int) -> float:
        if failures:
            base: float = float(self.config.poll_interval_active) * 2.0**failures
            return min(float(self.config.poll_backoff_max), base)
        running = any(not j["final"] for j in self.jobs.values())
        interval = self.config.poll_interval_active if running else self.config.poll_interval_idle
        return float(interval)

    async def _run(self) -> None:
        failures = 0
        while self.subscribers:
            self._wake.clear()
            started = time.monotonic()
            failures = 0 if await self.poll_once() else failures + 1
            wait = self._interval(failures) - (time.monotonic() - started)
            if not self.subscribers:
                break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, wait))
            # a nudge (refresh, cancel) polls early, but a client sending "refresh" in a loop
            # must not turn the poller into a flood of GET /jobs: at most one per active interval
            gap = float(self.config.poll_interval_active) - (time.monotonic() - started)
            if gap > 0 and self.subscribers:
                await asyncio.sleep(gap)

    async def poll_once(self) -> bool:
        """Poll the runtime once; publish changes. Returns False when the runtime failed."""
        runtime: ActiveRuntime | None = None
        try:
            runtime = await self.hub.active()
            if runtime.ref.key != self.account_key:
                self._switch_account(runtime.ref.key)
            self._listings = []
            listed = await self._fetch(runtime)
            made, session_events = await self.session_watch.discover(runtime.rest)
            self.requests += made
            if self.session_watch.due():
                rows = [JobSummary.from_api(j).to_json() for j in listed.values()]
                made, refreshed = await self.session_watch.refresh(runtime.rest, rows)
                self.requests += made
                session_events += refreshed
        except Exception as exc:  # noqa: BLE001 - outages are reported, never raised
            self._unavailable(exc, runtime)
            if runtime is not None and is_unreachable(exc):
                await self.hub.forget_if_local_moved(runtime)
            return False
        self.polls += 1
        if not self.available:
            self.available = True
            self.last_error = None
            self.publish({"type": "monitor", "state": "available", "account": self.account_key})
        self._apply(listed)
        self.window.polled_at = time.monotonic()
        for event in session_events:
            self.publish(event)
        return True

    def _switch_account(self, key: str) -> None:
        previous, self.account_key = self.account_key, key
        self.jobs = {}
        self._changed()
        self._deleted.clear()
        self.session_watch.clear()
        self.window.reset()
        self._baseline = False
        if previous is not None:
            self.publish({"type": "account", "account": key})

    async def _fetch(self, runtime: ActiveRuntime) -> dict[str, dict[str, Any]]:
        """Every job created since the oldest watched one, normally in one request.

        Runs :class:`~qrt_lab.runtime.api.job_refresh.JobRefresh` with one page. With nothing
        watched it asks for jobs created since the newest one already known (the newest page on
        the first poll), so a burst of new jobs is never cut off. A watched job missing from the
        answer is looked for in the pending list, then in the newest final jobs, and only then
        fetched on its own (at most a few per poll); a 404 there means it was deleted.
        """
        # imported with the runtime client (lazy_runtime), after hub.active() made sure of it
        from ..runtime.api.job_refresh import (
            MAX_PAGE,
            JobRefresh,
            adrive,
            newest_bound,
            oldest_bound,
        )

        watched_rows = [row for row in self.jobs.values() if not row["final"]]
        if watched_rows:
            since = oldest_bound(parse_timestamp(row.get("created")) for row in watched_rows)
        else:
            since = newest_bound(parse_timestamp(row.get("created")) for row in self.jobs.values())
        if self.window.broken:
            since = None  # the newest page again: a new baseline for the snapshot reads
        strategy = JobRefresh(
            [row["id"] for row in watched_rows],
            since=since,
            pages=1,
            page_size=MAX_PAGE if since is not None else self.config.poll_page_size,
            max_single=MAX_SINGLE_FETCHES,
        )
        outcome = await adrive(strategy.flow(), functools.partial(self._send, runtime.rest))
        for job_id in outcome.gone:
            self.forget(job_id)
        return outcome.found

    async def _send(self, rest: AsyncRuntimeRest, call: RestCall) -> Any:
        self.requests += 1
        answer = await rest.send(call)
        if call.method == "GET" and call.path == "/jobs" and not self._listings:
            self._listings.append((call, answer))  # the poll's main listing
        return answer

    def _apply(self, listed: dict[str, dict[str, Any]]) -> None:
        self._changed()
        self._follow_window(listed)
        events = apply_listing(self.jobs, listed, skip=self._deleted)
        if not self._baseline:
            # the first listing is the baseline: one snapshot instead of an event per job
            self._baseline = True
            self.publish(self.snapshot())
            return
        for event in events:
            self.publish(event)

    def _follow_window(self, listed: dict[str, dict[str, Any]]) -> None:
        """Keep the window's total and floor in step with this poll's listing."""
        call, main = self._listings[0] if self._listings else (None, None)
        newest_page = call is not None and all(key != "created_after" for key, _ in call.params)
        if not self._baseline or (self.window.broken and newest_page):
            self.window.baseline(main if isinstance(main, dict) else {})
            return
        if isinstance(main, dict):
            self.window.listed_since(main, self.jobs)
        for job_id, raw in listed.items():
            if job_id not in self.jobs and job_id not in self._deleted:
                self.window.appeared(raw)

    def _unavailable(self, exc: BaseException, runtime: ActiveRuntime | None) -> None:
        secrets = runtime.secrets if runtime else []
        message = redact(str(exc) or type(exc).__name__, secrets)
        log.warning("qrt-lab monitor: runtime unavailable: %s", message)
        local = runtime.ref.name == LOCAL_ACCOUNT if runtime else False
        problem = problem_from_exception(exc, "the jobs list", local=local)
        first = self.available
        self.available = False
        self.last_error = message
        self.last_problem = (problem.code, redact(problem.hint, secrets))
        if first:
            self.publish(self._unavailable_event())

    def _unavailable_event(self) -> dict[str, Any]:
        code, hint = self.last_problem
        return {
            "type": "monitor",
            "state": "unavailable",
            "account": self.account_key,
            "message": self.last_error,
            "code": code,
            "hint": hint,
        }

    def forget(self, job_id: str) -> None:
        """A handler deleted a job: drop it and tell everyone."""
        self._deleted.add(job_id)
        self._changed()
        if self.jobs.pop(job_id, None) is not None:
            self.window.removed()
            self.publish({"type": "job", "event": "deleted", "job_id": job_id})
