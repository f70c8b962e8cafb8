"""Transpiler passes (``qiskit_ibm_runtime.transpiler``): see :mod:`.passes`."""
