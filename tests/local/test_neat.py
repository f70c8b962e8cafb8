"""``debug_tools.Neat`` on a local-service backend, against the official ``Neat`` on it."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from official_setup import official_service
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import QiskitRuntimeService as OfficialService

from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.debug_tools import Neat, NeatPubResult

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def ours(our_service: QiskitRuntimeService) -> QiskitRuntimeService:
    """qrt-lab's client on the local service (beside the official one)."""
    return our_service


@pytest.fixture(scope="module")
def official(
    local_service: LocalServiceInfo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OfficialService]:
    with official_service(local_service, tmp_path_factory.mktemp("home")) as client:
        yield client


def pubs(backend: Any) -> list[Any]:
    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    circuit.rz(0.3, 2)  # rounds to 0 when cliffordized
    isa = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=2)
    mapped = isa.run(circuit)
    observables = [SparsePauliOp(p).apply_layout(mapped.layout) for p in ("ZZI", "IZZ", "XXX")]
    return [(mapped, observables)]


def test_neat_matches_the_official_tool(
    ours: QiskitRuntimeService, official: OfficialService
) -> None:
    from qiskit_ibm_runtime.debug_tools import Neat as OfficialNeat

    mine, theirs = Neat(ours.backend("local_5q")), OfficialNeat(official.backend("local_5q"))
    work = pubs(ours.backend("local_5q"))
    ideal = mine.ideal_sim(work, cliffordize=True)
    np.testing.assert_allclose(ideal[0].vals, theirs.ideal_sim(work, cliffordize=True)[0].vals)
    np.testing.assert_allclose(ideal[0].vals, [1.0, 1.0, 1.0])
    assert set(mine.noise_model.noise_qubits) == set(theirs.noise_model.noise_qubits)
    assert sorted(mine.noise_model.noise_instructions) == sorted(
        theirs.noise_model.noise_instructions
    )
    noisy = mine.noisy_sim(work, cliffordize=True, seed_simulator=5, precision=0.01)
    their_noisy = theirs.noisy_sim(work, cliffordize=True, seed_simulator=5, precision=0.01)
    np.testing.assert_allclose(noisy[0].vals, their_noisy[0].vals, atol=0.1)
    again = mine.noisy_sim(work, cliffordize=True, seed_simulator=5, precision=0.01)
    np.testing.assert_array_equal(noisy[0].vals, again[0].vals)  # a seed reproduces
    assert np.mean(noisy[0].vals) < 1.0  # the device's noise shows
    relative = abs(noisy[0] - ideal[0]) / ideal[0]
    assert isinstance(relative, NeatPubResult) and np.all(relative.vals < 0.5)


def test_neat_needs_clifford_or_cliffordize(ours: QiskitRuntimeService) -> None:
    neat = Neat(ours.backend("local_5q"))
    work = pubs(ours.backend("local_5q"))
    with pytest.raises(ValueError, match="cliffordize"):
        neat.ideal_sim(work)
    converted = neat.to_clifford(work)[0].circuit
    for inst in converted.data:
        if inst.operation.name == "rz":
            assert math.isclose(float(inst.operation.params[0]) % (math.pi / 2), 0, abs_tol=1e-9)
    with pytest.raises(ValueError, match="NeatPubResult"):
        neat.ideal_sim(work, cliffordize=True)[0] + "x"  # type: ignore[operator]
