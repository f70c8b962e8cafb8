"""A compiled circuit's schedule as plain rows: parse, filter and merge (no plotting).

The schedule is the text the compiler returns: one instruction per line,
``<branch>,<instruction>,<channel>,<t0>,<duration>,<pulse>`` in cycles, ``branch`` one of
``main``/``then``/``else``. Rows are ordered as qiskit-ibm-runtime's ``CircuitSchedule`` orders
them (the same numpy sorts), so the figures match trace for trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["BARRIER", "BRANCHES", "READOUT_CHANNEL_PREFIX", "ScheduleRow", "schedule_rows"]

#: Readout channels (arbitrary wave generator readout) start with this.
READOUT_CHANNEL_PREFIX = "AWGR"
BARRIER = "barrier"
BRANCHES = ("main", "then", "else")
_FIELDS = 6


@dataclass(frozen=True)
class ScheduleRow:
    """One scheduled instruction; ``gate`` is the instruction name up to its first ``_``."""

    branch: str
    instruction: str
    channel: str
    start: int
    finish: int
    pulse: str

    @property
    def gate(self) -> str:
        return self.instruction.split("_")[0]


def _parse_line(number: int, line: str) -> ScheduleRow | None:
    words = line.split(",")
    if "shift_phase" in words[0]:
        return None
    if len(words) != _FIELDS:
        raise ValueError(
            f"Schedule line {number} has {len(words)} fields, expected 6 "
            f"(<branch>,<instruction>,<channel>,<t0>,<duration>,<pulse>): {line[:80]!r}."
        )
    branch, instruction, channel, start, duration, pulse = words
    if branch not in BRANCHES:
        raise ValueError(
            f"Schedule line {number}: branch {branch[:20]!r} is not one of main, then, else."
        )
    try:
        t0, length = int(start), int(duration)
    except ValueError:
        raise ValueError(
            f"Schedule line {number}: t0 and duration must be integers (cycles), "
            f"got {start[:20]!r} and {duration[:20]!r}."
        ) from None
    return ScheduleRow(branch, instruction, channel, t0, t0 + length, pulse)


def _from_object(schedule: Any) -> list[ScheduleRow]:
    """Rows of an object holding a parsed schedule (the official ``CircuitSchedule``)."""
    table = getattr(schedule, "circuit_scheduling", None)
    if table is None:
        raise ValueError(
            "circuit_schedule must be the schedule text or a CircuitSchedule, "
            f"got {type(schedule).__name__}."
        )
    return [
        ScheduleRow(str(b), str(i), str(c), int(s), int(f), str(p))
        for b, i, c, s, f, p, *_ in table
    ]


def _merge(rows: list[ScheduleRow]) -> list[ScheduleRow]:
    """Join touching instructions of one (branch, instruction, channel), as the official does."""
    keys = np.array([[r.branch, r.instruction, r.channel] for r in rows])
    _, groups = np.unique(keys, axis=0, return_inverse=True)
    groups = np.asarray(groups).reshape(-1)
    merged: list[ScheduleRow] = []
    for group in np.unique(groups):
        members = [rows[i] for i in np.flatnonzero(groups == group)]
        ordered = [members[i] for i in np.argsort(np.array([m.start for m in members]))]
        out = [ordered[0]]
        for row in ordered[1:]:
            if row.start == out[-1].finish:
                last = out.pop()
                out.append(ScheduleRow(last.branch, last.instruction, last.channel,
                                       last.start, row.finish, last.pulse))  # fmt: skip
            else:
                out.append(row)
        merged.extend(out)
    return merged


def schedule_rows(
    schedule: Any,
    included_channels: Sequence[str] | None = None,
    filter_readout_channels: bool = False,
    filter_barriers: bool = False,
    merge_common_instructions: bool = False,
) -> tuple[list[ScheduleRow], list[str]]:
    """The rows to draw, sorted by channel, and the channels from the bottom row up.

    Args:
        schedule: The schedule text, or an object with a parsed ``circuit_scheduling`` table.
        included_channels: Keep only these channels, drawn in this order from the top.
        filter_readout_channels: Drop the ``AWGR*`` readout channels.
        filter_barriers: Drop barriers.
        merge_common_instructions: Join touching instructions of the same kind.

    Raises:
        ValueError: The text is not a schedule, or no instruction is left to draw.
    """
    if isinstance(schedule, str):
        parsed = (_parse_line(n, line) for n, line in enumerate(schedule.split("\n"), 1) if line)
        rows = [row for row in parsed if row is not None]
    else:
        rows = _from_object(schedule)
    if included_channels is not None:
        rows = [r for r in rows if r.channel in included_channels]
    if filter_readout_channels:
        rows = [r for r in rows if not r.channel.startswith(READOUT_CHANNEL_PREFIX)]
    if filter_barriers:
        rows = [r for r in rows if r.instruction != BARRIER]
    if not rows:
        raise ValueError(
            "The schedule has no instruction to draw (after filtering); check "
            "included_channels and the filters."
        )
    if merge_common_instructions:
        rows = _merge(rows)
    rows = [rows[i] for i in np.argsort(np.array([r.channel for r in rows]))]
    channels = sorted({r.channel for r in rows})
    if included_channels is not None:
        channels = [c for c in list(included_channels)[::-1] if c in channels]
    return rows, channels
