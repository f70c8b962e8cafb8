"""``Neat`` (noisy estimator analyzer tool): ideal vs noisy Clifford simulations of PUBs on Aer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qiskit.primitives.containers.estimator_pub import EstimatorPub

from .neat_results import NeatPubResult, NeatResult

__all__ = ["Neat"]


class Neat:
    """Estimate what a backend's noise does to estimator PUBs, with stabilizer simulations.

    ``ideal_sim`` and ``noisy_sim`` run the PUBs on Aer's stabilizer method, without and with
    the backend's noise model (``NoiseModel.from_backend(backend, thermal_relaxation=False)``
    unless given); ``cliffordize=True`` first rounds rotations to Clifford angles
    (``to_clifford``) so utility-scale circuits stay simulable. Compare the results with
    arithmetic, e.g. ``abs(noisy[0] - ideal[0]) / ideal[0]``.

    Args:
        backend: The backend whose noise is simulated (e.g. from ``QiskitRuntimeService``).
        noise_model: An Aer ``NoiseModel`` to use instead of the backend's.
    """

    def __init__(self, backend: Any, noise_model: Any = None) -> None:
        from qiskit_aer.noise import NoiseModel

        self._backend = backend
        self.noise_model = (
            noise_model
            if noise_model is not None
            else NoiseModel.from_backend(backend, thermal_relaxation=False)
        )

    @property
    def noise_model(self) -> Any:
        """The Aer noise model of the noisy simulations."""
        return self._noise_model

    @noise_model.setter
    def noise_model(self, value: Any) -> None:
        self._noise_model = value

    def backend(self) -> Any:
        """The backend."""
        return self._backend

    def _simulate(
        self,
        pubs: Sequence[Any],
        with_noise: bool,
        cliffordize: bool,
        seed_simulator: int | None,
        precision: float,
    ) -> NeatResult:
        from qiskit.exceptions import QiskitError
        from qiskit_aer.primitives import EstimatorV2 as AerEstimator

        coerced = self.to_clifford(pubs) if cliffordize else [EstimatorPub.coerce(p) for p in pubs]
        backend_options = {
            "method": "stabilizer",
            "noise_model": self.noise_model if with_noise else None,
            "seed_simulator": seed_simulator,
        }
        # The seed also goes to run_options: Aer draws the precision's sampling noise
        # from there, so a seeded call gives the same values every time.
        estimator = AerEstimator(
            options={
                "backend_options": backend_options,
                "run_options": {"seed_simulator": seed_simulator},
                "default_precision": precision,
            }
        )
        try:
            result = estimator.run(coerced).result()
        except QiskitError as err:
            if "invalid parameters" in str(err):
                raise ValueError(
                    "Couldn't run the simulation, likely because the given PUBs contain one or "
                    "more non-Clifford instructions. To fix, try setting ``cliffordize`` to "
                    "``True``."
                ) from err
            raise
        return NeatResult(NeatPubResult(r.data.evs) for r in result)

    def ideal_sim(
        self,
        pubs: Sequence[Any],
        cliffordize: bool = False,
        seed_simulator: int | None = None,
        precision: float = 0,
    ) -> NeatResult:
        """Noiseless stabilizer simulation of the PUBs.

        Raises:
            ValueError: A PUB is not Clifford (pass ``cliffordize=True``).
        """
        return self._simulate(pubs, False, cliffordize, seed_simulator, precision)

    def noisy_sim(
        self,
        pubs: Sequence[Any],
        cliffordize: bool = False,
        seed_simulator: int | None = None,
        precision: float = 0,
    ) -> NeatResult:
        """Stabilizer simulation of the PUBs with the noise model.

        Raises:
            ValueError: A PUB is not Clifford (pass ``cliffordize=True``).
        """
        return self._simulate(pubs, True, cliffordize, seed_simulator, precision)

    def to_clifford(self, pubs: Sequence[Any]) -> list[EstimatorPub]:
        """The PUBs with their circuits made Clifford by ``ConvertISAToClifford``."""
        from qiskit.transpiler import PassManager

        from .cliffordize import ConvertISAToClifford

        converted = []
        for pub in pubs:
            coerced = EstimatorPub.coerce(pub)
            circuit = PassManager([ConvertISAToClifford()]).run(coerced.circuit)
            converted.append(
                EstimatorPub(
                    circuit, coerced.observables, coerced.parameter_values, coerced.precision, False
                )
            )
        return converted

    def __repr__(self) -> str:
        return f'Neat(backend="{self.backend().name}")'
