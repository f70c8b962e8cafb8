"""Every word and number a user reads, written once (the frontend's twin is ``src/format.ts``).

Statuses use the IBM Quantum Platform dashboard's words ("Completed", "Queued", "In progress",
"Failed", "Cancelled"), durations read "1 h 2 min 3 s", error rates "7.20e-3", probabilities
"0.5012", expectation values "0.988 ± 0.012" (the std to two significant digits, the value to the
same decimal place), times "2026-12-07 02:45:55" in local time with "3 min ago" ages. Numbers
are rounded half away from zero on their exact binary value, as JavaScript's ``toFixed`` /
``toPrecision`` do, so both languages print the same digits. ``tests/fixtures/vocabulary.json``
holds inputs and expected strings that the Python and the TypeScript tests both check.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from ..api.timestamps import parse_timestamp

__all__ = [
    "DASH",
    "STALE_CALIBRATION_DAYS",
    "STALE_CALIBRATION_HINT",
    "STALE_MARK",
    "USAGE_EXPLAINED",
    "USAGE_EXPLAINED_LOCAL",
    "age",
    "calibration_is_stale",
    "count",
    "duration",
    "error_rate",
    "expectation",
    "local_time",
    "microseconds",
    "number",
    "plural",
    "probability",
    "session_jobs",
    "status_word",
    "usage_hint",
]

#: Shown for a missing value.
DASH = "—"

#: A calibration older than this many days is marked stale (``src/format.ts`` has the same).
STALE_CALIBRATION_DAYS = 7
#: The mark shown next to a stale calibration's age.
STALE_MARK = "⚠ stale"
#: Why a calibration is marked stale (the mark's tooltip).
STALE_CALIBRATION_HINT = (
    f"This calibration is more than {STALE_CALIBRATION_DAYS} days old: the device has drifted "
    "since, so error rates and predictions made from it may be off."
)

#: What "usage" means where it is shown.
USAGE_EXPLAINED = (
    "Usage is quantum time: the seconds the QPU is reserved for the job, as IBM Quantum bills "
    "them (set-up plus every shot), not the wall-clock time the job took."
)
#: The same on the local service, which emulates the charge.
USAGE_EXPLAINED_LOCAL = (
    "Usage is quantum time as IBM Quantum would bill it (set-up plus every shot on the "
    "device), emulated by the local service: nothing is billed."
)

_STATUS_WORDS = {
    "DONE": "Completed",
    "COMPLETED": "Completed",
    "QUEUED": "Queued",
    "RUNNING": "In progress",
    "ERROR": "Failed",
    "FAILED": "Failed",
    "CANCELLED": "Cancelled",
    "CANCELED": "Cancelled",
    "INITIALIZING": "Initializing",
    "VALIDATING": "Validating",
    # sessions and batches
    "OPEN": "Open",
    "ACTIVE": "Active",
    "INACTIVE": "Inactive",
    "CLOSED": "Closed",
}


def status_word(status: Any) -> str:
    """The dashboard's word for a job or session status (``"DONE"`` → ``"Completed"``).

    Accepts the client's upper-case statuses, the REST API's title-case ones and odd spellings
    such as ``"Cancelled - Ran too long"`` (the first part counts); unknown ones are capitalised.
    """
    if status is None:
        return DASH
    text = str(getattr(status, "value", status)).split(" - ")[0].strip()
    if not text:
        return DASH
    key = text.upper().replace(" ", "_")
    if key == "IN_PROGRESS":
        return "In progress"
    return _STATUS_WORDS.get(key, text[:1].upper() + text[1:].lower())


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _fmt(value: float, spec: str) -> str:
    """``format`` with JavaScript's rounding (half away from zero on the exact value)."""
    with localcontext() as context:
        context.rounding = ROUND_HALF_UP
        text = format(Decimal(value), spec)
    return "0" + text[2:] if text.startswith("-0") and _is_zero(text) else text


def _is_zero(text: str) -> bool:
    return not any(c in "123456789" for c in text.split("e")[0])


def _precision(value: float, digits: int) -> str:
    """JavaScript's ``value.toPrecision(digits)``."""
    if value == 0:
        return _fmt(0.0, f".{digits - 1}f")
    exponent = int(_fmt(abs(value), f".{digits - 1}e").split("e")[1])
    if exponent < -6 or exponent >= digits:
        mantissa, exp = _fmt(value, f".{digits - 1}e").split("e")
        return f"{mantissa}e{'+' if int(exp) >= 0 else '-'}{abs(int(exp))}"
    return _fmt(value, f".{max(0, digits - 1 - exponent)}f")


def number(value: Any, digits: int = 3) -> str:
    """A number to ``digits`` significant digits, scientific below 0.01 (``"7.20e-3"``)."""
    x = _finite(value)
    if x is None:
        return DASH
    if x != 0 and abs(x) < 0.01:
        return _fmt(x, f".{digits - 1}e")
    return _precision(x, digits)


