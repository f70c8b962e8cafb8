"""``%qruntime``: IPython line magics, thin wrappers over importable functions.

``%load_ext qrt_lab`` registers them. Subcommands plug into one argparse dispatcher with
:func:`subcommand`, e.g. ``%qruntime version``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import platform
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, NoReturn

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.display import display

from . import __version__

#: Packages reported by ``%qruntime version``: (label, distribution name).
VERSION_PACKAGES: tuple[tuple[str, str], ...] = (
    ("qiskit", "qiskit"),
    ("qiskit-aer", "qiskit-aer"),
    ("jupyterlab", "jupyterlab"),
)


@dataclass(frozen=True)
class Subcommand:
    """One ``%qruntime`` subcommand.

    Attributes:
        name: The word after ``%qruntime``.
        help: One line shown by ``%qruntime --help``.
        run: Called with the parsed arguments; its return value becomes the magic's result.
        configure: Adds the subcommand's own arguments to its parser.
    """

    name: str
    help: str
    run: Callable[[argparse.Namespace], Any]
    configure: Callable[[argparse.ArgumentParser], None] = field(default=lambda _parser: None)


SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(
    name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] | None = None
) -> Callable[[Callable[[argparse.Namespace], Any]], Callable[[argparse.Namespace], Any]]:
    """Register a function as ``%qruntime <name>``.

    Args:
        name: The subcommand word.
        help: One line of help.
        configure: Optional function that adds arguments to the subcommand's parser.

    Returns:
        A decorator that registers the function and returns it unchanged.
    """

    def register(run: Callable[[argparse.Namespace], Any]) -> Callable[[argparse.Namespace], Any]:
        SUBCOMMANDS[name] = Subcommand(name, help, run, configure or (lambda _parser: None))
        return run

    return register


class _MagicArgumentParser(argparse.ArgumentParser):
    """An argparse parser that reports errors as IPython usage errors instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n{self.format_usage()}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        # argparse exits after printing --help; stop the magic quietly instead
        raise _HelpShown(message or "")


class _HelpShown(Exception):
    """Raised after ``--help`` printed its text."""


def build_parser() -> argparse.ArgumentParser:
    """Build the ``%qruntime`` parser from the registered subcommands."""
    parser = _MagicArgumentParser(prog="%qruntime", description="Qiskit Runtime in Jupyter.")
    commands = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    for command in SUBCOMMANDS.values():
        sub = commands.add_parser(command.name, help=command.help, description=command.help)
        command.configure(sub)
        sub.set_defaults(_run=command.run)
    return parser


@dataclass(frozen=True)
class VersionTable:
    """Versions of qrt-lab, its main dependencies and the system; HTML in Jupyter, text elsewhere.

    Attributes:
        software: ``(name, version)`` rows.
        system: ``(name, value)`` rows.
        created: When the table was made.
    """

    software: tuple[tuple[str, str], ...]
    system: tuple[tuple[str, str], ...]
    created: dt.datetime

    def __str__(self) -> str:
        rows = [("Software", "Version"), *self.software, ("System", ""), *self.system]
        width = max(len(name) for name, _ in rows)
        lines = [f"{name:<{width}}  {value}".rstrip() for name, value in rows]
        lines.insert(1, "-" * max(len(line) for line in lines))
        lines.append(self.created.strftime("%a %b %d %H:%M:%S %Y %Z").strip())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        def section(title: str, rows: tuple[tuple[str, str], ...], head: str) -> str:
            body = "".join(
                f"<tr><td>{html.escape(name)}</td><td>{html.escape(value)}</td></tr>"
                for name, value in rows
            )
            return f"<tr><th>{title}</th><th>{head}</th></tr>{body}"

        created = html.escape(self.created.strftime("%a %b %d %H:%M:%S %Y %Z").strip())
        return (
            '<table class="qrt-version-table">'
            f"{section('Software', self.software, 'Version')}"
            f"{section('System information', self.system, '')}"
            f'<tr><td colspan="2">{created}</td></tr></table>'
        )


def _installed_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def version_table() -> VersionTable:
    """Collect the versions without importing qiskit (package metadata only).

    Returns:
        The table shown by ``%qruntime version``.
    """
    software = (
        ("qrt-lab", __version__),
        *((label, _installed_version(dist)) for label, dist in VERSION_PACKAGES),
    )
    system = (
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Python executable", sys.executable),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("CPUs", str(os.cpu_count() or "unknown")),
    )
    return VersionTable(software, system, dt.datetime.now(dt.timezone.utc).astimezone())


@subcommand("version", help="Show the versions of qrt-lab, Qiskit, JupyterLab, Python and the OS.")
def _version(_args: argparse.Namespace) -> None:
    display(version_table())


@magics_class
class QRuntimeMagics(Magics):
    """The ``%qruntime`` line magic."""

    @line_magic
    def qruntime(self, line: str) -> Any:
        """Qiskit Runtime in Jupyter: ``%qruntime SUBCOMMAND [options]`` (``--help`` lists them)."""
        parser = build_parser()
        try:
            words = shlex.split(line)
        except ValueError as exc:  # an unclosed quote: a usage error, not a traceback
            raise UsageError(
                f"%qruntime could not read its arguments ({exc}); close the quotes."
            ) from None
        try:
            args = parser.parse_args(words)
        except _HelpShown:
            return None
        if args.command is None:
            raise UsageError(
                "%qruntime needs a subcommand, e.g. '%qruntime version'.\n" + parser.format_help()
            )
        return args._run(args)
