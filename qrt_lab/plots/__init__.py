"""Pure figure builders (plotly dicts) and coupling-map layouts; no widgets, no plotly import."""

from .calibration_cdf import CDF_METRICS, calibration_cdf_figure
from .circuit_schedule import circuit_schedule_figure
from .coupling import Layout, coupling_layout, undirected_edges
from .coupling_map import EDGE_BUCKETS, coupling_map_figure
from .expectation import expectation_values_figure, zne_figure
from .histogram import (
    SORTS,
    Outcomes,
    aggregate_counts,
    counts_histogram_figure,
    histogram_figure,
    outcomes_from_bits,
    outcomes_from_counts,
)
from .layer_errors import layer_error_map_figure, layer_errors_swarm_figure
from .layout_map import layout_map_figure
from .progress import progress_figure
from .timeline import timeline_figure
from .zne import zne_evs_figure, zne_extrapolators_figure

__all__ = [
    "CDF_METRICS",
    "EDGE_BUCKETS",
    "SORTS",
    "Layout",
    "Outcomes",
    "aggregate_counts",
    "calibration_cdf_figure",
    "circuit_schedule_figure",
    "counts_histogram_figure",
    "coupling_layout",
    "coupling_map_figure",
    "expectation_values_figure",
    "histogram_figure",
    "layer_error_map_figure",
    "layer_errors_swarm_figure",
    "layout_map_figure",
    "outcomes_from_bits",
    "outcomes_from_counts",
    "progress_figure",
    "timeline_figure",
    "undirected_edges",
    "zne_evs_figure",
    "zne_extrapolators_figure",
    "zne_figure",
]