def error_rate(value: Any) -> str:
    """An error rate or probability of error: ``7.20e-3``, ``0.0123``, ``0.500``."""
    return number(value, 3)


def microseconds(value: Any) -> str:
    """A coherence or gate time given in µs: ``"123 µs"``, ``"45.6 µs"``."""
    x = _finite(value)
    return DASH if x is None else f"{number(x, 3)} µs"


def probability(value: Any) -> str:
    """A probability or frequency with four decimals: ``"0.5012"``."""
    x = _finite(value)
    return DASH if x is None else _fmt(x, ".4f")


def count(value: Any) -> str:
    """A whole number of shots or outcomes: ``"1024"``."""
    x = _finite(value)
    return DASH if x is None else str(int(_fmt(x, ".0f")))


def expectation(value: Any, std: Any = None, digits: int = 2) -> str:
    """An expectation value with its standard deviation in one rounding: ``"0.988 ± 0.012"``.

    The std keeps ``digits`` significant digits and the value is rounded to the same decimal
    place; without a (positive) std the value keeps four significant digits.
    """
    x = _finite(value)
    if x is None:
        return DASH
    s = _finite(std)
    if s is None or s <= 0:
        return _precision(x, 4)
    exponent = int(_fmt(s, f".{digits - 1}e").split("e")[1])
    decimals = max(0, digits - 1 - exponent)
    return f"{_fmt(x, f'.{decimals}f')} ± {_fmt(s, f'.{decimals}f')}"


def duration(seconds: Any) -> str:
    """A span of time: ``"240 ms"``, ``"2.4 s"``, ``"43 s"``, ``"7 h 56 min 40 s"``."""
    x = _finite(seconds)
    if x is None:
        return DASH
    x = max(0.0, x)
    if x == 0:
        return "0 s"
    if x < 0.001:
        return "< 1 ms"
    if x < 0.9995:
        ms = x * 1000
        return f"{_precision(ms, 2) if ms < 9.95 else _fmt(ms, '.0f')} ms"
    if x < 9.95:
        return f"{_precision(x, 2)} s"
    whole = int(_fmt(x, ".0f"))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    parts.append(f"{secs} s" if secs or not (hours or minutes) else "")
    return " ".join(p for p in parts if p)


def age(seconds: Any) -> str:
    """How long ago: ``"just now"``, ``"12 s ago"``, ``"3 min ago"``, ``"2 h ago"``, ``"4 d ago"``.

    Under 5 s reads "just now"; ages are floored, never rounded up.
    """
    x = _finite(seconds)
    if x is None:
        return ""
    s = max(0, math.floor(x))
    if s < 5:
        return "just now"
    if s < 60:
        return f"{s} s ago"
    if s < 3600:
        return f"{s // 60} min ago"
    if s < 86400:
        return f"{s // 3600} h ago"
    return f"{s // 86400} d ago"


def calibration_is_stale(age_seconds: Any) -> bool:
    """Whether a calibration ``age_seconds`` old is older than ``STALE_CALIBRATION_DAYS``."""
    x = _finite(age_seconds)
    return x is not None and x > STALE_CALIBRATION_DAYS * 86400


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str) and value:
        try:
            return parse_timestamp(value)
        except (ValueError, TypeError):
            return None
    return None


def local_time(value: Any, *, utc: bool = False) -> str:
    """A timestamp (ISO text or datetime) as ``"2026-12-07 02:45:55"`` in local time (or UTC)."""
    stamp = _as_datetime(value)
    if stamp is None:
        return DASH
    shown = stamp.astimezone(timezone.utc if utc else None)
    return shown.strftime("%Y-%m-%d %H:%M:%S")


def local_time_and_age(value: Any, now: datetime | None = None) -> str:
    """``"2026-12-07 02:45:55 (3 min ago)"``."""
    stamp = _as_datetime(value)
    if stamp is None:
        return DASH
    current = now or datetime.now(timezone.utc)
    return f"{local_time(stamp)} ({age((current - stamp).total_seconds())})"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 job"``, ``"2 jobs"``, ``"0 jobs"`` (``plural_form`` for irregular words)."""
    word = singular if n == 1 else (plural_form or f"{singular}s")
    return f"{n} {word}"


def session_jobs(total: int, unfinished: int | None) -> str:
    """A session's jobs: ``"11 (0 queued or running)"``, or ``"11"`` when that is not known."""
    if unfinished is None:
        return str(total)
    return f"{total} ({unfinished} queued or running)"


def usage_hint(local: bool) -> str:
    """The explanation shown next to a usage figure."""
    return USAGE_EXPLAINED_LOCAL if local else USAGE_EXPLAINED
