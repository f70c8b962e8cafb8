"""``%qruntime advise VAR``: which backend and qubits for the circuits in ``VAR``.

In a kernel with widgets it shows a :class:`~qrt_lab.widgets.BackendAdvisor` (ranking in the
background; "use this" writes the transpile code in the next cell); elsewhere (a terminal, a
plain IPython shell, no ipywidgets) it ranks, then shows the ranked table, the chosen layout's
map and the code as static output.
"""

from __future__ import annotations

import argparse
import difflib
from typing import Any

from . import _active, _display
from ._dispatch import MagicError, subcommand
from .backends import _positive

__all__: list[str] = []


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("var", metavar="VAR", help="A circuit, or a list of circuits.")
    parser.add_argument(
        "--backends", metavar="A,B", help="Rank only these backends (comma-separated names)."
    )
    parser.add_argument(
        "--top", type=_positive, default=5, metavar="N", help="Show N candidates (default 5)."
    )
    parser.add_argument(
        "--optimization-level",
        type=int,
        choices=range(4),
        default=2,
        metavar="{0,1,2,3}",
        help="Transpile at this preset level (default 2); the code written uses the same.",
    )


def _namespace() -> dict[str, Any]:
    from IPython import get_ipython

    shell = get_ipython()
    return dict(shell.user_ns) if shell is not None else {}


def _is_circuit(value: Any) -> bool:
    from qiskit.circuit import QuantumCircuit

    return isinstance(value, QuantumCircuit)


def _circuit_names(namespace: dict[str, Any]) -> list[str]:
    return [
        name
        for name, value in namespace.items()
        if not name.startswith("_")
        and (_is_circuit(value) or (isinstance(value, list | tuple) and _all_circuits(value)))
    ]


def _all_circuits(values: Any) -> bool:
    return bool(values) and all(_is_circuit(v) for v in values)


def resolve_circuits(name: str, namespace: dict[str, Any]) -> list[Any]:
    """The circuits ``name`` holds in ``namespace``, or a :class:`MagicError` saying what to do."""
    if not name.isidentifier():
        raise MagicError(f"{name!r} is not a variable name; write e.g. '%qruntime advise qc'.")
    if name not in namespace:
        known = _circuit_names(namespace)
        near = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        hint = (
            f"did you mean '{near[0]}'?"
            if near
            else (
                f"circuits here: {', '.join(known)}."
                if known
                else "define one first, e.g. qc = QuantumCircuit(2)."
            )
        )
        raise MagicError(f"No variable {name!r} in this notebook; {hint}")
    value = namespace[name]
    if _is_circuit(value):
        return [value]
    if isinstance(value, list | tuple) and _all_circuits(value):
        return list(value)
    if isinstance(value, list | tuple) and not value:
        raise MagicError(f"{name!r} is an empty list; put the circuits to run in it.")
    kind = type(value).__name__
    raise MagicError(
        f"{name!r} is a {kind}, not a QuantumCircuit or a list of them; "
        "pass the circuits you mean to run."
    )


def _service_variable(service: Any, namespace: dict[str, Any]) -> str | None:
    return next((n for n, v in namespace.items() if v is service and not n.startswith("_")), None)


def _service_setup() -> str:
    """The code that makes the kernel's service (as the magics' account rule picked it)."""
    choice = _active.current_choice()
    args = []
    if choice.local:
        args.append('channel="local"')
    elif choice.name:
        args.append(f"name={choice.name!r}")
    if choice.instance:
        args.append(f"instance={choice.instance!r}")
    return (
        "from qrt_lab.runtime import QiskitRuntimeService\n\n"
        f"service = QiskitRuntimeService({', '.join(args)})"
    )


@subcommand(
    "advise",
    help="Rank backends and layouts for the circuits in VAR; 'use this' writes the code.",
    configure=_configure,
)
def _advise(args: argparse.Namespace) -> Any:
    from ..widgets.advisor import BackendAdvisor

    namespace = _namespace()
    circuits = resolve_circuits(args.var, namespace)
    service = _active.service()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()] if args.backends else None
    held = _service_variable(service, namespace)
    options: dict[str, Any] = {
        "backends": backends,
        "top": args.top,
        "optimization_level": args.optimization_level,
        "names": {"circuits": args.var, **({"service": held} if held else {})},
        "service_setup": None if held else _service_setup(),
    }
    if _display.widgets_render():
        return BackendAdvisor(circuits, service, **options)
    advisor = BackendAdvisor(circuits, service, start=False, **options)
    advisor.model.rank_now()
    if advisor.model.state == "error":
        raise MagicError(advisor.model.error)
    from IPython.display import display

    display(advisor.static_parts(), raw=True)  # type: ignore[no-untyped-call]
    return None
