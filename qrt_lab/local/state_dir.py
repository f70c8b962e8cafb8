"""The service's state directory is private to its owner: the directory 0700, every file 0600.

The service process runs with umask 077, so whatever it creates later (the database and its WAL
files, the lock, the ``running`` folder) is created private rather than tightened afterwards. A
directory left with looser modes by an older qrt-lab is tightened once at start, and logged.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

__all__ = ["PRIVATE_UMASK", "StateDirError", "prepare_state_dir"]

log = logging.getLogger("qrt_lab.local")

PRIVATE_UMASK = 0o077
_GROUP_OR_OTHER = 0o077


class StateDirError(Exception):
    """The state directory cannot be used (read-only, not a directory, not ours)."""


def prepare_state_dir(path: Path) -> list[Path]:
    """Make ``path`` a private state directory for this process, creating it if needed.

    Sets the process umask to 077, creates ``path`` with mode 0700, and tightens what an older
    version left readable by others (the directory to 0700, files to 0600).

    Returns:
        The paths whose modes were tightened (logged at WARNING).

    Raises:
        StateDirError: ``path`` is not a writable directory.
    """
    os.umask(PRIVATE_UMASK)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StateDirError(f"cannot create the state directory {path}: {exc.strerror}") from None
    if not path.is_dir():
        raise StateDirError(f"the state directory {path} is not a directory")
    if not os.access(path, os.W_OK | os.X_OK):
        raise StateDirError(
            f"the state directory {path} is read-only: make it writable or pass another "
            "--state-dir (or $QRT_LAB_LOCAL_DIR)"
        )
    tightened = _tighten(path)
    if tightened:
        log.warning(
            "tightened the modes of %d path(s) in %s that other users could read "
            "(directories 0700, files 0600): %s",
            len(tightened),
            path,
            ", ".join(p.name for p in tightened[:10]),
        )
    return tightened


def _tighten(root: Path) -> list[Path]:
    tightened: list[Path] = []
    for entry in [root, *root.rglob("*")]:
        try:
            info = entry.lstat()
        except OSError:
            continue  # gone meanwhile
        if stat.S_ISLNK(info.st_mode) or not info.st_mode & _GROUP_OR_OTHER:
            continue
        wanted = 0o700 if stat.S_ISDIR(info.st_mode) else 0o600
        try:
            os.chmod(entry, wanted)
        except PermissionError:
            continue  # not ours to change; the directory itself (0700) still hides it
        tightened.append(entry)
    return tightened
