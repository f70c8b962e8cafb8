"""ipywidgets built on :mod:`qrt_lab.plots` and :mod:`qrt_lab.runtime`; one family per file.

Public names load lazily, so ``import qrt_lab.widgets`` imports neither qiskit nor plotly.
Importing it registers the rich display of the client's objects (see :mod:`.reprs`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .reprs import register as _register_reprs

if TYPE_CHECKING:
    from .account import AccountSetup
    from .advisor import BackendAdvisor
    from .backends import BackendBrowser
    from .coupling_map import CouplingMapView
    from .jobs import JobMonitor, watch_jobs
    from .results import ExpectationPlot, ResultHistogram
    from .sessions import SessionMonitor

__all__ = [
    "AccountSetup",
    "BackendAdvisor",
    "BackendBrowser",
    "CouplingMapView",
    "ExpectationPlot",
    "JobMonitor",
    "ResultHistogram",
    "SessionMonitor",
    "watch_jobs",
]

_HOMES = {
    "AccountSetup": "account",
    "BackendAdvisor": "advisor",
    "BackendBrowser": "backends",
    "CouplingMapView": "coupling_map",
    "ExpectationPlot": "results",
    "JobMonitor": "jobs",
    "ResultHistogram": "results",
    "SessionMonitor": "sessions",
    "watch_jobs": "jobs",
}


_register_reprs()


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'qrt_lab.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
