"""Simulated devices: the catalog, built-in topologies, seeded calibrations and device models."""
