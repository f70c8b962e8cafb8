"""Paging through ``GET /jobs`` and refreshing many jobs with few requests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from qrt_lab.runtime.status import FINAL_STATUSES

if TYPE_CHECKING:
    from qrt_lab.runtime.job import RuntimeJobV2

    from .rest import RuntimeRest

__all__ = ["MAX_PAGE", "list_jobs", "refresh_jobs"]

MAX_PAGE = 200
REFRESH_PAGES = 5


def list_jobs(
    rest: RuntimeRest, *, limit: int | None, skip: int = 0, **filters: Any
) -> list[dict[str, Any]]:
    """Collect job documents page by page.

    Stops at ``limit`` jobs, when ``count`` (total matching) is reached, or on an empty page, so
    an inconsistent server cannot make it loop forever.
    """
    collected: list[dict[str, Any]] = []
    offset = skip
    while True:
        page_size = MAX_PAGE if limit is None else min(limit - len(collected), MAX_PAGE)
        if page_size <= 0:
            break
        data = rest.jobs(limit=page_size, offset=offset, **filters) or {}
        page = list(data.get("jobs") or [])
        collected.extend(page)
        offset += len(page)
        count = data.get("count")
        if not page or (isinstance(count, int) and len(collected) >= count - skip):
            break
    return collected if limit is None else collected[:limit]


def refresh_jobs(jobs: Sequence[RuntimeJobV2]) -> list[str]:
    """Refresh non-final jobs from the job list (see ``QiskitRuntimeService.refresh_jobs``)."""
    by_client: dict[int, list[RuntimeJobV2]] = defaultdict(list)
    clients: dict[int, RuntimeRest] = {}
    for job in jobs:
        if job.cached_status() not in FINAL_STATUSES:
            by_client[id(job._rest)].append(job)
            clients[id(job._rest)] = job._rest
    for key, pending in by_client.items():
        _refresh_from_list(clients[key], pending)
    return [job.cached_status() for job in jobs]


def _refresh_from_list(rest: RuntimeRest, jobs: list[RuntimeJobV2]) -> None:
    wanted = {job.job_id(): job for job in jobs}
    dates = [job.creation_date for job in jobs]
    after = min(d for d in dates if d is not None) - timedelta(seconds=1) if all(dates) else None
    offset = 0
    for _ in range(REFRESH_PAGES):
        data = rest.jobs(limit=MAX_PAGE, offset=offset, created_after=after) or {}
        page = list(data.get("jobs") or [])
        for item in page:
            job = wanted.pop(str(item.get("id")), None)
            if job is not None:
                job._apply(item)
        offset += len(page)
        count = data.get("count")
        if not wanted or not page or (isinstance(count, int) and offset >= count):
            break
    for job in wanted.values():
        job.status()
