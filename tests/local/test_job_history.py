"""A long job history: the v3 indices, keyset pages that lose and repeat nothing, lazy ``jobs()``.

The history is written into a private service's SQLite state (completed jobs, some sharing one
creation date), as a long-lived account accumulates it; the service answers over real HTTP.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qrt_lab.local import state_schema
from qrt_lab.local.store import Store
from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.job_pages import JobPager, LazyList

FIXTURE = Path(__file__).parent / "fixtures" / "state-v1.sqlite3"
BASE = datetime(2026, 1, 1, tzinfo=timezone.utc)
V3_INDICES = {
    "jobs_instance_created",
    "jobs_instance_status_created",
    "jobs_instance_session_created",
    "sessions_instance_started",
    "usage_instance_at",
}


def _rows(db: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    return db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def test_a_v2_state_upgrades_to_v3_without_losing_a_row(tmp_path: Path) -> None:
    database = tmp_path / "state.sqlite3"
    shutil.copy(FIXTURE, database)
    os.chmod(database, 0o600)
    with sqlite3.connect(str(database)) as db:  # what qrt-lab with schema v2 left behind
        state_schema.MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 2")
        before = {t: _rows(db, t) for t in ("jobs", "sessions", "job_params", "job_results")}
    db.close()
    assert before["jobs"] and before["sessions"]
    Store(database).close()
    with sqlite3.connect(str(database)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3 == state_schema.SCHEMA_VERSION
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        after = {t: _rows(db, t) for t in before}
    db.close()
    assert names >= V3_INDICES
    assert after == before
    assert (tmp_path / "state.sqlite3.v2.bak").is_file()


@pytest.fixture(scope="module")
def history_service(
    tmp_path_factory: pytest.TempPathFactory,
    spawn_local_service: Callable[..., AbstractContextManager[Any]],
) -> Iterator[LocalServiceInfo]:
    """A private service whose jobs table the tests fill directly."""
    with spawn_local_service(tmp_path_factory.mktemp("history"), devices=False) as (info, _):
        yield info


def _database(info: LocalServiceInfo) -> Path:
    return Path(info.state_dir) / "state.sqlite3"


def _insert(info: LocalServiceInfo, seconds: list[int], prefix: str) -> list[str]:
    """Completed jobs created ``seconds`` after BASE (equal values share one date)."""
    ids = [f"{prefix}{i:06d}" for i in range(len(seconds))]
    stamp = "%Y-%m-%dT%H:%M:%S.%fZ"
    with sqlite3.connect(str(_database(info)), timeout=30) as db:
        db.executemany(
            "INSERT INTO jobs (id, instance, program_id, backend, status, created) "
            "VALUES (?, ?, 'sampler', 'local_5q', 'Completed', ?)",
            [
                (job_id, info.instance, (BASE + timedelta(seconds=s)).strftime(stamp))
                for job_id, s in zip(ids, seconds, strict=True)
            ],
        )
    db.close()
    return ids


def _clear(info: LocalServiceInfo) -> None:
    with sqlite3.connect(str(_database(info)), timeout=30) as db:
        db.execute("DELETE FROM jobs")
    db.close()


@pytest.fixture(scope="module")
def qrt_service(history_service: LocalServiceInfo) -> Iterator[QiskitRuntimeService]:
    info = history_service
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform", token=info.api_key, url=info.url, instance=info.instance
    )
    yield service
    service.close()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    # creation second of each job: few distinct values make many jobs share one date
    history=st.lists(st.integers(0, 12), min_size=0, max_size=45),
    page_size=st.integers(1, 9),
    inserted=st.lists(st.integers(0, 4), min_size=1, max_size=8),
    descending=st.booleans(),
)
def test_keyset_pages_lose_and_repeat_no_job_while_jobs_are_submitted(
    history_service: LocalServiceInfo,
    qrt_service: QiskitRuntimeService,
    history: list[int],
    page_size: int,
    inserted: list[int],
    descending: bool,
) -> None:
    info = history_service
    _clear(info)
    existing = _insert(info, sorted(history), "h")
    pager = JobPager(qrt_service._client(), page_size=page_size, descending=descending)
    delivered: list[str] = []
    batches = iter(inserted)
    for index, job in enumerate(pager):
        delivered.append(str(job["id"]))
        if index % page_size == page_size - 1:  # between two pages: new jobs arrive
            count = next(batches, 0)
            # newer than every listed job (the second after the newest, or that very date)
            newest = max(history, default=0) + (index % 2)
            _insert(info, [newest] * count, f"n{index:04d}-")
    assert len(delivered) == len(set(delivered)), "a job was listed twice"
    assert set(existing) <= set(delivered), "a job was lost"
    listed_existing = [job_id for job_id in delivered if job_id.startswith("h")]
    # newest first: later date first, and among equal dates the later submission first
    expected = [job_id for _, job_id in sorted(zip(sorted(history), existing, strict=True))]
    assert listed_existing == (expected[::-1] if descending else expected)


def test_jobs_without_a_limit_fetch_pages_as_the_loop_reaches_them(
    history_service: LocalServiceInfo, qrt_service: QiskitRuntimeService
) -> None:
    _clear(history_service)
    ids = _insert(history_service, list(range(450)), "l")
    jobs = qrt_service.jobs(limit=None)
    assert isinstance(jobs, list) and isinstance(jobs, LazyList)
    first = next(iter(jobs))
    assert first.job_id() == ids[-1]
    assert list.__len__(jobs) == 200, "one page fetched for the first job"
    for index, _job in enumerate(jobs):
        if index == 250:
            break
    assert list.__len__(jobs) == 400 and not jobs.complete
    assert len(jobs) == 450 and jobs.complete
    assert [job.job_id() for job in jobs] == ids[::-1]
    assert jobs[-1].job_id() == ids[0] and jobs[-1].status() == "DONE"
    assert [j.job_id() for j in qrt_service.jobs(limit=3, skip=1)] == ids[-2:-5:-1]
