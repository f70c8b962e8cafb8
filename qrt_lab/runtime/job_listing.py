"""Paging through ``GET /jobs``, and refreshing job objects through ``job_refresh``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qrt_lab.runtime.status import FINAL_STATUSES

from .api.job_refresh import MAX_PAGE, JobRefresh, oldest_bound, refresh
from .job_pages import JobPager

if TYPE_CHECKING:
    from qrt_lab.runtime.job import RuntimeJobV2

    from .api.rest import RuntimeRest

__all__ = ["MAX_PAGE", "list_jobs", "refresh_jobs"]


def list_jobs(
    rest: RuntimeRest, *, limit: int | None, skip: int = 0, **filters: Any
) -> list[dict[str, Any]]:
    """Collect job documents page by page (:class:`~qrt_lab.runtime.job_pages.JobPager`).

    Stops at ``limit`` jobs, when ``count`` (total matching) is reached, or on a page with no
    new job, so an inconsistent server cannot make it loop forever.
    """
    return JobPager(rest, skip=skip, **filters).take(limit)


def refresh_jobs(jobs: Sequence[RuntimeJobV2]) -> list[str]:
    """Refresh non-final jobs with :class:`JobRefresh` (see ``QiskitRuntimeService.refresh_jobs``).

    Jobs are grouped by the client they were created with; a job the runtime no longer knows
    (404) keeps its last known status.
    """
    by_client: dict[int, list[RuntimeJobV2]] = defaultdict(list)
    clients: dict[int, RuntimeRest] = {}
    for job in jobs:
        if job.cached_status() not in FINAL_STATUSES:
            by_client[id(job._rest)].append(job)
            clients[id(job._rest)] = job._rest
    for key, pending in by_client.items():
        wanted = {job.job_id(): job for job in pending}
        since = oldest_bound(job.creation_date for job in pending)
        outcome = refresh(clients[key], JobRefresh(list(wanted), since=since))
        for job_id, job in wanted.items():
            if job_id in outcome.found:
                job._apply(outcome.found[job_id])
    return [job.cached_status() for job in jobs]
