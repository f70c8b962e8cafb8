"""``GET /jobs`` page by page with a creation-date keyset, and the lazy list ``jobs()`` returns.

Offset paging of a newest-first list loses nothing only while no job is submitted: each new job
pushes every later page down by one, so the next page repeats the last job of this one (and a
deletion skips one). :class:`JobPager` pages by the creation date instead. The first request is
``offset=skip``; each next one asks for jobs created up to the last one delivered
(``created_before`` it, plus 1 µs, which covers services that read the bound inclusively or
not), skipping as many as were already delivered with that very date. New jobs are newer than
the bound and never shift a page; ids already delivered are dropped, should a service round
timestamps. Oldest-first listings use ``created_after`` the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from .api.job_refresh import MAX_PAGE
from .api.timestamps import parse_timestamp

if TYPE_CHECKING:
    from .api.rest import RuntimeRest

__all__ = ["MAX_PAGE", "JobPager", "LazyList"]

_EPSILON = timedelta(microseconds=1)
#: Pages in a row with no new job before a listing is taken to be at its end (a service that
#: ignores the paging arguments must not make it loop until ``count``).
MAX_STALE_PAGES = 50
T = TypeVar("T")


class JobPager:
    """The job documents of one filtered listing, fetched one page at a time as iterated.

    Args:
        rest: The runtime client.
        skip: Jobs to skip at the start (the first page's ``offset``).
        page_size: Jobs asked for per request (default :data:`MAX_PAGE`, the runtime's largest).
        filters: The other ``RuntimeRest.jobs`` arguments (``descending`` included).
    """

    def __init__(
        self, rest: RuntimeRest, *, skip: int = 0, page_size: int | None = None, **filters: Any
    ) -> None:
        self.rest = rest
        self.skip = skip
        self.page_size = page_size or MAX_PAGE
        self.filters = filters
        self.requests = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for page in self.pages():
            yield from page

    def pages(self) -> Iterator[list[dict[str, Any]]]:
        """The listing one page at a time (jobs already listed left out)."""
        descending = bool(self.filters.get("descending", True))
        bound_name = "created_before" if descending else "created_after"
        seen: set[str] = set()
        offset, bound, at_bound, stale = self.skip, None, 0, 0
        while stale < MAX_STALE_PAGES:
            filters = dict(self.filters)
            if bound is not None:
                filters[bound_name] = bound + _EPSILON if descending else bound - _EPSILON
            data = self.rest.jobs(limit=self.page_size, offset=offset, **filters) or {}
            self.requests += 1
            page = list(data.get("jobs") or [])
            fresh = [job for job in page if str(job.get("id")) not in seen]
            seen.update(str(job.get("id")) for job in fresh)
            if fresh:
                yield fresh
            count = data.get("count")
            left = count - offset - len(page) if isinstance(count, int) else len(page)
            if not page or left <= 0:
                return
            # a page of jobs already listed: jobs submitted with the bound's very date pushed
            # them down; the offset still moves on past them
            stale = 0 if fresh else stale + 1
            bound, at_bound = _advance(bound, at_bound, page)
            offset = at_bound

    def take(self, limit: int | None) -> list[dict[str, Any]]:
        """The first ``limit`` documents (all with None), asking no more than needed."""
        if limit is not None and limit <= 0:
            return []
        out: list[dict[str, Any]] = []
        if limit is not None:
            self.page_size = min(self.page_size, limit)
        for job in self:
            out.append(job)
            if limit is not None and len(out) >= limit:
                break
        return out


def _advance(
    bound: datetime | None, at_bound: int, page: list[dict[str, Any]]
) -> tuple[datetime | None, int]:
    """The creation date of the page's last job and how many delivered jobs carry it."""
    last = parse_timestamp(page[-1].get("created"))
    if last is None:
        # no date to page by: fall back to offsets (what the official client does)
        return bound, at_bound + len(page)
    same = sum(1 for job in page if parse_timestamp(job.get("created")) == last)
    if same == len(page) and bound == last:
        same += at_bound  # a whole page of one date: keep counting past the earlier ones
    return last, same


_FORCING = (
    "__len__", "__getitem__", "__contains__", "__reversed__", "__repr__", "__str__", "__eq__",
    "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__mul__",
    "__rmul__", "__iadd__", "__imul__", "__setitem__", "__delitem__", "__reduce_ex__",
    "index", "count", "copy", "sort", "reverse", "pop", "remove", "insert",
    "append", "extend", "clear",
)  # fmt: skip


class LazyList(list[T]):
    """A ``list`` whose items ``source`` produces a chunk (a page) at a time as it is iterated.

    Iterating yields the items fetched so far, then fetches more as the loop goes on (a ``for``
    loop that breaks early never fetches the rest). Every other list operation (``len``,
    indexing, slicing, ``==``, ``repr``, ``sort`` ...) first fetches everything, so the object
    behaves as the list qiskit-ibm-runtime returns. Only a C extension reading the list's storage
    directly (without its length or an iterator) would see just the items fetched so far; give
    it ``list(x)``.
    """

    def __init__(self, source: Iterator[Sequence[T]]) -> None:
        super().__init__()
        self._source: Iterator[Sequence[T]] | None = source

    @property
    def complete(self) -> bool:
        """True once every item has been fetched."""
        return self._source is None

    def _pull(self) -> bool:
        """Fetch one more chunk; False when the source is exhausted."""
        if self._source is None:
            return False
        try:
            chunk = next(self._source)
        except StopIteration:
            self._source = None
            return False
        list.extend(self, chunk)
        return True

    def _fetch_all(self) -> None:
        while self._pull():
            pass

    def __iter__(self) -> Iterator[T]:
        index = 0
        while True:
            if index < list.__len__(self):
                yield list.__getitem__(self, index)
                index += 1
            elif not self._pull():
                return


def _forcing(name: str) -> Callable[..., Any]:
    base = getattr(list, name)

    def method(self: LazyList[Any], *args: Any, **kwargs: Any) -> Any:
        self._fetch_all()
        if name == "__reduce_ex__":
            return (list, (list(list.__iter__(self)),))
        return base(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = base.__doc__
    return method


for _name in _FORCING:
    setattr(LazyList, _name, _forcing(_name))
