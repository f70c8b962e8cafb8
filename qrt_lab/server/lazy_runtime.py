"""Import the runtime client (and so qiskit) once, in one worker thread, on first use.

Loading the extension must not import qiskit (server start stays fast), and importing it on the
event loop would block every request for about a second. Importing it from several threads at
once is unsafe (qiskit's compiled modules crashed the process in a test run), so the first use
imports every module the extension needs under one lock, off the loop.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading

__all__ = ["RUNTIME_MODULES", "ensure_runtime_imported"]

RUNTIME_MODULES = (
    "qrt_lab.runtime.exceptions",
    "qrt_lab.runtime.accounts",
    "qrt_lab.runtime.api.auth",
    "qrt_lab.runtime.api.urls",
    "qrt_lab.runtime.api.connection",
    "qrt_lab.runtime.api.rest",
    "qrt_lab.runtime.api.discovery",
    "qrt_lab.runtime.api.instances",
    "qrt_lab.runtime.api.job_refresh",
    "qrt_lab.runtime.codec",
)

_IMPORT_LOCK = threading.Lock()


def _import_all() -> None:
    with _IMPORT_LOCK:
        for name in RUNTIME_MODULES:
            importlib.import_module(name)


#: Set once every module is imported: every request asks, so the answer is one global read.
_imported = False


async def ensure_runtime_imported() -> None:
    """Import the runtime client modules in a worker thread, once, serialised."""
    global _imported
    if _imported:
        return
    if not all(name in sys.modules for name in RUNTIME_MODULES):
        await asyncio.to_thread(_import_all)
    _imported = True
