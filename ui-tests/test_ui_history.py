"""An account with thousands of jobs in the sidebar: the Jobs panel pages back to the oldest one.

The history is written into the local service's SQLite state before the lab starts (3,000
completed jobs, as a long-used account accumulates them); the service, the lab, its live
monitor and Chromium are real. The panel first lists the newest jobs; scrolling to the end of
the list loads older pages (``created_before`` the oldest listed) until the first job ever
submitted is on screen.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import running_lab
from labserver import Lab
from playwright.sync_api import Page, expect
from sidebar_lab import lab_config, only_section, open_lab, start_service, stop_service

JOBS = "#qrt-lab-jobs"
HISTORY = 3000


def _seed(state: Path, instance: str) -> list[str]:
    """``HISTORY`` completed jobs, one a minute, oldest first; returns their ids."""
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    ids = [f"hist{i:06d}" for i in range(HISTORY)]
    rows = [
        (job_id, instance, (base + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        for i, job_id in enumerate(ids)
    ]
    with sqlite3.connect(str(state / "state.sqlite3"), timeout=30) as db:
        db.executemany(
            "INSERT INTO jobs (id, instance, program_id, backend, status, created) "
            "VALUES (?, ?, 'sampler', 'local_5q', 'Completed', ?)",
            rows,
        )
    db.close()
    return ids


@pytest.fixture(scope="module")
def history_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, list[str]]]:
    """A lab on a local service whose account has ``HISTORY`` jobs."""
    root = tmp_path_factory.mktemp("history-lab")
    info, proc = start_service(root / "service")
    saved = os.environ.get("QRT_LAB_LOCAL_DIR")
    os.environ["QRT_LAB_LOCAL_DIR"] = str(info.state_dir)
    try:
        ids = _seed(Path(info.state_dir), info.instance)
        with running_lab(root, f"--config={lab_config(root, info.state_dir)}") as lab:
            yield lab, ids
    finally:
        if saved is None:
            os.environ.pop("QRT_LAB_LOCAL_DIR", None)
        else:
            os.environ["QRT_LAB_LOCAL_DIR"] = saved
        stop_service(proc)


def test_the_jobs_panel_scrolls_back_to_the_first_of_thousands_of_jobs(
    page: Page, history_lab: tuple[Lab, list[str]], artifacts: Path
) -> None:
    lab, ids = history_lab
    open_lab(page, lab)
    only_section(page, "Jobs")
    jobs = page.locator(JOBS)
    newest, oldest = ids[-1], ids[0]
    expect(jobs.locator(f'[data-job-id="{newest}"]')).to_be_visible(timeout=60_000)
    expect(jobs.locator(".qrt-Count")).to_contain_text(f"of {HISTORY} jobs")
    scroller = jobs.locator(".qrt-JobList")
    for _ in range(HISTORY // 200 + 5):  # one page of 200 per scroll to the end
        if jobs.locator(f'[data-job-id="{oldest}"]').count():
            break
        listed = int(scroller.get_attribute("aria-rowcount") or "0")
        scroller.evaluate("node => { node.scrollTop = node.scrollHeight; }")
        if listed < HISTORY:
            expect(scroller).not_to_have_attribute("aria-rowcount", str(listed), timeout=60_000)
    expect(jobs.locator(f'[data-job-id="{oldest}"]')).to_be_visible()
    assert scroller.get_attribute("aria-rowcount") == str(HISTORY), "every job listed once"
    expect(jobs.locator(".qrt-Count")).to_have_text(f"{HISTORY} jobs")
    rows = jobs.locator(".qrt-JobRow").count()
    assert rows < 100, f"{rows} rows in the DOM: the list must render only what is in view"
    jobs.screenshot(path=artifacts / "jobs-history-oldest-light.png")
