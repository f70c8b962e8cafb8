"""Runtime reason codes turned into plain-language explanations and what to do next.

Codes follow IBM's error-code registry (https://quantum.cloud.ibm.com/docs/errors); the wording
here is ours. Unknown codes fall back to an explanation of their range, never to nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["ReasonExplanation", "explain_reason"]

ERROR_CODES_URL = "https://quantum.cloud.ibm.com/docs/errors"


@dataclass(frozen=True)
class ReasonExplanation:
    """What a job's reason code means for the user.

    Attributes:
        code: The reason code, or None when the job carried only a reason text.
        title: A short headline ("Circuits are not ISA").
        explanation: One or two sentences on what happened.
        hint: What to do next.
        url: Where to read more.
    """

    code: int | None
    title: str
    explanation: str
    hint: str
    url: str = ERROR_CODES_URL

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


_KNOWN: dict[int, tuple[str, str, str]] = {
    1002: (
        "Job validation failed",
        "The runtime checked the job before running it and found it is not valid for this backend.",
        "Check the circuits, shots and options against the backend's limits, then resubmit.",
    ),
    1004: (
        "Backend not available",
        "The backend was not available to run the job.",
        "Pick another online backend, or resubmit when this one is back.",
    ),
    1007: (
        "Backend not found",
        "The job named a backend this instance cannot use.",
        "List the backends of your instance and use one of those names.",
    ),
    1201: (
        "Invalid credentials",
        "The runtime rejected the API key or token.",
        "Check the saved account's API key; create a new key in IBM Cloud if needed.",
    ),
    1202: (
        "Too many requests",
        "The runtime is rate-limiting requests from this account.",
        "Wait a little and submit fewer jobs per minute.",
    ),
    1305: (
        "Ran too long",
        "The job exceeded its maximum execution time and was cancelled by the runtime.",
        "Raise max_execution_time, or split the work into smaller jobs (fewer PUBs or shots).",
    ),
    1500: (
        "Job failed while running",
        "The job failed during execution on the runtime.",
        "Read the job logs and the error text of the result; resubmit if it looks transient.",
    ),
    1513: (
        "Invalid job input",
        "The runtime could not use the job's inputs (PUBs, parameters, observables or options).",
        "Check that parameter values match the circuit parameters and observables match the "
        "circuit width, then resubmit.",
    ),
    1517: (
        "Circuits are not ISA",
        "The circuits use gates or qubit connections the backend does not support "
        "(non-ISA circuits).",
        "Transpile first: generate_preset_pass_manager(backend=backend, optimization_level=1)"
        ".run(circuit), and map observables with apply_layout.",
    ),
    1529: (
        "Usage limit reached",
        "The instance has used up its allocated quantum time.",
        "Check usage for this instance, wait for the next period, or use another instance.",
    ),
}

_RANGES: list[tuple[int, int, str, str]] = [
    (1000, 1199, "Job validation error", "Check the job's inputs against the backend, resubmit."),
    (1200, 1299, "Access or request error", "Check the account, instance and request rate."),
    (1300, 1399, "Job stopped by the runtime", "Check max_execution_time and the job's size."),
    (1400, 1499, "Session or batch error", "Check that the session is open and on this backend."),
    (1500, 1599, "Job execution error", "Read the job logs; transpile and validate the inputs."),
    (2000, 2999, "Backend error", "Pick another backend or retry later."),
    (3000, 9999, "Runtime service error", "Retry later; report it if it persists."),
]


def explain_reason(code: Any, reason: str | None = None) -> ReasonExplanation | None:
    """Explain a job's ``reason_code`` (and reason text) in plain language.

    Args:
        code: The ``state.reason_code`` value (int, numeric string or None).
        reason: The ``state.reason`` text, used when the code is missing or unknown.

    Returns:
        An explanation, or None when the job has neither a code nor a reason.
    """
    number = _as_code(code)
    if number is None and reason and "1517" in reason:
        number = 1517
    if number in _KNOWN:
        title, explanation, hint = _KNOWN[number]
        return ReasonExplanation(number, title, explanation, hint)
    for low, high, title, hint in _RANGES:
        if number is not None and low <= number <= high:
            text = reason or f"The runtime reported error code {number}."
            return ReasonExplanation(number, title, text, hint)
    if reason:
        return ReasonExplanation(number, "Job did not complete", reason, "Read the job logs.")
    return None


def _as_code(code: Any) -> int | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().isdigit():
        return int(code.strip())
    return None
