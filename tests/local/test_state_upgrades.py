"""Upgrades of the state database: an older state opens and migrates, a newer one is refused.

``fixtures/state-v1.sqlite3`` was written by qrt-lab at commit 275ce11 (before schema versions):
a Bell SamplerV2 job of 100 shots and an EstimatorV2 job in a session on
``local_5q``. The numbers below are what that version returned for them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from qrt_lab.local import state_schema
from qrt_lab.local.state_schema import SCHEMA_VERSION, StateVersionError
from qrt_lab.local.store import Store
from qrt_lab.runtime import QiskitRuntimeService

FIXTURE = Path(__file__).parent / "fixtures" / "state-v1.sqlite3"
REPO = Path(__file__).resolve().parents[2]
SAMPLER_JOB, ESTIMATOR_JOB = "dae8ac2eb0f6c5ee1b4f", "d194bf05f281cd664a82"
SESSION = "s52a75c5005e89374b200"
SAMPLER_COUNTS = {"00": 52, "11": 42, "10": 3, "01": 3}
ESTIMATOR_EVS = 0.9928538982260597


def _state_from_fixture(root: Path) -> Path:
    root.mkdir(mode=0o700, parents=True)
    shutil.copy(FIXTURE, root / "state.sqlite3")
    os.chmod(root / "state.sqlite3", 0o600)
    return root


def _user_version(path: Path) -> int:
    with sqlite3.connect(str(path)) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def test_a_state_written_before_versions_opens_migrated_with_every_job(
    tmp_path: Path, spawn_local_service: Callable[..., AbstractContextManager[Any]]
) -> None:
    state = _state_from_fixture(tmp_path / "local")
    with spawn_local_service(state, devices=False) as (info, _):
        service = QiskitRuntimeService(
            channel="ibm_quantum_platform", token=info.api_key, url=info.url, instance=info.instance
        )
        sampler = service.job(SAMPLER_JOB)
        assert sampler.status() == "DONE"
        assert sampler.result()[0].data.meas.get_counts() == SAMPLER_COUNTS
        estimator = service.job(ESTIMATOR_JOB)
        assert float(estimator.result()[0].data.evs) == pytest.approx(ESTIMATOR_EVS, abs=0)
        assert estimator.session_id == SESSION
        ids = {job.job_id() for job in service.jobs(limit=10)}
        assert {SAMPLER_JOB, ESTIMATOR_JOB} <= ids
    database = state / "state.sqlite3"
    assert _user_version(database) == SCHEMA_VERSION
    with sqlite3.connect(str(database)) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "jobs_instance_seq" in names
    backup = state / "state.sqlite3.v1.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _user_version(backup) == 0  # the copy is the state as it was


def test_a_state_from_a_newer_qrt_lab_is_refused_with_versions_and_advice(
    tmp_path: Path,
) -> None:
    state = _state_from_fixture(tmp_path / "local")
    newer = SCHEMA_VERSION + 3
    with sqlite3.connect(str(state / "state.sqlite3")) as db:
        db.execute(f"PRAGMA user_version = {newer}")
    result = subprocess.run(
        [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0", "--state-dir", str(state)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert f"schema version {newer}" in lines[0]
    assert f"reads versions 1 to {SCHEMA_VERSION}" in lines[0] and "Upgrade qrt-lab" in lines[0]
    assert _user_version(state / "state.sqlite3") == newer  # untouched
    # a client starting the service on that state says why, not only "exited with code 1"
    from qrt_lab.runtime.api.discovery import LocalServiceError, ensure_running

    with pytest.raises(LocalServiceError, match=f"could not start: .*schema version {newer}"):
        ensure_running(state, timeout=120)
    assert _user_version(state / "state.sqlite3") == newer


def test_a_failed_migration_leaves_the_state_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = _state_from_fixture(tmp_path / "local")
    database = state / "state.sqlite3"
    with sqlite3.connect(str(database)) as db:
        before = db.execute("SELECT id, status FROM jobs ORDER BY seq").fetchall()

    def half_done(db: sqlite3.Connection) -> None:
        db.execute("CREATE INDEX half_done ON jobs(status)")
        db.execute("ALTER TABLE jobs ADD COLUMN half_done TEXT")
        raise sqlite3.OperationalError("simulated failure in the middle of a migration")

    monkeypatch.setattr(state_schema, "MIGRATIONS", [*state_schema.MIGRATIONS, half_done])
    monkeypatch.setattr(state_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StateVersionError) as failed:
        Store(database)
    message = str(failed.value)
    assert "failed" in message and "the state is unchanged" in message
    assert str(state / "state.sqlite3.v1.bak") in message
    assert _user_version(database) == 0
    with sqlite3.connect(str(database)) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        columns = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
        after = db.execute("SELECT id, status FROM jobs ORDER BY seq").fetchall()
    assert "half_done" not in names and "half_done" not in columns
    assert "jobs_instance_seq" not in names  # the earlier step rolled back too
    assert after == before
