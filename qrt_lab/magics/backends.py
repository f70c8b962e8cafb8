"""``%qruntime backends``, ``backend NAME`` and ``least-busy``: choose where to run."""

from __future__ import annotations

import argparse
import difflib
from typing import TYPE_CHECKING, Any

from . import _active
from ._dispatch import MagicError, subcommand
from ._display import Table, show_figure

if TYPE_CHECKING:
    from ..runtime.backend import IBMBackend

__all__ = ["QUBIT_METRICS"]

#: Qubit metrics ``backend NAME --metric`` colours the coupling map by (IBM dashboard names).
QUBIT_METRICS = (
    "T1",
    "T2",
    "frequency",
    "anharmonicity",
    "readout_error",
    "prob_meas0_prep1",
    "prob_meas1_prep0",
    "readout_length",
)
_COLUMNS = ("name", "qubits", "status", "pending jobs", "processor", "simulator")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-qubits", type=_positive, metavar="N", help="At least N qubits.")
    parser.add_argument("--operational", action="store_true", help="Only operational ones.")
    parser.add_argument("--simulator", action="store_true", help="Only simulators.")


def _row(backend: IBMBackend) -> tuple[Any, ...]:
    from ..runtime.summaries.backends import processor_name

    status = backend.status()
    processor = processor_name(backend.configuration().to_dict().get("processor_type"))
    state = "online" if status.operational else (status.status_msg or "offline")
    return (
        backend.name,
        backend.num_qubits,
        state,
        status.pending_jobs,
        processor,
        "yes" if backend.simulator else "no",
    )


@subcommand(
    "backends",
    help="A sortable table of the backends (filters: --min-qubits, --operational, --simulator).",
    configure=_configure_list,
)
def _backends(args: argparse.Namespace) -> Table:
    service = _active.service()
    filters: dict[str, Any] = {"simulator": True} if args.simulator else {}
    found = service.backends(min_num_qubits=args.min_qubits, **filters)
    rows = [_row(b) for b in found]
    if args.operational:
        rows = [r for r in rows if r[2] == "online"]
    return Table(_COLUMNS, rows, caption=f"{len(rows)} backend(s) on {service.active_instance()}")


def _configure_one(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="Backend name ('%%qruntime backends').")
    parser.add_argument(
        "--metric",
        choices=QUBIT_METRICS,
        default="readout_error",
        help="Qubit property that colours the map (default readout_error).",
    )


def _backend(name: str) -> IBMBackend:
    from qiskit.providers.exceptions import QiskitBackendNotFoundError

    service = _active.service()
    try:
        return service.backend(name)
    except QiskitBackendNotFoundError:
        names = [backend.name for backend in service.backends()]
        near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
        hint = f"did you mean '{near[0]}'?" if near else "'%qruntime backends' lists them."
        raise MagicError(f"No backend called {name!r} on this account; {hint}") from None


@subcommand(
    "backend",
    help="One backend: summary and coupling map (--metric M colours it).",
    configure=_configure_one,
)
def _one_backend(args: argparse.Namespace) -> IBMBackend:
    from ..plots import coupling_map_figure
    from ..runtime.summaries.calibration import QUBIT_METRICS as LABELS
    from ..runtime.summaries.calibration import parse_calibration

    backend = _backend(args.name)
    row = dict(zip(_COLUMNS, _row(backend), strict=True))
    row["basis gates"] = ", ".join(sorted(backend.operation_names))
    print(Table(("field", "value"), list(row.items())))
    props = backend.properties()
    cal = parse_calibration(props.to_dict(), backend.num_qubits) if props else None
    errors = [k for k in (cal.edge_metrics if cal else {}) if k.endswith("_error")]
    label, unit = LABELS[args.metric]
    figure = coupling_map_figure(
        backend.num_qubits,
        backend.configuration().to_dict().get("coupling_map") or [],
        qubit_values=cal.qubit_metrics.get(args.metric) if cal else None,
        qubit_metric=f"{label} ({unit})" if unit else label,
        edge_values=dict(zip(cal.edges, cal.edge_metrics[errors[0]], strict=True))
        if cal and errors
        else None,
        edge_metric=errors[0] if errors else "",
        title=backend.name,
    )
    show_figure(figure, f"coupling map of {backend.name}, qubits coloured by {label}")
    return backend


def _configure_least_busy(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-qubits", type=_positive, metavar="N", help="At least N qubits.")


@subcommand(
    "least-busy",
    help="The online backend with the shortest queue.",
    configure=_configure_least_busy,
)
def _least_busy(args: argparse.Namespace) -> IBMBackend:
    backend = _active.service().least_busy(min_num_qubits=args.min_qubits)
    print(f"{backend.name}: {backend.num_qubits} qubits, {backend.status().pending_jobs} pending")
    return backend
