"""The ``%qruntime`` dispatcher: argparse parser, the Subcommand registry, one-line errors.

Subcommands register with :func:`subcommand`; :func:`run` parses a line, calls the subcommand
and turns user mistakes (bad arguments, unknown backends, failed jobs, unreachable services) into
one-line :class:`~IPython.core.error.UsageError` messages, which IPython shows without a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from IPython.core.error import UsageError

__all__ = [
    "SUBCOMMANDS",
    "MagicError",
    "Subcommand",
    "build_parser",
    "choice_argument",
    "run",
    "subcommand",
    "subcommand_help",
]


class MagicError(Exception):
    """A user-facing failure: the message says what went wrong and what to do next."""


@dataclass(frozen=True)
class Subcommand:
    """One ``%qruntime`` subcommand.

    Attributes:
        name: The word after ``%qruntime``.
        help: One line shown by ``%qruntime --help``.
        run: Called with the parsed arguments; its return value becomes the magic's result.
        configure: Adds the subcommand's own arguments to its parser.
        cell: Whether the subcommand reads the cell body (``%%qruntime``); ``args.cell`` holds it.
    """

    name: str
    help: str
    run: Callable[[argparse.Namespace], Any]
    configure: Callable[[argparse.ArgumentParser], None] = field(default=lambda _parser: None)
    cell: bool = False


SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(
    name: str,
    help: str,
    configure: Callable[[argparse.ArgumentParser], None] | None = None,
    *,
    cell: bool = False,
) -> Callable[[Callable[[argparse.Namespace], Any]], Callable[[argparse.Namespace], Any]]:
    """Register a function as ``%qruntime <name>``.

    Args:
        name: The subcommand word.
        help: One line of help.
        configure: Optional function that adds arguments to the subcommand's parser.
        cell: The subcommand is a cell magic (``%%qruntime <name>``) and gets ``args.cell``.

    Returns:
        A decorator that registers the function and returns it unchanged.
    """

    def register(run: Callable[[argparse.Namespace], Any]) -> Callable[[argparse.Namespace], Any]:
        SUBCOMMANDS[name] = Subcommand(name, help, run, configure or (lambda _parser: None), cell)
        return run

    return register


def choice_argument(
    name: str, choices: tuple[str, ...], help: str
) -> Callable[[argparse.ArgumentParser], None]:
    """A ``configure`` function for one optional word from ``choices`` (the first is the default).

    Args:
        name: The attribute of the parsed arguments that holds the word.
        choices: The allowed words; the first one is used when the word is left out.
        help: One line of help for the word.

    Returns:
        A function that adds the positional argument to a subcommand's parser.
    """

    def configure(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(name, nargs="?", choices=choices, default=choices[0], help=help)

    return configure


class _HelpShown(Exception):
    """Raised after ``--help`` printed its text."""


_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)")
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (.*)")


class _MagicArgumentParser(argparse.ArgumentParser):
    """An argparse parser that raises one-line usage errors with a suggestion, never exits."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {_with_suggestion(self, message)}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        # argparse exits after printing --help; stop the magic quietly instead
        raise _HelpShown(message or "")


def _closest(word: str, choices: list[str]) -> str | None:
    """The choice nearest to ``word`` ignoring case (``t2`` → ``T2``), if any is near enough."""
    lowered = {choice.lower(): choice for choice in choices}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def _options_of(parser: argparse.ArgumentParser) -> list[str]:
    """The parser's option strings, and those of its nested subcommands (``account use``)."""
    options = [opt for action in parser._actions for opt in action.option_strings]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            options += [opt for sub in action.choices.values() for opt in _options_of(sub)]
    return options


def _with_suggestion(parser: argparse.ArgumentParser, message: str) -> str:
    """The argparse message on one line, ending with the closest valid word when there is one."""
    hint = f"see '{parser.prog} --help'."
    choice = _INVALID_CHOICE.search(message)
    if choice:
        word = choice.group(1)
        options = re.findall(r"'([^']*)'", choice.group(2))
        near = _closest(word, options)
        head = f"unknown choice {word!r}"
        if near:
            return f"{head}; did you mean '{near}'? ({hint})"
        return f"{head}; choose from {', '.join(options)}."
    extra = _UNRECOGNIZED.search(message)
    if extra:
        words = extra.group(1).split()
        near = _closest(words[0].split("=")[0], _options_of(parser)) if words else None
        if near:
            return f"unknown argument {words[0]!r}; did you mean '{near}'? ({hint})"
        return f"unexpected argument(s) {extra.group(1)}; {hint}"
    return f"{' '.join(message.split())}; {hint}"


