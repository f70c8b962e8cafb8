"""The devices of the local runtime service: built-in simulated devices and loaded documents.

A :class:`Device` carries the two documents the runtime serves for a backend (configuration,
§3.2, and properties, §3.3) plus the summary fields of ``GET /backends``. Built-in devices are
generated from seeded calibrations (:mod:`.builtin_devices`); any ``conf_*.json`` /
``props_*.json`` pair found in a folder is loaded as is (:func:`load_device_dir`).

Every device also has a *mock twin*, named as the official client's ``dry_run=True`` names it
(``re.sub(r"^[^_]+", "mock", name)``: ``ibm_fez`` → ``mock_fez``, ``local_5q`` → ``mock_5q``).
``GET /backends?include_mocks=true`` lists twins with ``"class": "mock"`` (the official client
asks for them when it looks a backend up, and hides them unless ``include_mocks=True``); a job
on a twin is validated and charged like one on the device but returns random data of the right
shapes, as IBM's mock devices do.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .calibrations import with_calibration_id

__all__ = [
    "Device",
    "DeviceCatalog",
    "builtin_devices",
    "load_device_dir",
    "mock_name",
    "mock_twin",
]


def _updated(document: dict[str, Any]) -> datetime:
    """A properties document's ``last_update_date`` (UTC if it names no zone; unknown: latest)."""
    try:
        stamp = datetime.fromisoformat(str(document.get("last_update_date")))
    except ValueError:
        return datetime.max.replace(tzinfo=timezone.utc)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


@dataclass(frozen=True, eq=False)
class Device:
    """One backend of the local service.

    Attributes:
        name: The backend name (the configuration's ``backend_name``).
        configuration: The configuration document (spec §3.2).
        properties: The properties document (spec §3.3), or None for simulators.
        is_simulator: Whether the device is an ideal simulator.
        processor_type: ``{"family", "revision", ...}`` or None.
        clops: CLOPS (hardware-aware, per hour) or None.
        status: ``online``, ``paused`` or ``offline``.
        twin_of: For a mock twin (dry runs), the name of the device it mirrors; else None.
        past_properties: Earlier calibrations' properties documents, newest first
            (:mod:`.calibrations`).
    """

    name: str
    configuration: dict[str, Any]
    properties: dict[str, Any] | None
    is_simulator: bool
    processor_type: dict[str, Any] | None
    clops: int | None
    status: str = "online"
    twin_of: str | None = None
    past_properties: tuple[dict[str, Any], ...] = ()

    def properties_for(self, calibration: str) -> dict[str, Any] | None:
        """The properties document of the calibration with that id, or None if unknown."""
        for document in (self.properties, *self.past_properties):
            if document is not None and document.get("calibration_id") == calibration:
                return document
        return None

    def properties_before(self, when: datetime) -> dict[str, Any] | None:
        """The newest properties document updated before ``when`` (aware), or None."""
        for document in (self.properties, *self.past_properties):
            if document is not None and _updated(document) < when:
                return document
        return None

    def at(self, calibration: str | None) -> Device | None:
        """This device as it was at the calibration with that id (None: the current one).

        The same object for the current calibration; for an earlier one, a device whose
        ``properties`` are that calibration's (one object per id, so models stay cached).
        Returns None when the device has no calibration with that id.
        """
        if calibration is None or (self.properties or {}).get("calibration_id") == calibration:
            return self
        if self.properties_for(calibration) is None:
            return None
        return _at_calibration(self, calibration)

    @property
    def is_mock(self) -> bool:
        """Whether this is a mock twin: jobs on it return random data (``dry_run``)."""
        return self.twin_of is not None

    @property
    def num_qubits(self) -> int:
        """Number of qubits."""
        return int(self.configuration["n_qubits"])

    @property
    def basis_gates(self) -> list[str]:
        """The configuration's basis gates."""
        return list(self.configuration.get("basis_gates") or [])

    @property
    def max_shots(self) -> int:
        """Largest number of shots one pub may request."""
        return int(self.configuration.get("max_shots") or 100_000)

    @property
    def coupling_map(self) -> list[list[int]]:
        """Directed coupling map (empty for all-to-all simulators)."""
        return [list(edge) for edge in self.configuration.get("coupling_map") or []]

    def summary(self, queue_length: int = 0) -> dict[str, Any]:
        """The entry of this device in ``GET /backends`` (API version 2025-01-01 and later)."""
        entry: dict[str, Any] = {
            "name": self.name,
            "status": {"name": self.status, "reason": "available"},
            "is_simulator": self.is_simulator,
            "qubits": self.num_qubits,
            # the platform counts the chip's qubits; a simulated device has exactly its n_qubits
            "physical_qubits": self.num_qubits,
            "clops": {"type": "hardware", "value": self.clops} if self.clops else None,
            "processor_type": self.processor_type,
            "queue_length": queue_length,
        }
        if self.is_mock:
            entry["class"] = "mock"
        return entry


