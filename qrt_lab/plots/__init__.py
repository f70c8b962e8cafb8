"""Pure figure builders (plotly dicts) and coupling-map layouts; no widgets."""

from .coupling import Layout, coupling_layout, undirected_edges
from .figures import (
    aggregate_counts,
    counts_histogram_figure,
    coupling_map_figure,
    expectation_values_figure,
)

__all__ = [
    "Layout",
    "aggregate_counts",
    "counts_histogram_figure",
    "coupling_layout",
    "coupling_map_figure",
    "expectation_values_figure",
    "undirected_edges",
]
