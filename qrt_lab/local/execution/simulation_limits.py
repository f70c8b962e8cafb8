"""The limits a simulation must fit (memory, estimated time) and the refusals (1518, 1519)."""

from __future__ import annotations

import os

from qrt_lab.local.job_errors import CIRCUIT_TOO_LARGE, SIMULATION_TOO_LONG, JobFailure

from .simulation_cost import CostEstimate

__all__ = ["check_limits", "memory_limit_bytes", "time_limit_seconds"]

_MEMORY_FRACTION = 0.8
_DEFAULT_TIME_LIMIT = 4 * 3600.0


def _available_bytes() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8.0 * 2**30


def memory_limit_bytes() -> float:
    """Memory a simulation may use: ``QRT_LAB_LOCAL_MAX_MEMORY_GB``, else 80% of what is free."""
    configured = os.environ.get("QRT_LAB_LOCAL_MAX_MEMORY_GB")
    if configured:
        try:
            return float(configured) * 2**30
        except ValueError:
            pass
    return _MEMORY_FRACTION * _available_bytes()


def time_limit_seconds() -> float:
    """Longest estimated simulation accepted: ``QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS``, else 4 h."""
    configured = os.environ.get("QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS")
    if configured:
        try:
            return float(configured)
        except ValueError:
            pass
    return _DEFAULT_TIME_LIMIT


def check_limits(pub: int, width: int, estimates: list[CostEstimate]) -> CostEstimate:
    """The fastest estimate that fits in memory.

    Raises:
        JobFailure: 1518 when none fits, 1519 when the fastest is over the time limit.
    """
    limit = memory_limit_bytes()
    fitting = [e for e in estimates if e.memory_bytes <= limit]
    if not fitting:
        raise _does_not_fit(pub, width, estimates, limit)
    best = min(fitting, key=lambda e: e.seconds)
    if best.seconds > time_limit_seconds():
        raise _too_long(pub, width, best, time_limit_seconds())
    return best


def _advice(width: int) -> str:
    return (
        f"Use fewer active qubits (now {width}), fewer entangling gates between distant parts of "
        f"the circuit (the matrix_product_state method handles wide circuits of low "
        f"entanglement), or a Clifford circuit (rz angles multiples of pi/2, no parameters: "
        f"Clifford circuits run at any width). On a machine with more memory, or with Aer's GPU "
        f"build installed, the limit is higher."
    )


def _does_not_fit(pub: int, width: int, estimates: list[CostEstimate], limit: float) -> JobFailure:
    listed = "; ".join(e.describe() for e in estimates)
    return JobFailure(
        f"pub {pub}: the circuit acts on {width} qubits and no simulation method fits in the "
        f"memory limit of {limit / 2**30:.1f} GiB (set QRT_LAB_LOCAL_MAX_MEMORY_GB to change "
        f"it). Estimates: {listed}. {_advice(width)}",
        CIRCUIT_TOO_LARGE,
    )


def _too_long(pub: int, width: int, best: CostEstimate, limit: float) -> JobFailure:
    return JobFailure(
        f"pub {pub}: the circuit acts on {width} qubits and its fastest simulation method would "
        f"take too long ({best.describe()}; the limit is {limit:.0f} s, set "
        f"QRT_LAB_LOCAL_MAX_SIMULATION_SECONDS to change it). Use fewer shots or parameter "
        f"rows, or: {_advice(width)}",
        SIMULATION_TOO_LONG,
    )
