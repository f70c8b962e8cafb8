"""Idle-window scheduling and dynamical decoupling of compact circuits, as the options say.

A circuit is scheduled (Qiskit's ``ALAPScheduleAnalysis`` or ``ASAPScheduleAnalysis``) with the
device's calibrated instruction durations, so every idle window becomes a ``delay``; with
``dynamical_decoupling.enable`` Qiskit's ``PadDynamicalDecoupling`` first fills the windows long
enough with the platform's sequences (``XX``, ``XpXm``, ``XY4``, made of ``x`` and virtual
``rz``), honouring ``extra_slack_distribution`` and ``skip_reset_qubits``. The delays then get
the device's idle noise (:func:`.noise.with_idle_relaxation`: T1/T2 relaxation and a static
detuning phase that DD refocuses).

Scheduling runs only when it matters: when DD is enabled or the circuit already has delays, so
jobs without either simulate exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qiskit.circuit import QuantumCircuit

from qrt_lab.dd_sequences import SEQUENCE_TYPES, dd_sequence
from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

from .timing import delay_seconds

__all__ = ["DecouplingSettings", "decoupling_settings", "schedule_idle_windows"]

_SLACK = ("middle", "edges")
_SCHEDULING = ("alap", "asap")


@dataclass(frozen=True)
class DecouplingSettings:
    """Resolved ``options.dynamical_decoupling``."""

    enable: bool = False
    sequence_type: str = "XX"
    extra_slack_distribution: str = "middle"
    scheduling_method: str = "alap"
    skip_reset_qubits: bool = True

    def report(self) -> dict[str, Any]:
        """The options as the job metadata lists them."""
        return {
            "enable": self.enable,
            "sequence_type": self.sequence_type,
            "extra_slack_distribution": self.extra_slack_distribution,
            "scheduling_method": self.scheduling_method,
            "skip_reset_qubits": self.skip_reset_qubits,
        }


def _choice(section: dict[str, Any], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = section.get(key)
    if value is None:
        return default
    if value not in allowed:
        raise JobFailure(
            f"dynamical_decoupling.{key} must be one of {', '.join(allowed)}, got {value!r}",
            BAD_INPUT,
        )
    return str(value)


def _bool(section: dict[str, Any], key: str, default: bool) -> bool:
    value = section.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise JobFailure(
            f"dynamical_decoupling.{key} must be true or false, got {value!r}", BAD_INPUT
        )
    return value


def decoupling_settings(options: dict[str, Any]) -> DecouplingSettings:
    """Validate ``options.dynamical_decoupling`` (raises ``JobFailure`` 1513)."""
    section = options.get("dynamical_decoupling") or {}
    if not isinstance(section, dict):
        raise JobFailure(
            f"options.dynamical_decoupling must be an object, got {section!r}", BAD_INPUT
        )
    return DecouplingSettings(
        enable=_bool(section, "enable", False),
        sequence_type=_choice(section, "sequence_type", SEQUENCE_TYPES, "XX"),
        extra_slack_distribution=_choice(section, "extra_slack_distribution", _SLACK, "middle"),
        scheduling_method=_choice(section, "scheduling_method", _SCHEDULING, "alap"),
        skip_reset_qubits=_bool(section, "skip_reset_qubits", True),
    )


def _durations(compact: QuantumCircuit, model: DeviceModel, physical: tuple[int, ...]) -> Any:
    """The compact circuit's instruction durations (in ``dt``) from the calibration."""
    from qiskit.transpiler import InstructionDurations

    dt = model.dt
    seen: dict[tuple[str, tuple[int, ...]], int] = {}
    for q in range(compact.num_qubits):
        seen[("x", (q,))] = round(model.gate_length("x", (physical[q],)) / dt)
        seen[("rz", (q,))] = 0
    for inst in compact.data:
        name = inst.operation.name
        if name in ("delay", "barrier"):
            continue
        local = tuple(compact.find_bit(q).index for q in inst.qubits)
        if (name, local) not in seen:
            length = model.gate_length(name, tuple(physical[q] for q in local))
            seen[(name, local)] = round(length / dt)
    entries = [(name, list(qubits), length) for (name, qubits), length in seen.items()]
    return InstructionDurations(entries, dt=dt)


