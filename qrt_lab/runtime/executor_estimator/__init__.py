"""The client-side Estimator on the ``executor`` program.

The counterpart of ``qiskit_ibm_runtime.executor_estimator``.

Replace ``from qiskit_ibm_runtime.executor_estimator import Estimator`` by
``from qrt_lab.runtime.executor_estimator import Estimator``. Differences from ``EstimatorV2``
(program ``estimator``): noise learning is a separate step (PEA/PEC need
``options.resilience.layer_noise_model``), all PUBs share one precision, and mitigation runs in
the client (qiskit-mitigation) around one ``executor`` job.
"""

from .estimator import Estimator, EstimatorV2
from .post_process import EstimatorPubResult

__all__ = ["Estimator", "EstimatorPubResult", "EstimatorV2"]
