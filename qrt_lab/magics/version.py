"""``%qruntime version``: versions of qrt-lab, Qiskit, JupyterLab, Python and the OS."""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from IPython.display import display

from .. import __version__
from ._dispatch import subcommand

__all__ = ["VERSION_PACKAGES", "VersionTable", "version_table"]

#: Packages reported by ``%qruntime version``: (label, distribution name).
VERSION_PACKAGES: tuple[tuple[str, str], ...] = (
    ("qiskit", "qiskit"),
    ("qiskit-aer", "qiskit-aer"),
    ("jupyterlab", "jupyterlab"),
)


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
    display(version_table())  # type: ignore[no-untyped-call]
