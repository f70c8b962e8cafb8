"""The ``Executor`` primitive (``qiskit_ibm_runtime.executor``)."""

from .executor import Executor

__all__ = ["Executor"]
