"""The fake devices: each official fake backend name whose coupling graph qrt-lab generates.

A device is its processor's lattice (:mod:`qrt_lab.topology`, the same graph as the IBM device),
its native two-qubit gate, whether it runs dynamic circuits, and its ``dt``. Error rates and
durations are not IBM's: Qiskit's ``GenericBackendV2`` draws them from realistic ranges with a
seed fixed per device, so every ``FakeFez()`` is the same device.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from qrt_lab.topology import (
    Topology,
    falcon_t5,
    heavy_hex_eagle127,
    heavy_hex_falcon27,
    heavy_hex_heron156,
    line,
)

__all__ = ["DEVICES", "DeviceSpec"]

_FALCON_DT = 2.2222222222222221e-10


@dataclass(frozen=True)
class DeviceSpec:
    """One fake device.

    Attributes:
        name: The backend name (``fake_fez``).
        lattice: Makes the coupling graph.
        two_qubit_gate: ``cx``, ``ecr`` (one direction per coupler) or ``cz``.
        dynamic: Whether the device supports control flow (``if_else``, ``for_loop``, ...).
        dt: The sample time in seconds.
    """

    name: str
    lattice: Callable[[], Topology]
    two_qubit_gate: str
    dynamic: bool
    dt: float

    @property
    def seed(self) -> int:
        """The seed of the device's generated calibration (stable across processes)."""
        return zlib.crc32(self.name.encode())

    def coupling_map(self) -> list[list[int]]:
        """Directed couplers: both directions, except one (low to high) for ``ecr``."""
        edges = self.lattice().edges
        if self.two_qubit_gate == "ecr":
            return [[a, b] for a, b in edges]
        return sorted([[a, b] for a, b in edges] + [[b, a] for a, b in edges])


def _line5() -> Topology:
    return line(5)


def _specs(
    lattice: Callable[[], Topology], gate: str, dt: float, names: dict[str, bool]
) -> list[DeviceSpec]:
    return [DeviceSpec(f"fake_{n}", lattice, gate, dyn, dt) for n, dyn in names.items()]


_T, _F = True, False
#: Every fake device, by backend name.
DEVICES: dict[str, DeviceSpec] = {
    spec.name: spec
    for spec in [
        *_specs(_line5, "cx", _FALCON_DT, {"manila": _T, "athens": _F, "bogota": _F,
                                           "rome": _F, "santiago": _F}),
        *_specs(falcon_t5, "cx", _FALCON_DT, {"belem": _F, "lima": _F, "quito": _F,
                                              "ourense": _F, "valencia": _F, "vigo": _F}),
        *_specs(heavy_hex_falcon27, "cx", _FALCON_DT, {
            "algiers": _T, "auckland": _T, "geneva": _F, "hanoi": _T, "kolkata": _F,
            "montreal": _F, "mumbai": _F, "paris": _F, "sydney": _F, "toronto": _F}),
        *_specs(heavy_hex_falcon27, "ecr", _FALCON_DT, {"peekskill": _T}),
        *_specs(heavy_hex_eagle127, "ecr", 5e-10, {
            "brisbane": _T, "cusco": _T, "kyoto": _T, "osaka": _T}),
        *_specs(heavy_hex_eagle127, "ecr", _FALCON_DT, {
            "kawasaki": _T, "kyiv": _T, "quebec": _T, "sherbrooke": _T}),
        *_specs(heavy_hex_eagle127, "ecr", 4e-9, {"brussels": _T, "strasbourg": _T}),
        *_specs(heavy_hex_heron156, "cz", 4e-9, {
            "aachen": _T, "boston": _T, "fez": _T, "kingston": _T, "marrakesh": _T,
            "pittsburgh": _T}),
    ]
}  # fmt: skip