@functools.lru_cache(maxsize=64)
def _at_calibration(device: Device, calibration: str) -> Device:
    return dataclasses.replace(device, properties=device.properties_for(calibration))


def _clops(configuration: dict[str, Any]) -> int | None:
    for key in ("clops_h", "clops_v", "clops"):
        value = configuration.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
    return None


def device_from_documents(
    configuration: dict[str, Any], properties: dict[str, Any] | None
) -> Device:
    """Build a :class:`Device` from a configuration and (optional) properties document.

    Raises:
        ValueError: if the configuration lacks ``backend_name`` or ``n_qubits``.
    """
    missing = [k for k in ("backend_name", "n_qubits") if k not in configuration]
    if missing:
        raise ValueError(f"configuration document lacks {', '.join(missing)}")
    simulator = bool(configuration.get("simulator"))
    processor = configuration.get("processor_type")
    return Device(
        name=str(configuration["backend_name"]),
        configuration=configuration,
        properties=None if simulator else with_calibration_id(properties),
        is_simulator=simulator,
        processor_type=processor if isinstance(processor, dict) else None,
        clops=_clops(configuration),
    )


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise TypeError(f"{path} does not hold a JSON object")
    return data


def load_device_dir(path: str | Path) -> list[Device]:
    """Load every ``conf_<x>.json`` (with its ``props_<x>.json`` if present) under ``path``.

    The search is recursive. A device's name is its configuration's ``backend_name``.

    Args:
        path: A folder, e.g. ``shared/data/devices``.

    Returns:
        The devices found, sorted by name.

    Raises:
        FileNotFoundError: if ``path`` is not a folder.
        ValueError: naming a document that is not valid JSON or lacks required fields.
    """
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"device folder {root} does not exist; pass an existing folder")
    devices = []
    for conf_path in sorted(root.rglob("conf_*.json")):
        props_path = conf_path.with_name("props_" + conf_path.name[len("conf_") :])
        try:
            conf = _read_json(conf_path)
            props = _read_json(props_path) if props_path.is_file() else None
            devices.append(device_from_documents(conf, props))
        except (OSError, ValueError, TypeError) as exc:
            raise ValueError(f"cannot load device document {conf_path}: {exc}") from exc
    return sorted(devices, key=lambda d: d.name)


@functools.cache
def _builtin() -> tuple[Device, ...]:
    from .builtin import build_builtin_devices

    return tuple(build_builtin_devices())


def builtin_devices() -> list[Device]:
    """The built-in simulated devices (generated once per process, seeded)."""
    return list(_builtin())


def mock_name(name: str) -> str | None:
    """The name of ``name``'s mock twin as the official client derives it, or None.

    Names without an ``_`` (the client would ask for a bare ``mock``) and names that already
    start with ``mock_`` have no twin.
    """
    if "_" not in name or name.startswith("mock_"):
        return None
    return re.sub(r"^[^_]+", "mock", name)


def mock_twin(device: Device) -> Device:
    """``device``'s mock twin: the same documents under the twin's name.

    Raises:
        ValueError: if the device's name has no twin (see :func:`mock_name`).
    """
    name = mock_name(device.name)
    if name is None:
        raise ValueError(f"device {device.name!r} has no mock twin")
    properties = device.properties
    return dataclasses.replace(
        device,
        name=name,
        configuration={**device.configuration, "backend_name": name},
        properties=None if properties is None else {**properties, "backend_name": name},
        past_properties=tuple({**p, "backend_name": name} for p in device.past_properties),
        twin_of=device.name,
    )


class DeviceCatalog:
    """All devices of one service: the built-in ones plus those loaded from folders.

    A loaded device with the name of a built-in one replaces it. Every device whose name allows
    it has a mock twin (:func:`mock_twin`), found by :meth:`get` and listed by :meth:`mocks`
    but not by :meth:`all` or :meth:`names`; when two devices map to one twin name, the first
    by name wins.

    Args:
        extra_dirs: Folders searched by :func:`load_device_dir`.
    """

    def __init__(self, extra_dirs: Iterable[str | Path] = ()) -> None:
        devices = {d.name: d for d in builtin_devices()}
        for folder in extra_dirs:
            devices.update((d.name, d) for d in load_device_dir(folder))
        self._devices = devices
        mocks: dict[str, Device] = {}
        for name in sorted(devices):
            twin = mock_name(name)
            if twin is not None and twin not in devices and twin not in mocks:
                mocks[twin] = mock_twin(devices[name])
        self._mocks = mocks

    def get(self, name: str) -> Device | None:
        """The device (or mock twin) called ``name``, or None."""
        return self._devices.get(name) or self._mocks.get(name)

    def mocks(self) -> list[Device]:
        """Every mock twin, sorted by name."""
        return [self._mocks[k] for k in sorted(self._mocks)]

    def all(self) -> list[Device]:
        """Every device, sorted by name."""
        return [self._devices[k] for k in sorted(self._devices)]

    def names(self) -> list[str]:
        """Every device name, sorted."""
        return sorted(self._devices)
