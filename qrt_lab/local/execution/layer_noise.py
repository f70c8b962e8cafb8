"""Sparse Pauli-Lindblad models of a layer of two-qubit gates, as the noise learner reports them.

The model (van den Berg et al., Nature Physics 19, 1116 (2023)) has one generator per
weight-1 Pauli on every twirled qubit and per weight-2 Pauli on every coupled pair of them; a
generator ``P`` with rate ``r`` flips every Pauli ``Q`` that anticommutes with it, so the Pauli
fidelity of ``Q`` is ``f_Q = exp(-2 * sum(r_P for P anticommuting with Q))``.

What the service knows: the channel it simulates for each gate (relaxation + depolarizing,
:func:`.noise.gate_pauli_fidelities`). A layer, as the platform twirls it, is a layer of
single-qubit gates (the twirl's dressing, one ``sx`` worth of error per twirled qubit) then the
two-qubit gates. Twirled, it is exactly a Pauli channel whose fidelities are products of its
gates' fidelities; with the generators above the model is exact (up to the dressing
approximation), and solving ``M r = -log(f) / 2`` gives its rates.

What a device does: it *learns* the fidelities, measuring each Pauli's decay after
``2 * depth`` repetitions of the layer for every depth of ``layer_pair_depths``, each with
``num_randomizations * shots_per_randomization`` shots, behind readout errors, and fits an
exponential. :func:`learn_rates` emulates exactly that statistics on the true fidelities
(binomial shot noise per depth, a weighted log-linear fit, non-negative rates), so the
learning options change the answer as on a device: more shots or deeper pairs, a sharper model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import lsq_linear
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import spsolve

from qrt_lab.local.devices.model import DeviceModel
from qrt_lab.local.job_errors import BAD_INPUT, JobFailure

from .noise import gate_pauli_fidelities

__all__ = ["LayerModel", "LearningSettings", "layer_model", "learn_rates"]

#: A sparse Pauli: ``((qubit, "X"|"Y"|"Z"), ...)`` sorted by qubit (physical numbering).
SparsePauli = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class LearningSettings:
    """The learning options that shape the emulated experiment."""

    layer_pair_depths: tuple[int, ...] = (0, 1, 2, 4, 16, 32)
    num_randomizations: int = 32
    shots_per_randomization: int = 128

    def check(self) -> None:
        """Raise ``JobFailure`` (1513) when no decay can be fitted."""
        if len(set(self.layer_pair_depths)) < 2:
            raise JobFailure(
                "layer_pair_depths needs at least two distinct depths to fit a decay, got "
                f"{list(self.layer_pair_depths)}",
                BAD_INPUT,
            )


@dataclass(frozen=True)
class LayerModel:
    """A layer's exact Pauli-Lindblad model on its twirled qubits."""

    qubits: tuple[int, ...]
    generators: list[SparsePauli]
    fidelities: np.ndarray
    rates: np.ndarray
    matrix: csr_matrix


def _anticommute(a: SparsePauli, b: SparsePauli) -> bool:
    other = dict(b)
    return sum(1 for q, p in a if q in other and other[q] != p) % 2 == 1


def _generators(qubits: Sequence[int], model: DeviceModel) -> list[SparsePauli]:
    chosen = set(qubits)
    edges = sorted(
        {
            tuple(sorted(q))
            for (_name, q) in model.gates
            if len(q) == 2 and set(q) <= chosen and q[0] != q[1]
        }
    )
    found: list[SparsePauli] = [((q, p),) for q in sorted(chosen) for p in "XYZ"]
    found += [((a, p), (b, s)) for a, b in edges for p in "XYZ" for s in "XYZ"]
    return found


def _true_fidelity(
    pauli: SparsePauli,
    gates: dict[int, tuple[tuple[int, ...], dict[str, float]]],
    dressing: dict[int, dict[str, float]],
) -> float:
    """Fidelity of ``pauli`` under the layer's single-qubit dressing then its gate channels."""
    value, seen = 1.0, set()
    on = dict(pauli)
    for q, p in pauli:
        value *= dressing.get(q, {}).get(p, 1.0)
    for q in on:
        if q not in gates or gates[q][0] in seen:
            continue
        pair, table = gates[q]
        seen.add(pair)
        # little-endian label over (pair[0], pair[1]): character -1 is pair[0]
        label = on.get(pair[1], "I") + on.get(pair[0], "I")
        value *= table[label]
    return value


