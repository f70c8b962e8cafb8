"""Why a job failed: an exception carrying the reason code the service reports.

Codes (``state.reason_code``): 1517 and 1305 have IBM's meaning; 1513 is the contract's "bad
input"; the others are this service's own, each naming one kind of mistake so clients can
tell them apart.
"""

from __future__ import annotations

__all__ = [
    "BAD_INPUT",
    "BUG_ADVICE",
    "CIRCUIT_TOO_LARGE",
    "INTERNAL_ERROR",
    "NON_ISA",
    "RAN_TOO_LONG",
    "SIMULATION_TOO_LONG",
    "TOO_MANY_SHOTS",
    "UNKNOWN_BACKEND",
    "UNKNOWN_PROGRAM",
    "JobFailure",
]

RAN_TOO_LONG = 1305  # set by the scheduler when it stops a job at max_execution_time
INTERNAL_ERROR = 1500
BUG_ADVICE = (
    "This is a bug in the local service, not in the job: resubmit it, and report the traceback "
    "from the service log if it fails again."
)
BAD_INPUT = 1513
UNKNOWN_PROGRAM = 1514
UNKNOWN_BACKEND = 1515
TOO_MANY_SHOTS = 1516
NON_ISA = 1517
CIRCUIT_TOO_LARGE = 1518  # no simulation method fits in memory (the message has the estimates)
SIMULATION_TOO_LONG = 1519  # the fastest method's estimated time is over the limit


class JobFailure(Exception):
    """A user mistake that fails the job with ``reason`` and ``reason_code``.

    Args:
        reason: What is wrong and how to fix it (one or a few sentences).
        reason_code: One of the module's codes.
    """

    def __init__(self, reason: str, reason_code: int = BAD_INPUT) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_code = reason_code
