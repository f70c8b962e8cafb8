"""Fake backends and local testing mode: the official example with only the import changed.

Each fake device is compared with the official fake backend of the same name (the official
client is a test-only peer): same name, qubit count, coupling graph, native two-qubit gate and
``dt``. The local-mode examples run SamplerV2/EstimatorV2 with a fake backend and with an
``AerSimulator`` as ``mode`` and check Qiskit's result containers and the physics.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.primitives import PrimitiveResult
from qiskit.providers.exceptions import QiskitBackendNotFoundError
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_aer import AerSimulator

from qrt_lab.runtime import EstimatorV2, SamplerV2
from qrt_lab.runtime import fake_provider as ours
from qrt_lab.runtime.fake_provider.devices import DEVICES

official = pytest.importorskip("qiskit_ibm_runtime.fake_provider")


def _undirected(backend) -> set[tuple[int, int]]:
    return {tuple(sorted(edge)) for edge in backend.coupling_map.get_edges()}


#: Every device up to 27 qubits; for the larger ones (1 s each to load officially), one per
#: lattice and dt: the others share that spec and differ only in name and dynamic circuits.
_LARGE = {"FakeBrisbane", "FakeKyiv", "FakeBrussels", "FakeFez"}
SHAPE_CASES = [
    name
    for name in ours.__all__
    if name.startswith("Fake")
    and name not in ("FakeBackendV2", "FakeProviderForBackendV2")
    and (DEVICES[getattr(ours, name).backend_name].lattice().num_qubits <= 27 or name in _LARGE)
]


@pytest.mark.parametrize("class_name", SHAPE_CASES)
def test_fake_device_has_the_official_shape(class_name: str) -> None:
    mine = getattr(ours, class_name)()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(official, class_name)()
    assert mine.name == theirs.name
    assert mine.num_qubits == theirs.num_qubits
    assert _undirected(mine) == _undirected(theirs)
    two_qubit = DEVICES[mine.name].two_qubit_gate
    assert two_qubit in theirs.operation_names and two_qubit in mine.operation_names
    assert ("if_else" in mine.operation_names) == ("if_else" in theirs.operation_names)
    assert mine.dt == pytest.approx(theirs.dt)


def test_every_class_is_listed_by_the_provider_and_is_stable() -> None:
    provider = ours.FakeProviderForBackendV2()
    names = {b.name for b in provider.backends()}
    assert names == set(DEVICES)
    assert provider.backends("fake_fez")[0].name == "fake_fez"
    assert provider.backends("fake_nowhere") == []
    first, second = ours.FakeManilaV2(), provider.backend("fake_manila")
    assert first.target["cx"][(0, 1)].error == second.target["cx"][(0, 1)].error > 0
    assert first.qubit_properties(3).t1 == second.qubit_properties(3).t1 > 0
    with pytest.raises(QiskitBackendNotFoundError, match="fake_fez"):
        provider.backend("fake_nowhere")


def _bell() -> QuantumCircuit:
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()
    return bell


@pytest.mark.parametrize("fake_class", ["FakeManilaV2", "FakeKolkataV2"])
def test_official_sampler_example_on_a_fake_backend(fake_class: str) -> None:
    fake_backend = getattr(ours, fake_class)()
    pm = generate_preset_pass_manager(backend=fake_backend, optimization_level=1)
    isa_qc = pm.run(_bell())
    sampler = SamplerV2(mode=fake_backend)
    sampler.options.default_shots = 2000
    sampler.options.simulator.seed_simulator = 7
    result = sampler.run([isa_qc]).result()
    assert isinstance(result, PrimitiveResult)
    counts = result[0].data.meas.get_counts()
    assert sum(counts.values()) == 2000
    assert counts.get("00", 0) + counts.get("11", 0) > 0.85 * 2000
    assert set(counts) - {"00", "11"}, "a noisy device flips some shots"
    again = SamplerV2(
        mode=fake_backend, options={"default_shots": 2000, "simulator": {"seed_simulator": 7}}
    )
    assert again.run([isa_qc]).result()[0].data.meas.get_counts() == counts
    assert sampler.backend() is fake_backend


def test_official_estimator_example_on_a_fake_backend() -> None:
    fake_backend = ours.FakeManilaV2()
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    pm = generate_preset_pass_manager(backend=fake_backend, optimization_level=1)
    isa_qc = pm.run(qc)
    observables = [SparsePauliOp("ZZ"), SparsePauliOp("XX"), SparsePauliOp("ZI")]
    isa_obs = [op.apply_layout(isa_qc.layout) for op in observables]
    estimator = EstimatorV2(mode=fake_backend)
    estimator.options.default_shots = 4000
    result = estimator.run([(isa_qc, isa_obs)]).result()
    assert isinstance(result, PrimitiveResult)
    evs = result[0].data.evs
    assert evs[0] == pytest.approx(1.0, abs=0.15) and evs[1] == pytest.approx(1.0, abs=0.15)
    assert evs[2] == pytest.approx(0.0, abs=0.1)
    assert result[0].metadata["target_precision"] == pytest.approx(1 / np.sqrt(4000))


def test_aer_simulator_as_mode_is_noiseless() -> None:
    aer = AerSimulator()
    isa_qc = generate_preset_pass_manager(backend=aer, optimization_level=1).run(_bell())
    result = SamplerV2(mode=aer).run([isa_qc], shots=500).result()
    assert set(result[0].data.meas.get_counts()) == {"00", "11"}
    qc = QuantumCircuit(1)
    qc.x(0)
    evs = EstimatorV2(mode=aer).run([(qc, SparsePauliOp("Z"))], precision=0.01).result()[0].data.evs
    assert float(evs) == pytest.approx(-1.0, abs=0.05)


def test_options_local_mode_cannot_honour_are_named_in_a_warning() -> None:
    sampler = SamplerV2(mode=AerSimulator(), options={"dynamical_decoupling": {"enable": True}})
    with pytest.warns(UserWarning, match="dynamical_decoupling"):
        sampler.run([_bell()], shots=10).result()
    with pytest.warns(UserWarning, match="dry_run"):
        SamplerV2(mode=AerSimulator()).run([_bell()], shots=10, dry_run=True).result()


def test_session_and_batch_of_a_fake_backend_run_locally() -> None:
    from qrt_lab.runtime import Batch, Session

    fake_backend = ours.FakeManilaV2()
    isa_qc = generate_preset_pass_manager(backend=fake_backend, optimization_level=1).run(_bell())
    with Batch(backend=fake_backend) as batch:
        assert batch.session_id is None and batch.service is None
        counts = SamplerV2(mode=batch).run([isa_qc], shots=300).result()[0].data.meas.get_counts()
        assert sum(counts.values()) == 300
    with Session(backend=fake_backend):
        sampler = SamplerV2()
        assert sampler.backend() is fake_backend
        assert isinstance(sampler.run([isa_qc], shots=50).result(), PrimitiveResult)
    assert batch.details() is None


OFFICIAL_EXAMPLE = """
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager
from qiskit_aer import AerSimulator
from {package} import SamplerV2 as Sampler, EstimatorV2 as Estimator
from {package}.fake_provider import FakeManilaV2

