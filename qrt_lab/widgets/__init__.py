"""ipywidgets built on qrt_lab.plots and qrt_lab.runtime."""
