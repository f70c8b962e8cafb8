"""How a compact circuit is simulated: Aer method and noise model, chosen by width and gates.

Exact noise (thermal relaxation + depolarizing + readout) needs density matrices or statevector
trajectories, whose cost explodes with width, so it is used up to ``MAX_EXACT_NOISY_QUBITS``.
Wider *Clifford* circuits (e.g. a 100-qubit GHZ state) run on the stabilizer method with the
Pauli part of the noise: depolarizing errors sized to the calibrated gate errors, plus readout
errors; thermal relaxation's non-Pauli part is dropped there. Wider non-Clifford circuits fail
with a clear reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qiskit.circuit import ParameterExpression, QuantumCircuit
from qiskit_aer.noise import NoiseModel

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import CIRCUIT_TOO_LARGE, JobFailure

from .noise import noise_model_for, with_idle_relaxation

__all__ = [
    "MAX_EXACT_NOISY_QUBITS",
    "MAX_IDEAL_QUBITS",
    "SimulationPlan",
    "plan_simulation",
    "with_delay_noise",
]

#: Widest circuit simulated with the full calibrated noise model.
MAX_EXACT_NOISY_QUBITS = 12
#: Widest non-Clifford circuit simulated without noise (statevector memory).
MAX_IDEAL_QUBITS = 28
#: Below this width Aer's automatic choice (density matrix with noise) is already the best.
_AUTOMATIC_UP_TO = 8
_CLIFFORD = frozenset(
    {"id", "x", "y", "z", "h", "s", "sdg", "sx", "sxdg", "cx", "cy", "cz", "ecr", "swap"}
    | {"measure", "reset", "barrier", "delay"}
)


@dataclass(frozen=True)
class SimulationPlan:
    """Aer method and noise model for one compact circuit.

    Attributes:
        method: The Aer simulation method.
        noise: The noise model, or None for an ideal run.
        approximate_noise: True when only the Pauli part of the noise is simulated.
    """

    method: str
    noise: NoiseModel | None
    approximate_noise: bool = False


def _clifford_angle(value: object) -> bool:
    if isinstance(value, ParameterExpression):
        return False
    quarter_turns = float(value) / (math.pi / 2)  # type: ignore[arg-type]
    return abs(quarter_turns - round(quarter_turns)) < 1e-9


def is_clifford(circuit: QuantumCircuit) -> bool:
    """Whether every instruction is a Clifford gate (``rz`` by multiples of pi/2 included)."""
    for inst in circuit.data:
        name = inst.operation.name
        if name == "rz":
            if not _clifford_angle(inst.operation.params[0]):
                return False
        elif name not in _CLIFFORD:
            return False
    return True


def plan_simulation(
    compact: QuantumCircuit, model: DeviceModel, physical: tuple[int, ...], pub: int
) -> SimulationPlan:
    """Choose how to simulate ``compact`` (qubit ``i`` is physical qubit ``physical[i]``).

    Raises:
        JobFailure: (1518) when the circuit is too wide for any method.
    """
    width = len(physical)
    if model.is_simulator:
        if width > MAX_IDEAL_QUBITS and not is_clifford(compact):
            raise _too_wide(pub, width, MAX_IDEAL_QUBITS, "noiseless")
        return SimulationPlan("automatic", None)
    if width <= _AUTOMATIC_UP_TO:
        return SimulationPlan("automatic", noise_model_for(model, physical))
    if width <= MAX_EXACT_NOISY_QUBITS:
        return SimulationPlan("density_matrix", noise_model_for(model, physical))
    if is_clifford(compact):
        return SimulationPlan("stabilizer", noise_model_for(model, physical, pauli=True), True)
    raise _too_wide(pub, width, MAX_EXACT_NOISY_QUBITS, "noisy")


def _too_wide(pub: int, width: int, limit: int, kind: str) -> JobFailure:
    return JobFailure(
        f"pub {pub}: the circuit acts on {width} qubits; {kind} simulation of non-Clifford "
        f"circuits is limited to {limit} qubits. Use fewer qubits, or make the circuit Clifford "
        f"(rz angles multiples of pi/2, no parameters): Clifford circuits run at any width.",
        CIRCUIT_TOO_LARGE,
    )


def with_delay_noise(
    compact: QuantumCircuit, plan: SimulationPlan, model: DeviceModel, physical: tuple[int, ...]
) -> QuantumCircuit:
    """``compact`` with relaxation during delays when the plan simulates the full noise."""
    if plan.noise is None or plan.approximate_noise:
        return compact
    return with_idle_relaxation(compact, model, physical)
