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

#: Qubit properties ``backend NAME --metric`` can colour the coupling map by (document names).
QUBIT_METRICS = (
    "T1",
    "T2",
    "frequency",
    "readout_error",
    "prob_meas0_prep1",
    "prob_meas1_prep0",
    "readout_length",
)
_TWO_QUBIT_GATES = ("cz", "ecr", "cx", "rzz")


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
    status = backend.status()
    processor = backend.configuration().to_dict().get("processor_type") or {}
    family = " ".join(str(processor.get(k, "")) for k in ("family", "revision")).strip()
    state = "online" if status.operational else (status.status_msg or "offline")
    return (
        backend.name,
        backend.num_qubits,
        state,
        status.pending_jobs,
        family or None,
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
    columns = ("name", "qubits", "status", "pending jobs", "processor", "simulator")
    return Table(columns, rows, caption=f"{len(rows)} backend(s) on {service.active_instance()}")


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


def _calibration(backend: IBMBackend, metric: str) -> tuple[list[Any] | None, dict[Any, Any]]:
    """Per-qubit ``metric`` and two-qubit gate errors from the backend's properties."""
    props = backend.properties()
    if props is None:
        return None, {}
    values = [props.qubit_property(q).get(metric, (None,))[0] for q in range(backend.num_qubits)]
    gate = next((g for g in _TWO_QUBIT_GATES if g in backend.operation_names), None)
    errors: dict[Any, Any] = {}
    for qubits, params in (props.gate_property(gate) if gate else {}).items():
        if len(qubits) == 2 and "gate_error" in params:
            errors[tuple(sorted(qubits))] = params["gate_error"][0]
    return values, errors


@subcommand(
    "backend",
    help="One backend: summary and coupling map (--metric M colours it).",
    configure=_configure_one,
)
def _one_backend(args: argparse.Namespace) -> IBMBackend:
    from ..plots import coupling_map_figure

    backend = _backend(args.name)
    row = dict(
        zip(
            ("name", "qubits", "status", "pending jobs", "processor", "simulator"),
            _row(backend),
            strict=True,
        )
    )
    row["basis gates"] = ", ".join(sorted(backend.operation_names))
    print(Table(("field", "value"), list(row.items())))
    values, errors = _calibration(backend, args.metric)
    edges = [tuple(e) for e in backend.coupling_map.get_edges()] if backend.coupling_map else []
    figure = coupling_map_figure(
        backend.num_qubits,
        edges,
        qubit_values=values,
        qubit_metric=args.metric,
        edge_values=errors or None,
        edge_metric="2q error",
        title=backend.name,
    )
    show_figure(figure, f"coupling map of {backend.name}: {len(edges)} directed edges")
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
