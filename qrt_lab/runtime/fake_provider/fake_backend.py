"""``FakeBackendV2``: a Qiskit ``GenericBackendV2`` shaped like one IBM device, run on Aer."""

from __future__ import annotations

from typing import ClassVar

from qiskit.providers.fake_provider import GenericBackendV2

from .devices import DEVICES

__all__ = ["FakeBackendV2"]

#: Single-qubit basis of every device (the two-qubit gate comes from the device).
_ONE_QUBIT_BASIS = ["id", "rz", "sx", "x"]


class FakeBackendV2(GenericBackendV2):  # type: ignore[misc]
    """A fake backend: the device's coupling graph, basis and ``dt``, with generated errors.

    The coupling graph and native gates are the IBM device's; gate errors, durations, T1/T2 and
    readout errors are drawn by Qiskit's ``GenericBackendV2`` from realistic ranges, with a seed
    fixed per device. ``run()`` simulates on ``AerSimulator`` with the noise model of that
    target, so a fake backend is a valid ``mode`` of ``SamplerV2``/``EstimatorV2`` (local
    testing mode).
    """

    backend_name: ClassVar[str]

    def __init__(self) -> None:
        spec = DEVICES[self.backend_name]
        super().__init__(
            spec.lattice().num_qubits,
            basis_gates=[*_ONE_QUBIT_BASIS, spec.two_qubit_gate],
            coupling_map=spec.coupling_map(),
            control_flow=spec.dynamic,
            dt=spec.dt,
            seed=spec.seed,
        )
        self.name = spec.name
        self.description = (
            f"qrt-lab fake backend shaped like ibm_{spec.name.removeprefix('fake_')} "
            "(generated calibration)"
        )
