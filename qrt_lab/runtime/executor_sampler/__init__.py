"""The client-side Sampler on the ``executor`` program (``qiskit_ibm_runtime.executor_sampler``).

Replace ``from qiskit_ibm_runtime.executor_sampler import Sampler`` by
``from qrt_lab.runtime.executor_sampler import Sampler``.
"""

from .sampler import Sampler, SamplerV2

__all__ = ["Sampler", "SamplerV2"]
