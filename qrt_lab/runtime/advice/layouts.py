"""Candidate layouts of a circuit on one backend, found by subgraph matching and scored.

As Qiskit's ``VF2Layout`` and mapomatic do, the circuit's interaction graph is matched into the
backend's coupling graph (rustworkx's VF2, several shuffled orders so the matches spread over
the device) and every match is scored by the calibration: the log-infidelity of the two-qubit
gates on the edges it uses, one-qubit gates and readout on its qubits, and idling (the
circuit's two-qubit layers a qubit waits through, times a typical two-qubit gate length, at
that qubit's T1/T2). Qubits without two-qubit gates go to the best free qubits. The lowest
scores are the candidates; the ranking then transpiles and predicts each exactly.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Iterator

import rustworkx as rx

from .calibration import DeviceCalibration
from .interaction import Interaction
from .prediction import idle_infidelity

__all__ = ["MATCH_LIMIT", "candidate_layouts"]

#: Most matches scored per backend (spread over :data:`_ORDERS` shuffled orders).
MATCH_LIMIT = 1200
_ORDERS = 4
_CALL_LIMIT = 200_000

Layout = tuple[int, ...]


def _cost(error: float) -> float:
    return -math.log1p(-min(error, 1 - 1e-12))


class _Scorer:
    """Per-qubit and per-edge costs of one calibration for one interaction."""

    def __init__(self, interaction: Interaction, calibration: DeviceCalibration) -> None:
        self.interaction = interaction
        self.edges = {e: _cost(err) for e, err in calibration.edges.items()}
        lengths = [
            calibration.length(name, qargs)
            for (name, qargs) in calibration.lengths
            if len(qargs) == 2
        ]
        layer = statistics.median(lengths) if lengths else 0.0
        self.sx = {
            qargs[0]: err for (name, qargs), err in calibration.errors.items() if name == "sx"
        }
        self.qubit = [
            [self._qubit_cost(calibration, p, v, layer) for p in range(calibration.num_qubits)]
            for v in range(interaction.num_qubits)
        ]

    def _qubit_cost(self, cal: DeviceCalibration, p: int, v: int, layer: float) -> float:
        cost = self.interaction.single[v] * _cost(self.sx.get(p, 0.0))
        if self.interaction.measured[v]:
            cost += _cost(cal.error("measure", (p,)))
        idle = self.interaction.idle_layers[v] * layer
        return cost + _cost(idle_infidelity(idle, cal.t1[p], cal.t2[p]))

    def score(self, layout: Layout) -> float:
        total = sum(self.qubit[v][p] for v, p in enumerate(layout))
        for (a, b), count in self.interaction.pairs.items():
            pa, pb = layout[a], layout[b]
            total += count * self.edges.get((min(pa, pb), max(pa, pb)), 50.0)
        return total

    def fill(self, partial: dict[int, int], usable: set[int]) -> Layout | None:
        """Complete ``partial`` (virtual -> physical) with the best free qubits."""
        free = sorted(usable - set(partial.values()))
        out = dict(partial)
        for v in range(self.interaction.num_qubits):
            if v in out:
                continue
            if not free:
                return None
            best = min(free, key=lambda p: self.qubit[v][p])
            free.remove(best)
            out[v] = best
        return tuple(out[v] for v in range(self.interaction.num_qubits))


def _matches(interaction: Interaction, calibration: DeviceCalibration) -> Iterator[dict[int, int]]:
    """VF2 matches ``virtual -> physical`` of the two-qubit interaction graph."""
    active = sorted({q for pair in interaction.pairs for q in pair})
    if not active:
        yield {}
        return
    pattern = rx.PyGraph()
    pattern.add_nodes_from(active)
    index = {v: i for i, v in enumerate(active)}
    pattern.add_edges_from_no_data([(index[a], index[b]) for a, b in interaction.pairs])
    nodes = sorted({q for edge in calibration.edges for q in edge})
    per_order = max(MATCH_LIMIT // _ORDERS, 1)
    for seed in range(_ORDERS):
        order = list(nodes)
        if seed:
            random.Random(seed).shuffle(order)
        device = rx.PyGraph()
        device.add_nodes_from(order)
        where = {p: i for i, p in enumerate(order)}
        device.add_edges_from_no_data([(where[a], where[b]) for a, b in calibration.edges])
        found = rx.vf2_mapping(
            device, pattern, subgraph=True, induced=False, id_order=False, call_limit=_CALL_LIMIT
        )
        for count, mapping in enumerate(found):
            if count >= per_order:
                break
            yield {active[v]: order[d] for d, v in mapping.items()}


def candidate_layouts(
    interaction: Interaction, calibration: DeviceCalibration, keep: int = 3
) -> list[Layout]:
    """The ``keep`` best-scored layouts that need no swaps (none if the circuit does not embed).

    Args:
        interaction: The circuits' interaction (virtual qubits).
        calibration: The backend's calibration.
        keep: How many layouts to return, best first.
    """
    if interaction.num_qubits > calibration.num_qubits:
        return []
    scorer = _Scorer(interaction, calibration)
    usable = set(range(calibration.num_qubits)) - _faulty(calibration)
    scored: dict[Layout, float] = {}
    for match in _matches(interaction, calibration):
        layout = scorer.fill(match, usable)
        if layout is not None and layout not in scored:
            scored[layout] = scorer.score(layout)
    return sorted(scored, key=scored.__getitem__)[:keep]


def _faulty(calibration: DeviceCalibration) -> set[int]:
    measurable = {qargs[0] for (name, qargs) in calibration.lengths if name == "measure"}
    if not measurable or calibration.simulator:
        return set()
    return set(range(calibration.num_qubits)) - measurable
