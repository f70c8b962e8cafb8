"""Cancelling a job that finishes between the scheduler's read and its update answers 409."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from qrt_lab.local.config import ServiceConfig
from qrt_lab.local.errors import ApiError
from qrt_lab.local.scheduler import Scheduler
from qrt_lab.local.sessions import SessionBook
from qrt_lab.local.store import Store, now_iso


class _StaleFirstRead(Store):
    """A store whose first read of a job is the row as it was before the job finished."""

    stale: sqlite3.Row | None = None

    def job(self, job_id: str, instance: str | None = None) -> sqlite3.Row | None:
        if self.stale is not None:
            row, self.stale = self.stale, None
            return row
        return super().job(job_id, instance)


def test_cancel_of_a_job_that_just_finished_is_a_conflict_and_keeps_its_result(
    tmp_path: Path,
) -> None:
    config = ServiceConfig(state_dir=tmp_path)
    store = _StaleFirstRead(tmp_path / "state.sqlite3")
    store.insert_job(
        {
            "id": "j",
            "instance": "crn:x",
            "program_id": "sampler",
            "backend": "local_ideal",
            "status": "Running",
            "created": now_iso(),
            "running": now_iso(),
            "tags": json.dumps([]),
        },
        "{}",
    )
    store.stale = store.job("j", "crn:x")  # what cancel reads: still running
    store.update_job("j", status="Completed", finished=now_iso())  # the worker finishes
    store.put_result("j", '{"results": []}')
    scheduler = Scheduler(store, SessionBook(store, config), config)
    with pytest.raises(ApiError) as raised:
        scheduler.cancel("j", "crn:x")
    assert raised.value.status == 409
    assert "already Completed" in str(raised.value)
    row = store.job("j", "crn:x")
    assert row is not None and row["status"] == "Completed"
    assert store.result("j") == '{"results": []}'
    store.close()
