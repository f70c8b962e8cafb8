"""Import heavy modules (qiskit, the runtime, plotly) in one thread at a time.

Importing qiskit from two threads at once has crashed CPython; the poller thread and the kernel's
main thread both go through :func:`import_once`, so only one of them imports at any moment.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

__all__ = ["import_once"]

_IMPORT_LOCK = threading.RLock()


def import_once(name: str) -> ModuleType:
    """Return module ``name``, importing it under the process-wide import lock if needed."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    with _IMPORT_LOCK:
        return importlib.import_module(name)
