"""Keyset pages against a cloud whose ``created_before``/``created_after`` may be exclusive.

The platform does not document whether its date bounds include the bound; the local service's
do (``tests/local/test_job_history.py`` runs the same property over real HTTP). Here the IBM
cloud is faked at the httpx transport with either reading, millisecond dates (many jobs share
one), and jobs submitted between two pages.
"""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from runtime_fakes import FakeCloud, connection

from qrt_lab.runtime.api.rest import RuntimeRest
from qrt_lab.runtime.api.timestamps import read_timestamp
from qrt_lab.runtime.job_pages import JobPager, LazyList

BASE = datetime(2026, 1, 1, tzinfo=timezone.utc)


class Listing:
    """``GET /jobs`` over an in-memory history: newest first by date then submission."""

    def __init__(self, inclusive: bool) -> None:
        self.inclusive = inclusive
        self.jobs: list[dict[str, Any]] = []

    def add(self, ms: int) -> str:
        job_id = f"j{len(self.jobs):05d}"
        stamp = (BASE + timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        self.jobs.append({"id": job_id, "created": stamp, "seq": len(self.jobs)})
        return job_id

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        rows = [dict(job, at=read_timestamp(job["created"])) for job in self.jobs]
        before, after = params.get("created_before"), params.get("created_after")
        if before:
            bound = read_timestamp(before)
            rows = [r for r in rows if r["at"] <= bound if self.inclusive or r["at"] < bound]
        if after:
            bound = read_timestamp(after)
            rows = [r for r in rows if r["at"] >= bound if self.inclusive or r["at"] > bound]
        ascending = params.get("sort") == "ASC"
        rows.sort(key=lambda r: (r["at"], r["seq"]), reverse=not ascending)
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 200))
        page = [{"id": r["id"], "created": r["created"]} for r in rows[offset : offset + limit]]
        return httpx.Response(200, json={"jobs": page, "count": len(rows)})


@settings(max_examples=150, deadline=None)
@given(
    history=st.lists(st.integers(0, 6), max_size=40),
    page_size=st.integers(1, 7),
    arrivals=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=10),
    inclusive=st.booleans(),
    descending=st.booleans(),
)
def test_no_job_is_lost_or_listed_twice_while_jobs_arrive(
    history: list[int],
    page_size: int,
    arrivals: list[tuple[int, bool]],
    inclusive: bool,
    descending: bool,
) -> None:
    listing = Listing(inclusive)
    existing = [listing.add(ms) for ms in sorted(history)]
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(FakeCloud(listing)))
    pager = JobPager(rest, page_size=page_size, descending=descending)
    delivered: list[str] = []
    waves = iter(arrivals)
    for page in pager.pages():
        delivered += [str(job["id"]) for job in page]
        count, same_date = next(waves, (0, False))
        newest = max(history, default=0)
        for _ in range(count):  # submitted now: the newest date, or that very millisecond
            listing.add(newest if same_date else newest + 1)
    assert len(delivered) == len(set(delivered)), "a job was listed twice"
    old = [job_id for job_id in delivered if job_id in set(existing)]
    assert old == (existing[::-1] if descending else existing), "lost or out of order"


def test_the_lazy_list_fetches_pages_only_as_needed_and_acts_as_a_list() -> None:
    listing = Listing(inclusive=False)
    ids = [listing.add(ms) for ms in range(7)]
    cloud = FakeCloud(listing)
    rest = RuntimeRest(connection(), transport=httpx.MockTransport(cloud))
    lazy = LazyList(JobPager(rest, page_size=3).pages())
    assert next(iter(lazy))["id"] == ids[-1]
    assert len(cloud.runtime_requests()) == 1 and list.__len__(lazy) == 3
    assert [job["id"] for job in lazy] == ids[::-1]
    assert len(cloud.runtime_requests()) == 3 and lazy.complete
    again = LazyList(JobPager(rest, page_size=3).pages())
    assert again == list(again) and len(again) == 7 and again[-1]["id"] == ids[0]
    copied = pickle.loads(pickle.dumps(LazyList(JobPager(rest, page_size=3).pages())))
    assert type(copied) is list and [job["id"] for job in copied] == ids[::-1]
    assert not LazyList(iter([]))