def _pass_manager(settings: DecouplingSettings, durations: Any) -> Any:
    from qiskit.transpiler import PassManager
    from qiskit.transpiler.passes import (
        ALAPScheduleAnalysis,
        ASAPScheduleAnalysis,
        PadDelay,
        PadDynamicalDecoupling,
        TimeUnitConversion,
    )

    alap = settings.scheduling_method == "alap"
    schedule = ALAPScheduleAnalysis if alap else ASAPScheduleAnalysis
    manager = PassManager([TimeUnitConversion(durations), schedule(durations)])
    if settings.enable:
        gates, spacing = dd_sequence(settings.sequence_type)
        manager.append(
            PadDynamicalDecoupling(
                durations,
                gates,
                spacing=spacing,
                skip_reset_qubits=settings.skip_reset_qubits,
                extra_slack_distribution=settings.extra_slack_distribution,
            )
        )
    manager.append(PadDelay(durations=durations))
    return manager


def _delays_in_dt(compact: QuantumCircuit, dt: float) -> QuantumCircuit:
    """``compact`` with every delay as a whole number of ``dt`` (the schedulers need them so)."""
    from qiskit.circuit import CircuitInstruction, Delay

    out = compact.copy_empty_like()
    for inst in compact.data:
        if inst.operation.name == "delay":
            length = round(delay_seconds(inst.operation, dt) / dt)
            inst = CircuitInstruction(Delay(length, "dt"), inst.qubits, inst.clbits)
        out._append(inst)
    return out


def _schedulable(compact: QuantumCircuit) -> bool:
    for inst in compact.data:
        if getattr(inst.operation, "blocks", None):
            return False
        if inst.operation.name == "delay" and not isinstance(inst.operation.params[0], int | float):
            return False
    return True


def schedule_idle_windows(
    compact: QuantumCircuit,
    model: DeviceModel,
    physical: tuple[int, ...],
    settings: DecouplingSettings,
) -> tuple[QuantumCircuit, dict[str, Any]]:
    """``compact`` scheduled, idle windows as delays (DD pulses in them when enabled).

    Args:
        compact: A compact circuit (qubit ``i`` is physical qubit ``physical[i]``), unmeasured.
        model: The device (its calibration gives the durations).
        physical: The physical qubit of every compact qubit.
        settings: The job's dynamical decoupling options.

    Returns:
        The circuit and what was done (``scheduled``, ``dd_pulses`` inserted, or ``skipped``
        with the reason), for the pub's metadata.
    """
    has_delays = any(i.operation.name == "delay" for i in compact.data)
    if model.is_simulator or not model.qubits or not (settings.enable or has_delays):
        return compact, {"scheduled": False, "dd_pulses": 0}
    if not _schedulable(compact):
        return compact, {
            "scheduled": False,
            "dd_pulses": 0,
            "skipped": "control flow or parameterised delays cannot be scheduled",
        }
    from qiskit.circuit.exceptions import CircuitError
    from qiskit.transpiler.exceptions import TranspilerError

    before = compact.count_ops().get("x", 0)
    compact = _delays_in_dt(compact, model.dt)
    try:
        scheduled = _pass_manager(settings, _durations(compact, model, physical)).run(compact)
    except (CircuitError, TranspilerError) as exc:
        raise JobFailure(
            f"The circuit could not be scheduled for its idle windows ({exc}); check its delays, "
            f"or set dynamical_decoupling.enable = False",
            BAD_INPUT,
        ) from exc
    pulses = scheduled.count_ops().get("x", 0) - before
    return scheduled, {"scheduled": True, "dd_pulses": int(pulses)}
