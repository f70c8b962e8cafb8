"""Start-up recovery of jobs a stopped service left running (store level, no server)."""

from __future__ import annotations

import json
from pathlib import Path

from qrt_lab.local.config import ServiceConfig
from qrt_lab.local.scheduler import MAX_ATTEMPTS, Scheduler
from qrt_lab.local.sessions import SessionBook
from qrt_lab.local.store import Store, now_iso


def _job(store: Store, job_id: str, attempts: int) -> None:
    store.insert_job(
        {
            "id": job_id,
            "instance": "crn:x",
            "program_id": "sampler",
            "backend": "local_ideal",
            "status": "Running",
            "created": now_iso(),
            "running": now_iso(),
            "tags": json.dumps([]),
            "attempts": attempts,
        },
        "{}",
    )


def test_running_jobs_are_requeued_until_they_crash_the_service_too_often(tmp_path: Path) -> None:
    config = ServiceConfig(state_dir=tmp_path)
    store = Store(tmp_path / "state.sqlite3")
    _job(store, "once", 1)
    _job(store, "crashy", MAX_ATTEMPTS)
    Scheduler(store, SessionBook(store, config), config)._recover()
    once, crashy = store.job("once"), store.job("crashy")
    assert once is not None and crashy is not None
    assert once["status"] == "Queued" and once["running"] is None
    assert "re-queued" in once["logs"]
    assert crashy["status"] == "Failed" and "crash loop" in crashy["reason"]
    assert store.result("crashy") == crashy["reason"]
    store.close()
