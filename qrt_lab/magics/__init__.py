"""``%qruntime``: the runtime in one line; IPython magics that wrap importable functions.

``%load_ext qrt_lab`` registers them; ``%qruntime help`` lists the subcommands. Each subcommand
lives in the module of its group (``version``, ``account``, ``backends``, ``jobs``, ``session``,
``watch``, ``sample``, ``usage``, ``advise``, ``help``) and registers itself with
:func:`subcommand`.
Importing this package does not import qiskit: subcommands import what they need when they run.
"""

from __future__ import annotations

from typing import Any

from IPython.core.magic import Magics, line_cell_magic, magics_class

# imported for their side effect: each module registers its subcommands, in this help order
from . import (  # noqa: F401
    _dispatch,
    account,
    advise,
    backends,
    help,
    jobs,
    sample,
    session,
    usage,
    watch,
)
from ._dispatch import SUBCOMMANDS, MagicError, Subcommand, build_parser, subcommand
from .version import VERSION_PACKAGES, VersionTable, version_table

__all__ = [
    "SUBCOMMANDS",
    "VERSION_PACKAGES",
    "MagicError",
    "QRuntimeMagics",
    "Subcommand",
    "VersionTable",
    "build_parser",
    "subcommand",
    "version_table",
]


@magics_class
class QRuntimeMagics(Magics):
    """The ``%qruntime`` line magic and the ``%%qruntime`` cell magic."""

    @line_cell_magic
    def qruntime(self, line: str, cell: str | None = None) -> Any:
        """Qiskit Runtime in Jupyter: ``%qruntime SUBCOMMAND [options]`` (``help`` lists them).

        ``%%qruntime sample --backend NAME`` and ``%%qruntime estimate ...`` run the OpenQASM
        program in the cell.
        """
        return _dispatch.run(line, cell)
