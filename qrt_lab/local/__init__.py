"""The local runtime service: a loopback HTTP server speaking the IBM Quantum Platform protocol.

It runs jobs on simulated devices in worker processes and keeps its state in SQLite. Start it with
``qrt-lab local serve`` or ``python -m qrt_lab.local serve``; clients find a running service through
:mod:`qrt_lab.runtime.api.discovery`. Importing this package imports neither qiskit nor tornado.
"""

from __future__ import annotations

from .jobspec import JobOutcome, JobSpec

__all__ = ["JobOutcome", "JobSpec"]
