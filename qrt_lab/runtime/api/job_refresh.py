"""Refreshing many jobs with few requests, written once as a sans-IO flow with two drivers.

:class:`JobRefresh` holds the strategy; its :meth:`~JobRefresh.flow` generator yields the
:class:`~qrt_lab.runtime.api.rest.RestCall` to send next and receives the decoded answer (a
failed call is thrown into it). :func:`refresh` drives it with a :class:`RuntimeRest`,
:func:`arefresh` with an :class:`AsyncRuntimeRest`. The strategy:

1. ``GET /jobs?created_after=<oldest watched - 1 s>`` pages (200 jobs each, at most ``pages``),
   stopping once every watched job is found; without a bound, the newest page(s).
2. Watched jobs still missing (over ``pages * 200`` jobs created since) are looked for in the
   pending list, then in the newest final jobs (``lists=True``).
3. Only jobs missing from all of them are fetched one by one (at most ``max_single``); a 404
   there means the job was deleted.

``QiskitRuntimeService.refresh_jobs(jobs)`` runs it for job objects, and the server's live
monitor runs it every poll. A kernel poller watching N job ids calls the sync driver from its
thread, one call per tick, with a client of its own (httpx clients are not shared across
threads)::

    from qrt_lab.runtime.api.job_refresh import JobRefresh, oldest_bound, refresh

    rest = service._client()  # or RuntimeRest(connection)
    created = {job_id: job.creation_date for job_id, job in watched.items()}
    outcome = refresh(rest, JobRefresh(list(created), since=oldest_bound(created.values())))
    for job_id in created:
        item = outcome.found.get(job_id)  # the GET /jobs item (state, usage ...) or None
        ...
    # outcome.gone: ids the runtime no longer knows; outcome.requests: how many were sent

Ids of final jobs should be dropped from ``watched`` (they never change again).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Generator, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from qrt_lab.runtime.exceptions import RequestsApiError

from .rest import RestCall, RestCore

if TYPE_CHECKING:
    from .rest import AsyncRuntimeRest, RuntimeRest

__all__ = [
    "CALLS",
    "MAX_PAGE",
    "JobRefresh",
    "RefreshOutcome",
    "SessionRefresh",
    "adrive",
    "arefresh",
    "drive",
    "newest_bound",
    "oldest_bound",
    "refresh",
]

#: Jobs per ``GET /jobs`` page (the runtime's maximum).
MAX_PAGE = 200

R = TypeVar("R")
#: What a flow yields and receives: a call to send, then its decoded answer.
Flow = Generator[RestCall, Any, R]


class _CallBuilder(RestCore[RestCall]):
    """The endpoint table of :class:`RestCore`, returning the calls instead of sending them."""

    def _call(self, call: RestCall) -> RestCall:
        return call


#: Builds :class:`RestCall` objects with the REST client's own endpoint methods.
CALLS = _CallBuilder()


def oldest_bound(created: Iterable[datetime | None]) -> datetime | None:
    """One second before the oldest creation time; None when any is unknown (or none given).

    The second of margin makes it irrelevant whether ``created_after`` is inclusive.
    """
    return _bound(created, min)


def newest_bound(created: Iterable[datetime | None]) -> datetime | None:
    """One second before the newest creation time; None when any is unknown (or none given)."""
    return _bound(created, max)


def _bound(
    created: Iterable[datetime | None], pick: Callable[[list[datetime]], datetime]
) -> datetime | None:
    stamps = list(created)
    known = [stamp for stamp in stamps if stamp is not None]
    if not stamps or len(known) < len(stamps):
        return None
    return pick(known) - timedelta(seconds=1)


@dataclass
class RefreshOutcome:
    """What a refresh found.

    Attributes:
        found: Job id → job object, for every job the answers carried (watched or not).
        gone: Watched ids the runtime answered 404 for (deleted jobs).
        requests: Requests sent.
    """

    found: dict[str, dict[str, Any]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    requests: int = 0


@dataclass
class JobRefresh:
    """The refresh strategy for a set of watched job ids (see the module docstring).

    Attributes:
        watched: Ids of the jobs to refresh.
        since: List jobs created after this time (None: the newest jobs).
        pages: ``GET /jobs`` pages at most in step 1.
        page_size: Jobs per page.
        lists: Whether step 2 (pending, then final lists) runs.
        max_single: Single ``GET /jobs/{id}`` at most (None: no limit).
    """

    watched: Collection[str]
    since: datetime | None = None
    pages: int = 5
    page_size: int = MAX_PAGE
    lists: bool = True
    max_single: int | None = None

    def flow(self) -> Flow[RefreshOutcome]:
        """Run the strategy as a generator of calls (see the module docstring)."""
        out = RefreshOutcome()
        missing = set(self.watched)
        offset = 0
        for _ in range(self.pages):
            page = yield CALLS.jobs(
                limit=self.page_size, offset=offset or None, created_after=self.since
            )
            out.requests += 1
            items = _items(page)
            self._take(out, missing, items)
            offset += len(items)
            count = (page or {}).get("count")
            if not missing or not items or (isinstance(count, int) and offset >= count):
                break
        for pending in (True, False) if self.lists else ():
            if not missing:
                break
            page = yield CALLS.jobs(limit=MAX_PAGE, pending=pending)
            out.requests += 1
            self._take(out, missing, _items(page))
        for job_id in sorted(missing)[: self.max_single]:
            out.requests += 1
            try:
                item = yield CALLS.job(job_id)
            except RequestsApiError as err:
                if err.status_code != 404:
                    raise
                out.gone.add(job_id)
                continue
            if isinstance(item, dict):
                out.found[job_id] = item
        return out

    @staticmethod
    def _take(out: RefreshOutcome, missing: set[str], items: list[dict[str, Any]]) -> None:
        for item in items:
            job_id = str(item.get("id"))
            out.found[job_id] = item
            missing.discard(job_id)


@dataclass
class SessionRefresh:
    """``GET /sessions/{id}`` for each id; a 404 means the session is gone.

    Attributes:
        ids: The sessions to fetch, in order.
    """

    ids: Collection[str]

    def flow(self) -> Flow[dict[str, dict[str, Any] | None]]:
        """Yield one call per session; return id → session document (None when gone)."""
        sessions: dict[str, dict[str, Any] | None] = {}
        for session_id in self.ids:
            try:
                body = yield CALLS.session(session_id)
            except RequestsApiError as err:
                if err.status_code != 404:
                    raise
                sessions[session_id] = None
                continue
            sessions[session_id] = body if isinstance(body, dict) else {}
        return sessions


def _items(page: Any) -> list[dict[str, Any]]:
    jobs = page.get("jobs") if isinstance(page, dict) else None
    return [item for item in jobs or [] if isinstance(item, dict)]


def drive(flow: Flow[R], send: Callable[[RestCall], Any]) -> R:
    """Run ``flow`` to its end, sending each call with ``send`` (errors are thrown back in)."""
    try:
        call = next(flow)
        while True:
            try:
                answer = send(call)
            except Exception as err:  # noqa: BLE001 - the flow decides, or re-raises it
                call = flow.throw(err)
            else:
                call = flow.send(answer)
    except StopIteration as stop:
        result: R = stop.value
        return result


async def adrive(flow: Flow[R], send: Callable[[RestCall], Awaitable[Any]]) -> R:
    """The async twin of :func:`drive`."""
    try:
        call = next(flow)
        while True:
            try:
                answer = await send(call)
            except Exception as err:  # noqa: BLE001 - the flow decides, or re-raises it
                call = flow.throw(err)
            else:
                call = flow.send(answer)
    except StopIteration as stop:
        result: R = stop.value
        return result


def refresh(rest: RuntimeRest, strategy: JobRefresh) -> RefreshOutcome:
    """Refresh the watched jobs with a synchronous client."""
    return drive(strategy.flow(), rest.send)


async def arefresh(rest: AsyncRuntimeRest, strategy: JobRefresh) -> RefreshOutcome:
    """Refresh the watched jobs with an asynchronous client."""
    return await adrive(strategy.flow(), rest.send)
