"""``%qruntime backends``, ``backend NAME`` and ``least-busy``: choose where to run.

Where a widget frontend draws them, ``backends`` shows a :class:`~qrt_lab.widgets.BackendBrowser`
and ``backend NAME`` a :class:`~qrt_lab.widgets.CouplingMapView`. Elsewhere the same builders
give the text: the browser's rows (:func:`qrt_lab.widgets.backends.backend_row`) as a table and
the view's first figure (:func:`qrt_lab.widgets.coupling_map.backend_map_figure`) as a plotly
figure dict.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..runtime.summaries import words
from ..widgets._calibration import QUBIT_KEYS
from . import _active, _display
from ._dispatch import MagicError, subcommand
from ._display import Table, show_figure

if TYPE_CHECKING:
    from ..runtime.backend import IBMBackend
    from ..runtime.summaries.calibration import Calibration

__all__ = ["QUBIT_METRICS"]

#: Qubit metrics ``backend NAME --metric`` colours the coupling map by (CouplingMapView's).
QUBIT_METRICS = QUBIT_KEYS


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


# backend → (its properties' last_update_date, calibration): the text table parses each once
_PARSED: weakref.WeakKeyDictionary[Any, tuple[Any, Calibration | None]] = (
    weakref.WeakKeyDictionary()
)


def _calibration(backend: IBMBackend) -> Calibration | None:
    from ..widgets._calibration import read_calibration

    properties = backend.properties()
    updated = getattr(properties, "last_update_date", None)
    with contextlib.suppress(KeyError):
        seen, cal = _PARSED[backend]
        if updated is not None and seen == updated:
            return cal
    cal = read_calibration(backend)
    _PARSED[backend] = (updated, cal)
    return cal


def _cell(text: str) -> int | str:
    return int(text) if text.isdigit() else text  # numbers sort as numbers


def _table(rows: Iterable[dict[str, str]], caption: str = "") -> Table:
    from ..widgets.backends import COLUMNS

    cells = [[_cell(row[key]) for key, _ in COLUMNS] for row in rows]
    return Table([label for _, label in COLUMNS], cells, caption=caption)


@subcommand(
    "backends",
    help="The backends in a browser or table (filters: --min-qubits, --operational, --simulator).",
    configure=_configure_list,
)
def _backends(args: argparse.Namespace) -> Any:
    from ..widgets.backends import backend_row

    service = _active.service()
    filters: dict[str, Any] = {"simulator": True} if args.simulator else {}
    found = service.backends(min_num_qubits=args.min_qubits, **filters)
    if _display.widgets_render():
        from ..widgets import BackendBrowser

        if args.operational:
            found = [b for b in found if b.status().operational]
        return BackendBrowser(service, backends=found)
    rows = [backend_row(b, _calibration(b)) for b in found]
    if args.operational:
        rows = [row for row in rows if row["status"] == "online"]
    return _table(
        rows, caption=f"{words.plural(len(rows), 'backend')} on {service.active_instance()}"
    )


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


def _summary(backend: IBMBackend, cal: Calibration | None) -> Table:
    from ..runtime.summaries.backends import processor_name
    from ..widgets.backends import COLUMNS, backend_row, calibrated_text

    row = backend_row(backend, cal)
    fields: list[tuple[str, Any]] = [(label, _cell(row[key])) for key, label in COLUMNS]
    fields.append(
        ("Processor", processor_name(backend.configuration().to_dict().get("processor_type")))
    )
    fields.append(("Basis gates", ", ".join(sorted(backend.operation_names))))
    fields.append(("Calibrated", calibrated_text(cal)))
    if words.calibration_is_stale(cal.age_seconds() if cal is not None else None):
        fields.append(("", words.STALE_CALIBRATION_HINT))
    return Table(("field", "value"), fields)


@subcommand(
    "backend",
    help="One backend: summary and coupling map (--metric M colours it).",
    configure=_configure_one,
)
def _one_backend(args: argparse.Namespace) -> Any:
    from ..widgets._calibration import read_calibration

    backend = _backend(args.name)
    cal = read_calibration(backend)
    summary = _summary(backend, cal)
    if _display.widgets_render():
        from IPython.display import display

        from ..widgets import CouplingMapView

        display(summary)  # type: ignore[no-untyped-call]
        return CouplingMapView(backend, qubit_metric=args.metric, calibration=cal)
    from ..widgets.coupling_map import backend_map_figure

    print(summary)
    figure = backend_map_figure(backend, args.metric, calibration=cal)
    show_figure(figure, f"coupling map of {backend.name}, qubits coloured by {args.metric}")
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
