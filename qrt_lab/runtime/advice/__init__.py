"""The backend advisor: which backend, which qubits, at what cost, before a job is submitted.

``rank_backends(circuits, service)`` returns :class:`Candidate` objects, best first;
``estimate_usage(pubs, backend, shots=...)`` the quantum seconds a job would be billed.
"""

from __future__ import annotations

from .candidate import Candidate
from .ranking import rank_backends
from .usage import estimate_usage
from .usage_warning import USAGE_WARNING_ENV, UsageWarning

__all__ = ["USAGE_WARNING_ENV", "Candidate", "UsageWarning", "estimate_usage", "rank_backends"]
