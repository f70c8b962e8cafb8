"""The built-in devices' lattices: moved to :mod:`qrt_lab.topology`, which the client's fake
backends share (the client may not import the local service)."""

from qrt_lab.topology import (
    Topology,
    falcon_t5,
    heavy_hex_eagle127,
    heavy_hex_falcon27,
    heavy_hex_heron156,
    lattice_topology,
)

__all__ = [
    "Topology",
    "falcon_t5",
    "heavy_hex_eagle127",
    "heavy_hex_falcon27",
    "heavy_hex_heron156",
    "lattice_topology",
]
