"""The quantum seconds a job would be billed, estimated before it is submitted.

The estimate is the billing formula of :mod:`qrt_lab.billing` (the one the local service bills
with): ``2 s + sum over executions of shots * (rep_delay + circuit duration)``, each circuit's
duration its ASAP schedule with the backend's calibrated gate and readout lengths.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from qiskit.circuit import QuantumCircuit
from qiskit.primitives.containers.sampler_pub import SamplerPub

from qrt_lab.billing import asap_duration, delay_seconds, quantum_seconds

from ..exceptions import IBMInputValueError
from .calibration import DeviceCalibration, read_calibration

__all__ = ["DEFAULT_SHOTS", "circuit_seconds", "estimate_usage"]

#: Shots of a sampler pub that names none (the sampler's default).
DEFAULT_SHOTS = 4096


def circuit_seconds(circuit: QuantumCircuit, calibration: DeviceCalibration) -> float:
    """Seconds one shot of ``circuit`` (an ISA circuit of the backend) takes, ASAP-scheduled."""
    steps = []
    for inst in circuit.data:
        qubits = tuple(circuit.find_bit(q).index for q in inst.qubits)
        name = inst.operation.name
        if name == "delay":
            length = delay_seconds(inst.operation, calibration.dt)
        else:
            length = calibration.length(name, qubits)
        steps.append((qubits, length))
    return asap_duration(steps, circuit.num_qubits)


def _coerce(pubs: Iterable[Any], shots: int | None) -> list[SamplerPub]:
    if isinstance(pubs, (QuantumCircuit, str, bytes)) or not isinstance(pubs, Iterable):
        pubs = [pubs]
    coerced = []
    for i, pub in enumerate(pubs):
        try:
            coerced.append(SamplerPub.coerce(pub, shots))
        except (TypeError, ValueError) as exc:
            raise IBMInputValueError(
                f"pub {i} is not a sampler PUB ({exc}); pass circuits or (circuit, values, shots)."
            ) from None
    if not coerced:
        raise IBMInputValueError("estimate_usage() needs at least one PUB.")
    return coerced


def estimate_usage(
    pubs: Any, backend: Any, *, shots: int | None = None, rep_delay: float | None = None
) -> float:
    """Quantum seconds a sampler job of ``pubs`` on ``backend`` would be billed.

    Args:
        pubs: Sampler PUBs: ISA circuits of ``backend``, ``(circuit, values)`` or
            ``(circuit, values, shots)`` (one circuit alone is one PUB).
        backend: The backend the job would run on (its calibration gives the lengths; the
            first use of a client backend fetches its properties).
        shots: Shots of PUBs that name none (default :data:`DEFAULT_SHOTS`, the sampler's).
        rep_delay: Seconds between shots (default: the backend's ``default_rep_delay``).

    Returns:
        ``2 s + sum(parameter rows * shots * (rep_delay + circuit duration))`` in seconds.

    Raises:
        IBMInputValueError: ``pubs`` is empty or not made of sampler PUBs, or ``shots`` is not a
            positive integer.
    """
    if shots is not None and (isinstance(shots, bool) or not isinstance(shots, int) or shots < 1):
        raise IBMInputValueError(f"shots must be a positive int, got {shots!r}.")
    coerced = _coerce(pubs, shots if shots is not None else DEFAULT_SHOTS)
    calibration = read_calibration(backend)
    delay = calibration.rep_delay if rep_delay is None else float(rep_delay)
    executions = [
        (
            max(math.prod(pub.shape), 1) * int(pub.shots or DEFAULT_SHOTS),
            circuit_seconds(pub.circuit, calibration),
        )
        for pub in coerced
    ]
    return quantum_seconds(executions, delay)
