"""``%%qruntime sample`` and ``%%qruntime estimate``: run the OpenQASM program in the cell.

Parse (OpenQASM 2 with :func:`qiskit.qasm2.loads`, OpenQASM 3 with :func:`qiskit.qasm3.loads`),
transpile for the backend (a preset pass manager), run with SamplerV2 or EstimatorV2, show the
histogram or the expectation values, and return the ``PrimitiveResult`` (so ``_`` holds it).
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING, Any

from ._dispatch import MagicError, subcommand
from ._display import show_result
from .backends import _backend, _positive

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

__all__ = ["load_program"]

_HEADER = re.compile(r"^\s*OPENQASM\s+([0-9]+)(?:\.[0-9]+)?\s*;", re.MULTILINE)
_PAULI = re.compile(r"^[IXYZ]+$")


def load_program(text: str) -> QuantumCircuit:
    """Read an OpenQASM 2 or 3 program (chosen by its ``OPENQASM`` line) into a circuit.

    Raises:
        MagicError: No version line, an unsupported version, or a program that does not parse.
    """
    header = _HEADER.search(text)
    if header is None:
        raise MagicError(
            "The cell has no OpenQASM program: start it with 'OPENQASM 2.0;' or 'OPENQASM 3.0;' "
            "on the line after %%qruntime."
        )
    version = header.group(1)
    if version not in ("2", "3"):
        raise MagicError(f"OpenQASM {version} is not supported: write OpenQASM 2.0 or 3.0.")
    from qiskit import qasm2, qasm3

    try:
        return qasm2.loads(text) if version == "2" else qasm3.loads(text)
    except Exception as exc:  # noqa: BLE001 - every parser error means "fix the program"
        message = " ".join(str(exc).split())
        raise MagicError(f"The OpenQASM {version} program does not parse: {message}") from None


def _optimization(text: str) -> int:
    if text not in ("0", "1", "2", "3"):
        raise argparse.ArgumentTypeError(f"expected 0, 1, 2 or 3, got {text!r}")
    return int(text)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        required=True,
        metavar="NAME",
        help="Backend to run on ('%%qruntime backends' lists them).",
    )
    parser.add_argument(
        "--optimization",
        type=_optimization,
        default=1,
        metavar="L",
        help="Transpiler optimization level 0-3 (default 1).",
    )


def _configure_sample(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "--shots", type=_positive, default=1024, metavar="N", help="Number of shots (default 1024)."
    )


def _transpiled(args: argparse.Namespace) -> tuple[Any, QuantumCircuit]:
    from qiskit.transpiler import TranspilerError, generate_preset_pass_manager

    circuit = load_program(args.cell or "")
    backend = _backend(args.backend)
    manager = generate_preset_pass_manager(args.optimization, target=backend.target)
    try:
        return backend, manager.run(circuit)
    except (TranspilerError, ValueError) as exc:  # the program does not fit the backend
        message = " ".join(str(exc).split())
        raise MagicError(
            f"The program cannot run on {backend.name} ({message}); pick a larger backend with "
            "'%qruntime backends' or simplify the program."
        ) from None


@subcommand(
    "sample",
    help="Cell magic: run the OpenQASM program below with SamplerV2.",
    configure=_configure_sample,
    cell=True,
)
def _sample(args: argparse.Namespace) -> Any:
    from ..runtime import SamplerV2

    circuit = load_program(args.cell or "")
    if not circuit.num_clbits:
        raise MagicError("The program measures nothing: add measure statements (or use estimate).")
    backend, isa = _transpiled(args)
    result = SamplerV2(mode=backend).run([isa], shots=args.shots).result()
    show_result(result)
    return result


def _configure_estimate(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument(
        "--observable",
        action="append",
        required=True,
        metavar="PAULI",
        help="A Pauli string such as ZZ (qubit 0 rightmost); repeat for more.",
    )
    parser.add_argument("--precision", type=float, metavar="P", help="Target precision.")


@subcommand(
    "estimate",
    help="Cell magic: expectation values of the program below (EstimatorV2).",
    configure=_configure_estimate,
    cell=True,
)
def _estimate(args: argparse.Namespace) -> Any:
    from qiskit.quantum_info import SparsePauliOp

    from ..runtime import EstimatorV2

    circuit = load_program(args.cell or "")
    labels = [label.strip().upper() for label in args.observable]
    for label in labels:
        if not _PAULI.match(label) or len(label) != circuit.num_qubits:
            raise MagicError(
                f"Observable {label!r} must be {circuit.num_qubits} letters from I, X, Y, Z "
                "(one per qubit of the program, qubit 0 rightmost)."
            )
    if args.precision is not None and not 0 < args.precision < 1:
        raise MagicError(f"--precision must be between 0 and 1, got {args.precision}.")
    backend, isa = _transpiled(args)
    isa.remove_final_measurements()
    observables = [SparsePauliOp(label).apply_layout(isa.layout) for label in labels]
    pub = (isa, observables)
    result = EstimatorV2(mode=backend).run([pub], precision=args.precision).result()
    show_result(result, labels)
    return result