def layer_model(
    model: DeviceModel, gates: Sequence[tuple[str, tuple[int, int]]], qubits: Sequence[int]
) -> LayerModel:
    """The exact sparse Pauli-Lindblad model of a layer of two-qubit ``gates``.

    Args:
        model: The device (its calibration gives each gate's channel).
        gates: ``(name, physical qubits)`` of the layer's two-qubit gates.
        qubits: The twirled qubits (the gates' qubits and, by the twirling strategy, others).
    """
    tables: dict[int, tuple[tuple[int, ...], dict[str, float]]] = {}
    for name, pair in gates:
        cal = model.gates.get((name, tuple(pair)))
        if cal is None:
            continue
        cals = [model.qubits[pair[0]], model.qubits[pair[1]]]
        table = gate_pauli_fidelities((0, 1), cals, cal.error, cal.length)
        for q in pair:
            tables[q] = (tuple(pair), table)
    dressing = {}
    for q in qubits:
        sx = model.gates.get(("sx", (q,)))
        if sx is not None:
            dressing[q] = gate_pauli_fidelities((0,), [model.qubits[q]], sx.error, sx.length)
    generators = _generators(qubits, model)
    fidelities = np.array([_true_fidelity(g, tables, dressing) for g in generators])
    matrix = _matrix(generators)
    rates = _solve(matrix, -0.5 * np.log(np.clip(fidelities, 1e-12, 1.0)))
    return LayerModel(tuple(sorted(set(qubits))), generators, fidelities, rates, matrix)


def _matrix(generators: list[SparsePauli]) -> csr_matrix:
    by_qubit: dict[int, list[int]] = {}
    for i, g in enumerate(generators):
        for q, _ in g:
            by_qubit.setdefault(q, []).append(i)
    rows, cols = [], []
    for i, g in enumerate(generators):
        near = {j for q, _ in g for j in by_qubit[q]}
        for j in sorted(near):
            if _anticommute(g, generators[j]):
                rows.append(i)
                cols.append(j)
    n = len(generators)
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def _solve(matrix: csr_matrix, target: np.ndarray) -> np.ndarray:
    if target.size == 0:
        return target
    if np.allclose(target, 0.0):
        return np.zeros_like(target)
    exact = np.asarray(spsolve(matrix.tocsc(), target))
    if np.all(np.isfinite(exact)) and np.allclose(matrix @ exact, target, atol=1e-9):
        # Rates are physical when >= 0; a learned negative rate is noise and is set to 0.
        return np.asarray(np.clip(exact, 0.0, None))
    solution = lsq_linear(matrix, target, bounds=(0.0, np.inf), lsmr_tol="auto")
    return np.asarray(np.clip(solution.x, 0.0, None))


def _spam(layer: LayerModel, model: DeviceModel) -> np.ndarray:
    factors = {q: max(model.qubits[q].readout_fidelity_factor, 0.05) for q in layer.qubits}
    return np.array([np.prod([factors[q] for q, _ in g]) for g in layer.generators])


def learn_rates(
    layer: LayerModel,
    model: DeviceModel,
    settings: LearningSettings,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Rates (and their standard errors) as the learning experiment would estimate them.

    Each generator's Pauli is "measured" at every depth ``d`` of ``layer_pair_depths`` with
    mean ``A * f**(2d)`` (``A``: readout fidelity of its qubits) and binomial shot noise; a
    weighted fit of ``log`` mean against ``2d`` gives ``f``, then non-negative rates.
    """
    if not layer.generators:
        return np.zeros(0), np.zeros(0)
    depths = np.array(sorted(set(settings.layer_pair_depths)), dtype=float)
    shots = settings.num_randomizations * settings.shots_per_randomization
    spam = _spam(layer, model)
    means = spam[:, None] * layer.fidelities[:, None] ** (2 * depths[None, :])
    ones = rng.binomial(shots, np.clip((1 + means) / 2, 0.0, 1.0))
    observed = np.clip(2 * ones / shots - 1, 1.0 / shots, 1.0)
    variance = np.clip(1 - observed**2, 1.0 / shots, None) / shots / observed**2
    weights = 1.0 / variance
    x = 2 * depths
    sw = weights.sum(axis=1)
    mx = (weights * x).sum(axis=1) / sw
    my = (weights * np.log(observed)).sum(axis=1) / sw
    sxx = (weights * (x - mx[:, None]) ** 2).sum(axis=1)
    slope = (weights * (x - mx[:, None]) * (np.log(observed) - my[:, None])).sum(axis=1) / sxx
    slope_std = 1.0 / np.sqrt(sxx)
    rates = _solve(layer.matrix, np.clip(-0.5 * slope, 0.0, None))
    # Each rate is about a third of the weight-1/2 fidelities' log decay it explains; report
    # the fit's uncertainty scaled the same way (a first-order estimate, as for the platform).
    degree = np.maximum(np.asarray(layer.matrix.sum(axis=1)).ravel(), 1.0)
    return rates, 0.5 * slope_std / np.sqrt(degree)
