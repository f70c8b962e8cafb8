"""What the backend advisor shows of a :class:`Candidate`: table cells, the code "use this" puts in
the notebook, and the data of its layout map. Every word and number through
:mod:`qrt_lab.runtime.summaries.words`."""

from __future__ import annotations

import html
import keyword
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from qrt_lab.plots import layout_map_figure
from qrt_lab.runtime.advice import Candidate
from qrt_lab.runtime.summaries import words
from qrt_lab.runtime.summaries.calibration import Calibration

from ._calibration import edge_errors
from .static import rows_table, static_bundle

__all__ = [
    "COLUMNS",
    "candidate_row",
    "layout_figure",
    "layout_text",
    "static_view",
    "transpile_code",
    "used_edges",
]

#: ``(row key, column title)`` of the ranked table, in order.
COLUMNS = [
    ("rank", "#"),
    ("backend", "Backend"),
    ("layout", "Layout"),
    ("success", "Predicted success"),
    ("two_qubit_gates", "2Q gates"),
    ("depth", "Depth"),
    ("queue", "Queue"),
    ("usage", "Usage / left"),
    ("calibrated", "Calibrated"),
]

_EXCEEDS = "The estimate exceeds the account's remaining usage."
#: Layouts longer than this are shortened in the table (the full one is in the cell's title).
_SHOWN_QUBITS = 8


def layout_text(layout: Sequence[int], *, full: bool = False) -> str:
    """``"5, 6, 7"``; long layouts ``"5, 6, 7, 8, 9, 10, … 24 (20 qubits)"`` unless ``full``."""
    numbers = [words.count(q) for q in layout]
    if full or len(numbers) <= _SHOWN_QUBITS:
        return ", ".join(numbers)
    head = ", ".join(numbers[: _SHOWN_QUBITS - 2])
    return f"{head}, … {numbers[-1]} ({words.plural(len(numbers), 'qubit')})"


def _usage(candidate: Candidate) -> str:
    estimate = words.duration(candidate.quantum_seconds)
    if candidate.remaining_seconds is None:
        return f"{estimate} / unlimited"
    text = f"{estimate} / {words.duration(candidate.remaining_seconds)}"
    return f"{text} (exceeds)" if candidate.exceeds_remaining_usage else text


def _calibrated(candidate: Candidate, now: datetime) -> tuple[str, str]:
    """The calibration's age and its full time (for the cell's title)."""
    if candidate.calibration_time is None:
        return "no calibration", ""
    full = words.local_time_and_age(candidate.calibration_time, now)
    stamp = words.local_time(candidate.calibration_time)
    if full == words.DASH or stamp == words.DASH:
        return words.DASH, ""
    return full[len(stamp) :].strip(" ()"), full


def candidate_row(rank: int, candidate: Candidate, now: datetime | None = None) -> dict[str, str]:
    """The table cells of one candidate (``rank`` from 1), plus ``*_title`` hover texts."""
    calibrated, calibrated_title = _calibrated(candidate, now or datetime.now(timezone.utc))
    queue = (
        words.DASH
        if candidate.pending_jobs is None
        else words.plural(candidate.pending_jobs, "job")
    )
    return {
        "rank": words.count(rank),
        "backend": candidate.backend_name,
        "layout": layout_text(candidate.layout),
        "layout_title": layout_text(candidate.layout, full=True),
        "success": words.expectation(candidate.predicted_success, candidate.success_uncertainty),
        "success_title": _budget_text(candidate),
        "two_qubit_gates": words.count(candidate.two_qubit_gates),
        "depth": words.count(candidate.depth),
        "queue": queue,
        "usage": _usage(candidate),
        "usage_title": _EXCEEDS if candidate.exceeds_remaining_usage else "",
        "calibrated": calibrated,
        "calibrated_title": calibrated_title,
        "warn": "usage" if candidate.exceeds_remaining_usage else "",
    }


def _budget_text(candidate: Candidate) -> str:
    """``"error from gates 0.62, readout 0.30, idle 0.08"``, and the drift over earlier
    calibrations that widened the uncertainty, if any."""
    parts = [f"{name} {words.number(share, 2)}" for name, share in candidate.error_budget.items()]
    text = "error from " + ", ".join(parts) if parts else ""
    if candidate.success_drift is None:
        return text
    earlier = words.plural(candidate.earlier_calibrations, "earlier calibration")
    drift = (
        f"on {earlier} the prediction differs by up to {words.number(candidate.success_drift)}"
        " (in the ± above)"
    )
    return f"{text}; {drift}" if text else drift


def _identifier(name: str | None, default: str) -> str:
    if name and name.isidentifier() and not keyword.iskeyword(name):
        return name
    return default


