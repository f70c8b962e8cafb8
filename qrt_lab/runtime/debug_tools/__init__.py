"""Debugging tools (``qiskit_ibm_runtime.debug_tools``): ``Neat`` on Aer."""

from .neat import Neat
from .neat_results import NeatPubResult, NeatResult

__all__ = ["Neat", "NeatPubResult", "NeatResult"]
