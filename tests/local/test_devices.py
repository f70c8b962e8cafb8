"""Built-in devices and loaded device documents: topology, schema, calibrations, Target."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import qiskit_ibm_runtime
from execution_support import DEVICE_DIR
from qiskit_ibm_runtime.models import BackendProperties, QasmBackendConfiguration
from qiskit_ibm_runtime.utils.backend_converter import convert_to_target

from qrt_lab.local.devices.builtin import build_builtin_devices
from qrt_lab.local.devices.catalog import Device, DeviceCatalog, builtin_devices, load_device_dir
from qrt_lab.local.devices.seeded_calibration import CALIBRATION_AGE
from qrt_lab.local.devices.topology import (
    falcon_t5,
    heavy_hex_eagle127,
    heavy_hex_falcon27,
    heavy_hex_heron156,
)

# The 12 configuration keys without which the official client silently skips a backend.
REQUIRED_CONF_KEYS = {
    "backend_name", "backend_version", "n_qubits", "basis_gates", "gates", "local", "simulator",
    "conditional", "open_pulse", "memory", "coupling_map", "online_date",
}  # fmt: skip
FAKES = Path(qiskit_ibm_runtime.__file__).parent / "fake_provider" / "backends"
needs_docs = pytest.mark.skipif(not DEVICE_DIR.is_dir(), reason="shared device documents absent")


def _undirected(coupling: list[list[int]]) -> list[tuple[int, int]]:
    return sorted({(min(a, b), max(a, b)) for a, b in coupling})


def _by_name() -> dict[str, Device]:
    return {d.name: d for d in builtin_devices()}


def _target(device: Device):
    conf = QasmBackendConfiguration.from_dict(json.loads(json.dumps(device.configuration)))
    props = device.properties
    return convert_to_target(conf, BackendProperties.from_dict(props) if props else None)


@needs_docs
@pytest.mark.parametrize(
    ("topology", "doc"),
    [
        (heavy_hex_heron156, "fez/conf_fez.json"),
        (heavy_hex_eagle127, "brisbane/conf_brisbane.json"),
    ],
)
def test_heavy_hex_equals_ibm_coupling_maps(topology, doc) -> None:
    conf = json.loads((DEVICE_DIR / doc).read_text())
    generated = topology()
    assert generated.num_qubits == conf["n_qubits"]
    assert list(generated.edges) == _undirected(conf["coupling_map"])


def test_falcon27_equals_kolkata() -> None:
    conf = json.loads((FAKES / "kolkata" / "conf_kolkata.json").read_text())
    assert list(heavy_hex_falcon27().edges) == _undirected(conf["coupling_map"])


def test_heavy_hex_degrees_and_t_shape() -> None:
    for topo in (heavy_hex_falcon27(), heavy_hex_eagle127(), heavy_hex_heron156()):
        degrees = np.bincount(np.array(topo.edges).ravel(), minlength=topo.num_qubits)
        assert degrees.max() == 3 and degrees.min() >= 1
    assert falcon_t5().edges == ((0, 1), (1, 2), (1, 3), (3, 4))


def test_builtin_device_set() -> None:
    devices = _by_name()
    expected = {"local_5q": 5, "local_falcon27": 27, "local_eagle127": 127, "local_heron156": 156}
    for name, n in expected.items():
        assert devices[name].num_qubits == n and not devices[name].is_simulator
    ideal = devices["local_ideal"]
    assert ideal.is_simulator and ideal.properties is None and ideal.num_qubits >= 30
    assert devices["local_heron156"].basis_gates == ["cz", "id", "rz", "sx", "x"]
    assert devices["local_eagle127"].basis_gates[0] == "ecr"
    assert builtin_devices()[0] is builtin_devices()[0]  # cached


def test_configuration_documents_have_client_keys() -> None:
    for device in builtin_devices():
        conf = device.configuration
        assert set(conf) >= REQUIRED_CONF_KEYS, device.name
        datetime.fromisoformat(conf["online_date"])
        assert conf["max_shots"] == 100_000 and "measure" in conf["supported_instructions"]
        for gate in conf["gates"]:
            assert {"name", "parameters", "qasm_def"} <= set(gate)


def test_edge_directions() -> None:
    devices = _by_name()
    heron = devices["local_heron156"].coupling_map
    assert len(heron) == 2 * len(heavy_hex_heron156().edges)
    eagle = devices["local_eagle127"].coupling_map
    assert len(eagle) == len(heavy_hex_eagle127().edges)
    assert _undirected(eagle) == list(heavy_hex_eagle127().edges)
    ecr = next(g for g in devices["local_eagle127"].configuration["gates"] if g["name"] == "ecr")
    assert ecr["coupling_map"] == eagle


def _qubit_values(props: dict, name: str) -> np.ndarray:
    return np.array([e["value"] for q in props["qubits"] for e in q if e["name"] == name])


def _gate_errors(props: dict, gate: str) -> np.ndarray:
    return np.array(
        [
            p["value"]
            for g in props["gates"]
            if g["gate"] == gate
            for p in g["parameters"]
            if p["name"] == "gate_error"
        ]
    )


def test_calibrations_are_realistic() -> None:
    props = _by_name()["local_heron156"].properties
    assert props is not None
    t1, t2 = _qubit_values(props, "T1"), _qubit_values(props, "T2")
    assert 60 < np.median(t1) < 300 and np.all(t2 <= 2 * t1 + 1e-9)
    readout = _qubit_values(props, "readout_error")
    assert 0.003 < np.median(readout) < 0.03 and readout.max() > 2 * np.median(readout)
    p01, p10 = _qubit_values(props, "prob_meas0_prep1"), _qubit_values(props, "prob_meas1_prep0")
    assert np.median(p01) > np.median(p10)  # relaxation during readout
    cz = _gate_errors(props, "cz")
    assert 0.002 < np.median(cz[cz < 1]) < 0.01 and np.sum(cz == 1.0) >= 2
    faulty_q = [i for i, q in enumerate(props["qubits"]) for e in q if e["name"] == "operational"]
    assert len(faulty_q) == 2


def test_calibrations_are_seeded_and_dated() -> None:
    first = {d.name: d.properties for d in build_builtin_devices()}
    second = {d.name: d.properties for d in build_builtin_devices()}
    assert first == second
    props = first["local_eagle127"]
    assert props is not None
    updated = datetime.fromisoformat(props["last_update_date"])
    assert updated.utcoffset() is not None
    age = datetime.now(timezone.utc) - updated
    assert CALIBRATION_AGE <= age <= CALIBRATION_AGE + timedelta(hours=1, minutes=1)


@pytest.mark.parametrize("name", ["local_5q", "local_falcon27", "local_eagle127", "local_heron156"])
def test_builtin_devices_build_a_target(name: str) -> None:
    device = _by_name()[name]
    target = _target(device)
    assert target.num_qubits == device.num_qubits
    two_q = device.basis_gates[0]
    assert set(target[two_q]) <= {tuple(e) for e in device.coupling_map}
    props = device.properties
    assert props is not None
    faulty = {i for i, q in enumerate(props["qubits"]) for e in q if e["name"] == "operational"}
    assert len(target["measure"]) == device.num_qubits - len(faulty)


def test_ideal_simulator_builds_a_target() -> None:
    target = _target(_by_name()["local_ideal"])
    assert {"h", "cx", "measure"} <= set(target.operation_names)


@needs_docs
def test_real_documents_load_and_build_targets() -> None:
    devices = {d.name: d for d in load_device_dir(DEVICE_DIR)}
    assert set(devices) == {"ibm_brisbane", "ibm_fez", "ibm_torino", "ibmq_manila"}
    for device in devices.values():
        assert device.properties is not None
        assert _target(device).num_qubits == device.num_qubits
    fez = devices["ibm_fez"]
    assert fez.processor_type == {"family": "Heron", "revision": "2"} and fez.clops == 195000


@needs_docs
def test_catalog_merges_builtin_and_folders() -> None:
    catalog = DeviceCatalog([DEVICE_DIR])
    assert catalog.get("ibm_fez") is not None and catalog.get("local_heron156") is not None
    assert catalog.get("nope") is None
    assert [d.name for d in catalog.all()] == sorted(d.name for d in catalog.all())
    summary = catalog.get("ibm_fez").summary(queue_length=3)  # type: ignore[union-attr]
    assert summary["queue_length"] == 3 and summary["qubits"] == 156
    assert summary["status"]["name"] == "online"


def test_load_device_dir_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_device_dir(tmp_path / "missing")
    (tmp_path / "conf_bad.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"conf_bad\.json"):
        load_device_dir(tmp_path)


def test_load_device_dir_without_properties(tmp_path: Path) -> None:
    conf = dict(_by_name()["local_5q"].configuration, backend_name="my_device")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "conf_mine.json").write_text(json.dumps(conf))
    (device,) = load_device_dir(tmp_path)
    assert device.name == "my_device" and device.properties is None