qc = QuantumCircuit(2)
qc.h(0)
qc.cx(0, 1)
qc.measure_all()
fake_manila = FakeManilaV2()
pm = generate_preset_pass_manager(backend=fake_manila, optimization_level=1)
isa_qc = pm.run(qc)
sampler = Sampler(mode=fake_manila)
fake_result = sampler.run([isa_qc]).result()

aer = AerSimulator.from_backend(fake_manila)
aer_result = Sampler(mode=aer).run([isa_qc]).result()

est = QuantumCircuit(2)
est.h(0)
est.cx(0, 1)
isa_est = pm.run(est)
estimator = Estimator(mode=fake_manila)
est_result = estimator.run([(isa_est, SparsePauliOp("ZZ").apply_layout(isa_est.layout))]).result()
"""


def test_the_official_example_runs_with_only_the_import_changed() -> None:
    results = {}
    for package in ("qiskit_ibm_runtime", "qrt_lab.runtime"):
        scope: dict = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(OFFICIAL_EXAMPLE.format(package=package), scope)
        results[package] = scope
    theirs, mine = results.values()
    for name in ("fake_result", "aer_result", "est_result"):
        assert type(mine[name]) is type(theirs[name]) is PrimitiveResult
        assert type(mine[name][0]) is type(theirs[name][0])
        assert set(mine[name][0].data) == set(theirs[name][0].data)
    for name in ("fake_result", "aer_result"):
        assert mine[name][0].data.meas.num_shots == theirs[name][0].data.meas.num_shots == 1024
        counts = mine[name][0].data.meas.get_counts()
        assert counts.get("00", 0) + counts.get("11", 0) > 0.85 * 1024
    assert float(mine["est_result"][0].data.evs) == pytest.approx(1.0, abs=0.15)
