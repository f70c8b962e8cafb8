"""Transpiler passes (``qiskit_ibm_runtime.transpiler.passes``): ``ConvertISAToClifford``.

The pass NEAT uses to map ISA circuits to their nearest Clifford circuits, under the official
import path.
"""

from qrt_lab.runtime.debug_tools.cliffordize import ConvertISAToClifford

__all__ = ["ConvertISAToClifford"]
