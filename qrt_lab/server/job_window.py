"""What the live monitor knows of the newest jobs: enough to answer a jobs-list read itself.

The monitor's first listing (its baseline) is the newest page of jobs with the runtime's total
``count``; every later poll lists the jobs created since. So the monitor holds an unbroken run
of the newest jobs, from the oldest job of its baseline (the *floor*) to now, and knows the
total as the baseline's count plus the jobs it saw appear minus those it saw deleted.

:meth:`JobWindow.page` answers ``GET /jobs?limit=&offset=`` (no filter) from that run while it
is *fresh* (the last poll succeeded less than ``max_age`` seconds ago) and reaches far enough
(``offset + limit`` jobs, or the whole history). Anything else returns None and the read goes
to the runtime: a filter, a page past the floor, an account other than the monitor's, a stale
or unavailable monitor, or a poll that found more new jobs than one page holds (a run with a
hole in it: the monitor's next poll lists the newest page again, a new baseline).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

__all__ = ["JobWindow"]


class JobWindow:
    """The newest unbroken run of jobs the monitor holds, and the runtime's job total."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything (a new account, or a monitor starting over)."""
        #: the runtime's number of jobs (None before the baseline)
        self.total: int | None = None
        #: creation date of the oldest job of the run (None: the run is the whole history)
        self.floor: str | None = None
        #: a poll missed jobs: no read is answered until the next baseline
        self.broken = False
        #: ``time.monotonic()`` of the last successful poll
        self.polled_at: float | None = None

    def baseline(self, answer: Mapping[str, Any]) -> None:
        """Start from the monitor's first ``GET /jobs`` answer (the newest page, unfiltered)."""
        self.reset()
        jobs = list(answer.get("jobs") or [])
        count = answer.get("count")
        if not isinstance(count, int):
            self.broken = True
            return
        self.total = count
        if len(jobs) < count:
            created = jobs[-1].get("created") if jobs else None
            self.floor = str(created) if created else None
            self.broken = not created

    def listed_since(self, answer: Mapping[str, Any], known: Mapping[str, Any]) -> None:
        """A poll's ``created_after`` listing: a full page whose oldest job is new leaves a hole."""
        jobs = list(answer.get("jobs") or [])
        count = answer.get("count")
        if isinstance(count, int) and jobs and count > len(jobs):
            self.broken = self.broken or str(jobs[-1].get("id")) not in known

    def appeared(self, row: Mapping[str, Any]) -> None:
        """A job the monitor had not seen: new (counted) unless older than the run."""
        if self.total is not None and self.within(row):
            self.total += 1

    def removed(self) -> None:
        """A known job was deleted."""
        if self.total is not None:
            self.total = max(0, self.total - 1)

    def within(self, row: Mapping[str, Any]) -> bool:
        """Whether ``row`` belongs to the unbroken run."""
        return self.floor is None or str(row.get("created") or "") >= self.floor

    def fresh(self, max_age: float) -> bool:
        """Whether the last poll succeeded less than ``max_age`` seconds ago."""
        if max_age <= 0 or self.polled_at is None or self.total is None or self.broken:
            return False
        return time.monotonic() - self.polled_at <= max_age

    def page(
        self, rows: Mapping[str, Mapping[str, Any]], limit: int, offset: int, max_age: float
    ) -> tuple[list[dict[str, Any]], int] | None:
        """``(jobs, count)`` of the newest-first page, or None when the run cannot answer."""
        if not self.fresh(max_age) or self.total is None:
            return None
        run = [dict(row) for row in rows.values() if self.within(row)]
        if self.floor is not None and offset + limit > len(run):
            return None
        run.sort(key=lambda row: str(row.get("created") or ""), reverse=True)
        return run[offset : offset + limit], self.total