_Parsers = tuple[_MagicArgumentParser, dict[str, _MagicArgumentParser]]
_built: tuple[tuple[Subcommand, ...], _Parsers] | None = None


def _parsers() -> _Parsers:
    """The parsers for the registered subcommands, rebuilt only when the registry changed."""
    global _built
    registered = tuple(SUBCOMMANDS.values())
    if _built is None or _built[0] != registered:
        _built = (registered, _build_parsers())
    return _built[1]


def _build_parsers() -> _Parsers:
    parser = _MagicArgumentParser(
        prog="%qruntime",
        description="Qiskit Runtime in Jupyter. '%%qruntime help' explains every subcommand.",
    )
    commands = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    subs = {}
    for command in SUBCOMMANDS.values():
        text = command.help.replace("%", "%%")
        prog = f"{'%%' if command.cell else '%'}qruntime {command.name}"
        sub = commands.add_parser(command.name, help=text, description=text, prog=prog)
        command.configure(sub)
        sub.set_defaults(_command=command)
        subs[command.name] = sub
    return parser, subs


def build_parser() -> argparse.ArgumentParser:
    """Build the ``%qruntime`` parser from the registered subcommands."""
    return _parsers()[0]


def subcommand_help(name: str) -> str:
    """The ``--help`` text of the subcommand ``name``.

    Raises:
        KeyError: No such subcommand.
    """
    return _parsers()[1][name].format_help()


def _user_errors() -> tuple[type[BaseException], ...]:
    """Exception types that mean "the user or the service said no", not "qrt-lab has a bug"."""
    import httpx

    from ..runtime import exceptions  # qiskit's QiskitError without importing qiskit

    qiskit_error: type[Exception] = exceptions.QiskitError  # type: ignore[attr-defined]
    return (MagicError, qiskit_error, httpx.TransportError, TimeoutError)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]  # QiskitError.__str__ quotes its message with repr()
    if isinstance(exc, MagicError):
        return text
    return f"{type(exc).__name__}: {text}"


def run(line: str, cell: str | None = None) -> Any:
    """Parse ``line``, run its subcommand and return the subcommand's result.

    Args:
        line: Everything after ``%qruntime`` (or ``%%qruntime`` for a cell magic).
        cell: The cell body for ``%%qruntime``; None for the line magic.

    Returns:
        What the subcommand returned (IPython stores it in ``_``), or None after ``--help``.

    Raises:
        UsageError: Bad arguments, or a failure the user can fix; always one line.
    """
    try:
        words = shlex.split(line)
    except ValueError as exc:  # an unclosed quote: a usage error, not a traceback
        raise UsageError(
            f"%qruntime could not read its arguments ({exc}); close the quotes."
        ) from None
    parser, subs = _parsers()
    try:
        args, extra = parser.parse_known_args(words)
    except _HelpShown:
        return None
    command: Subcommand | None = getattr(args, "_command", None)
    if command is None:
        raise UsageError("%qruntime needs a subcommand, e.g. '%qruntime help' or 'version'.")
    if extra:  # reported by the subcommand's parser, so the suggestion comes from its options
        subs[command.name].error(f"unrecognized arguments: {' '.join(extra)}")
    if command.cell and cell is None:
        raise UsageError(
            f"'{command.name}' runs the program in the cell: start the cell with "
            f"'%%qruntime {command.name} ...' and put the OpenQASM program below it."
        )
    if not command.cell and cell is not None and cell.strip():
        raise UsageError(
            f"'{command.name}' is a line magic: write '%qruntime {command.name}' "
            "(one %) and leave the rest of the cell out."
        )
    args.cell = cell
    try:
        return command.run(args)
    except _user_errors() as exc:
        raise UsageError(_one_line(exc)) from None
