"""Fit the time model's constants to measured runs, and check estimates against measurements.

Used by ``python benchmarks/bench_simulation_plans.py methods fit``. A run's estimate is a sum
of terms (``qrt_lab.local.execution.simulation_cost.cost_terms``): amounts of work times
per-unit constants. The runs tagged ``fit`` give, per method, a non-negative least-squares fit
of the constants to the CPU time the simulation took (relative errors: every row divided by
its measured time, so a 10 ms run weighs as much as a 10 s one); the ``held-out`` runs, never
used by the fit, check the fitted constants. CPU time rather than wall time: on a shared
machine wall time includes waiting for a core, CPU time does not (and the estimate of a run on
``t`` threads is its one-thread work over ``t``, compared with its CPU time over ``t``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from scipy.optimize import nnls

from qrt_lab.local.execution.simulation_cost import CONSTANTS

FACTOR = 2.0


def _model_of(row: dict[str, Any]) -> str:
    """The constants' family of a row: frames, stabilizer, dm, sv or mps (probe: None)."""
    names = [term[0] for term in row.get("terms", [])]
    return names[0].split("_")[0] if names else "probe"


def fit_constants(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Per family, the non-negative constants that best explain the fit rows' CPU time."""
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["group"] == "fit" and row.get("terms") and not row.get("probed"):
            by_family[_model_of(row)].append(row)
    fitted: dict[str, float] = {}
    for family, members in sorted(by_family.items()):
        names = sorted({term[0] for row in members for term in row["terms"]})
        matrix = np.zeros((len(members), len(names)))
        for i, row in enumerate(members):
            for name, amount, _ in row["terms"]:
                matrix[i, names.index(name)] += amount / row["cpu_s"]
        scale = np.maximum(matrix.max(axis=0), 1e-300)  # columns of comparable size
        solution, _ = nnls(matrix / scale, np.ones(len(members)))
        fitted.update(dict(zip(names, (solution / scale).tolist(), strict=True)))
        if len(members) < len(names):
            print(f"warning: {family} has {len(members)} fit runs for {len(names)} constants")
    return fitted


def serial_estimate(row: dict[str, Any], constants: dict[str, float]) -> float:
    """The row's one-thread estimate with ``constants`` (the probe's own estimate if probed)."""
    if not row.get("terms"):
        return float(row["estimated_serial_s"])
    return float(sum(constants[name] * amount for name, amount, _ in row["terms"]))


def print_fit(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Fit on the ``fit`` rows, print the constants and every row's ratio with them."""
    fitted = fit_constants(rows)
    constants = {**CONSTANTS, **fitted}
    print("\nfitted constants (paste into CONSTANTS of simulation_cost.py):")
    for name in CONSTANTS:
        mark = "" if name in fitted else "   # no fit run: unchanged"
        print(f'    "{name}": {constants[name]:.3g},{mark}')
    print(f"\n{'circuit':<40} {'group':<9} {'est/cpu now':>11} {'with fit':>9}")
    worst = {"fit": 1.0, "held-out": 1.0}
    for row in rows:
        now = row["estimated_serial_s"] / row["cpu_s"]
        refit = serial_estimate(row, constants) / row["cpu_s"]
        worst[row["group"]] = max(worst[row["group"]], refit, 1 / refit)
        print(f"{row['circuit']:<40} {row['group']:<9} {now:11.2f} {refit:9.2f}")
    for group, factor in worst.items():
        print(f"worst ratio with the fitted constants, {group} runs: {factor:.2f}x")
    return fitted


def within(ratio: float) -> bool:
    """Whether an estimate/measurement ratio is within :data:`FACTOR` either way."""
    return 1 / FACTOR <= ratio <= FACTOR