def transpile_code(
    candidate: Candidate,
    *,
    circuits_name: str | None = None,
    service_name: str | None = None,
    service_setup: str | None = None,
) -> str:
    """The cell "use this" writes: the backend, the preset pass manager the ranking used, the run.

    The pass manager gets the candidate's ``transpile_options`` (optimization level, initial
    layout, seed), so ``isa`` is the candidate's ``circuits``: what was predicted is what runs.

    ``circuits_name`` and ``service_name`` are the user's variable names where known (anything
    that is not a Python identifier falls back to ``circuits`` and ``service``).
    ``service_setup`` is code that makes the service, for when no variable of the user holds
    it (``%qruntime advise`` uses the kernel's service).
    """
    circuits = _identifier(circuits_name, "circuits")
    service = _identifier(service_name, "service")
    setup = f"{service_setup.rstrip()}\n" if service_setup else ""
    arguments = "".join(
        f"    {key}={_literal(value)},\n" for key, value in candidate.transpile_options.items()
    )
    return (
        "from qiskit.transpiler import generate_preset_pass_manager\n"
        f"{setup}\n"
        f"backend = {service}.backend({candidate.backend_name!r})\n"
        f"pm = generate_preset_pass_manager(\n    backend=backend,\n{arguments})\n"
        f"isa = pm.run({circuits})\n"
    )


def _literal(value: Any) -> str:
    """A pass manager argument as Python source (ints and lists of ints; anything else repr)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(int(v)) for v in value) + "]"
    return str(int(value)) if isinstance(value, int) else repr(value)


def used_edges(circuits: Sequence[Any]) -> list[tuple[int, int]] | None:
    """The physical couplers the routed circuits' two-qubit gates use (None: no circuits)."""
    if not circuits:
        return None
    pairs: set[tuple[int, int]] = set()
    for circuit in circuits:
        for instruction in circuit.data:
            if len(instruction.qubits) != 2 or instruction.operation.name == "barrier":
                continue
            a, b = (circuit.find_bit(q).index for q in instruction.qubits)
            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def _two_qubit_gate(cal: Calibration) -> tuple[str, dict[tuple[int, int], float | None]]:
    """The two-qubit gate with the most calibrated edges, and its errors (stale 1s left out)."""
    gates = edge_errors(cal)
    if not gates:
        return "", {}
    name = max(gates, key=lambda g: sum(v is not None for v in gates[g].values()))
    return name, {pair: (None if v is None or v >= 1 else v) for pair, v in gates[name].items()}


def layout_figure(
    candidate: Candidate,
    num_qubits: int,
    edges: list[list[int]],
    cal: Calibration | None,
    positions: Any = None,
) -> dict[str, Any]:
    """The candidate's layout on its backend's coupling map, coloured by readout and 2Q error."""
    readout = (cal.qubit_metrics.get("readout_error") if cal else None) or []
    qubit_values = {q: v for q, v in enumerate(readout) if v is not None and v < 1}
    gate, gate_errors = _two_qubit_gate(cal) if cal else ("", {})
    return layout_map_figure(
        num_qubits,
        edges,
        candidate.layout,
        used_edges=used_edges(candidate.circuits),
        qubit_values=qubit_values,
        qubit_metric="readout error",
        edge_values=gate_errors,
        edge_metric=f"{gate.upper()} error" if gate else "2Q error",
        positions=positions,
        title=f"{candidate.backend_name}: layout {layout_text(candidate.layout)}",
        faulty_qubits=cal.faulty_qubits if cal else (),
        faulty_edges=cal.faulty_edges if cal else (),
        show=words.error_rate,
    )


def chosen_text(row: Mapping[str, str]) -> str:
    """``"Chosen: row 2, local_5q on qubits 0, 1, 2 — predicted success 0.81 ± 0.02, …"``."""
    return (
        f"Chosen: row {row['rank']}, {row['backend']} on qubits {row['layout_title']} — "
        f"predicted success {row['success']}, {row['two_qubit_gates']} two-qubit gates, "
        f"depth {row['depth']}, estimated usage {row['usage']}"
    )


def static_view(
    status: str,
    rows: Sequence[Mapping[str, str]],
    selected: int,
    figure: dict[str, Any] | None,
    code: str,
) -> dict[str, Any]:
    """The advisor's static mimebundle: the table (chosen row marked), its map, numbers, code.

    ``selected`` is the chosen row's index (-1: none); ``figure`` its layout map.
    """
    cells = [
        [
            f"{row[key]} (chosen)" if i == selected and key == "rank" else row[key]
            for key, _ in COLUMNS
        ]
        for i, row in enumerate(rows)
    ]
    page = rows_table("backend advisor", status, [t for _, t in COLUMNS], cells)
    lines = [status, *("  ".join(row[key] for key, _ in COLUMNS) for row in rows)]
    if 0 <= selected < len(rows):
        chosen = chosen_text(rows[selected])
        page += (
            f"<div class='qrt-static' data-qrt-chosen='{selected}'><b>{html.escape(chosen)}</b>"
            f"<pre>{html.escape(code)}</pre></div>"
        )
        lines += [chosen, "", code]
    return static_bundle(figure, page, "\n".join(lines))
