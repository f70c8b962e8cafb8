"""The version of the state database, and the migrations that bring an older one up to date.

SQLite's ``user_version`` records the schema version. Version 1 is the schema of every qrt-lab
before versioning (it wrote ``user_version`` 0). A newer state than this code knows is refused
with a message that says what to do; an older one is copied aside, then migrated in one
transaction, so a failed migration leaves the database as it was.

To change the schema, append a migration below (never edit one that shipped, nor the base schema
in ``store._SCHEMA``): a new database gets the base schema and then every migration.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "StateVersionError", "open_schema"]

log = logging.getLogger("qrt_lab.local")


class StateVersionError(Exception):
    """The state database cannot be used by this qrt-lab (too new, or its migration failed)."""


def _v1_to_v2(db: sqlite3.Connection) -> None:
    # keyset listing of one instance's jobs and sessions, newest first, without a table scan
    db.execute("CREATE INDEX IF NOT EXISTS jobs_instance_seq ON jobs(instance, seq)")
    db.execute("CREATE INDEX IF NOT EXISTS sessions_instance_seq ON sessions(instance, seq)")


def _v2_to_v3(db: sqlite3.Connection) -> None:
    # a history of 10,000 jobs and 1,000 sessions: every filter of GET /jobs, the newest
    # sessions and the month's usage seek an index of one instance instead of scanning it
    for name, columns in (
        ("jobs_instance_created", "jobs(instance, created)"),
        ("jobs_instance_status_created", "jobs(instance, status, created)"),
        ("jobs_instance_session_created", "jobs(instance, session_id, created)"),
        ("jobs_instance_backend_created", "jobs(instance, backend, created)"),
        ("jobs_instance_program_created", "jobs(instance, program_id, created)"),
        ("sessions_instance_started", "sessions(instance, started_at)"),
        ("usage_instance_at", "usage(instance, at)"),
    ):
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


# MIGRATIONS[n] brings version n + 1 to version n + 2
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1_to_v2, _v2_to_v3]
SCHEMA_VERSION = len(MIGRATIONS) + 1


def _version(db: sqlite3.Connection) -> int:
    stored = int(db.execute("PRAGMA user_version").fetchone()[0])
    if stored:
        return stored
    has_jobs = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'jobs'").fetchone()
    return 1 if has_jobs else 0  # 0: a new, empty database


def open_schema(db: sqlite3.Connection, base_schema: str, path: Path) -> None:
    """Bring the database at ``path`` (open as ``db``, autocommit) to :data:`SCHEMA_VERSION`.

    Raises:
        StateVersionError: the state was written by a newer qrt-lab, or a migration failed (the
            database is unchanged then).
    """
    version = _version(db)
    if version > SCHEMA_VERSION:
        raise StateVersionError(
            f"The local service's state {path} has schema version {version}, written by a newer "
            f"qrt-lab; this qrt-lab reads versions 1 to {SCHEMA_VERSION}. Upgrade qrt-lab "
            "(pip install -U qrt-lab), or use another state directory (--state-dir or "
            "$QRT_LAB_LOCAL_DIR)."
        )
    if version == 0:
        db.executescript(base_schema)
        _migrate(db, 1, path)
        return
    if version < SCHEMA_VERSION:
        backup = _back_up(db, path, version)
        log.info("migrating %s from schema version %d to %d", path, version, SCHEMA_VERSION)
        try:
            _migrate(db, version, path)
        except Exception as exc:
            raise StateVersionError(
                f"Migrating the local service's state {path} from schema version {version} to "
                f"{SCHEMA_VERSION} failed ({type(exc).__name__}: {exc}); the state is unchanged "
                f"and a copy is at {backup}. Report this with the service log."
            ) from exc


def _migrate(db: sqlite3.Connection, version: int, path: Path) -> None:
    """Apply the migrations after ``version`` in one transaction (all or nothing)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for step in MIGRATIONS[version - 1 :]:
            step(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _back_up(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database aside (mode 0600) before migrating it."""
    backup = path.with_name(f"{path.name}.v{version}.bak")
    fd = os.open(backup, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    with sqlite3.connect(str(backup)) as target:
        db.backup(target)
    target.close()
    return backup
