"""qrt-lab: the Qiskit Runtime service in Jupyter.

Importing this package is light on purpose (no qiskit, no tornado): it only exposes the version
and the entry points Jupyter looks up. Heavy rooms are imported where they are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

try:
    from ._version import __version__
except ImportError:  # a source tree that was never built or installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "load_ipython_extension"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Tell JupyterLab where the prebuilt frontend lives."""
    return [{"src": "labextension", "dest": "qrt-lab"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """Tell jupyter-server which app is the qrt-lab server extension."""
    from .server.app import QrtLabApp

    return [{"module": "qrt_lab.server", "app": QrtLabApp}]


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register the ``%qruntime`` magics and rich display (``%load_ext qrt_lab``).

    Rich display: qrt-lab's backends, jobs, sessions and services, and Qiskit's
    ``PrimitiveResult`` and PUB results of any client (a histogram or an expectation plot).

    Args:
        ipython: The running IPython shell.
    """
    from .magics import QRuntimeMagics
    from .widgets.reprs import register_ipython

    ipython.register_magics(QRuntimeMagics)
    register_ipython(ipython)


def _register_display_formatters() -> None:
    """Give the client's objects their notebook display (HTML summaries, live widgets)."""
    from .widgets.reprs import register

    register()


# the registry is light (no qiskit); the formatters load at the first rich display
from .runtime import display as _display  # noqa: E402

_display.set_default_formatters(_register_display_formatters)
