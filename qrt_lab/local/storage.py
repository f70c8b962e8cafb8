"""What the service does when its state directory's disk is full: refuse new work, keep the rest.

A full disk never loses what is stored: reads go on, new jobs and sessions get a 507 with code
``storage_full`` that says where space is needed, and a finished job whose result cannot be written
yet keeps it in memory until space returns (the scheduler retries).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from .errors import ApiError

__all__ = ["MIN_FREE_BYTES", "is_storage_full", "require_free_space", "storage_full_error"]

# below this much free space a new job is refused before SQLite is asked to store it
MIN_FREE_BYTES = 256 * 1024


def is_storage_full(exc: BaseException) -> bool:
    """True if ``exc`` is SQLite's or the OS's "no space left" (not any other failure)."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "full" in text or "no space" in text
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def storage_full_error(state_dir: Path) -> ApiError:
    """The 507 a request gets while the state directory's disk is full."""
    return ApiError(
        507,
        "storage_full",
        f"The local service's disk is full ({state_dir}): new jobs are refused until space is "
        "freed there; stored jobs and results stay readable. Free some space (or move the state "
        "with --state-dir / $QRT_LAB_LOCAL_DIR) and submit again; no restart is needed.",
    )


def require_free_space(state_dir: Path, incoming_bytes: int) -> None:
    """Refuse new work early when the disk cannot hold it and its result.

    Raises:
        ApiError: 507 ``storage_full`` when free space is below twice the request plus a margin.
    """
    try:
        info = os.statvfs(state_dir)
    except OSError:
        return  # cannot tell: SQLite's own error will say so if it comes to that
    if info.f_bavail * info.f_frsize < 2 * incoming_bytes + MIN_FREE_BYTES:
        raise storage_full_error(state_dir)
