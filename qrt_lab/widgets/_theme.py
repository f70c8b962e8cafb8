"""Follow JupyterLab's light/dark theme: a tiny anywidget reads the page, figures follow it."""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from .figure import Figure

__all__ = ["CSS", "ThemeProbe", "figure_widget", "follow_theme", "replace_figure", "template_for"]

#: Styles for the HTML parts; JupyterLab's variables only, so both themes work.
CSS = """
<style>
.qrt-w { font-family: var(--jp-ui-font-family); font-size: var(--jp-ui-font-size1);
  color: var(--jp-ui-font-color1); }
.qrt-w table { border-collapse: collapse; }
.qrt-w th, .qrt-w td { padding: 2px 8px; text-align: left;
  border-bottom: 1px solid var(--jp-border-color2); }
.qrt-w th { color: var(--jp-ui-font-color2); font-weight: 600; }
.qrt-w .qrt-muted { color: var(--jp-ui-font-color2); }
.qrt-w .qrt-status { font-weight: 600; }
.qrt-w .qrt-DONE { color: var(--jp-success-color1); }
.qrt-w .qrt-ERROR, .qrt-w .qrt-error { color: var(--jp-error-color1); }
.qrt-w .qrt-CANCELLED, .qrt-w .qrt-stale { color: var(--jp-warn-color1); }
.qrt-w .qrt-RUNNING, .qrt-w .qrt-QUEUED, .qrt-w .qrt-INITIALIZING
  { color: var(--jp-info-color1); }
</style>
"""

_ESM = """
function render({ model, el }) {
  const read = () => {
    const light = document.body.dataset.jpThemeLight;
    if (light === undefined) return;
    model.set("light", light !== "false");
    model.save_changes();
  };
  read();
  const watcher = new MutationObserver(read);
  watcher.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  el.style.display = "none";
  return () => watcher.disconnect();
}
export default { render };
"""


class ThemeProbe(anywidget.AnyWidget):  # type: ignore[misc,unused-ignore]  # no hints
    """An invisible widget whose ``light`` trait follows the page's JupyterLab theme."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    light = traitlets.Bool(True, help="Whether the JupyterLab theme is light.").tag(sync=True)


def template_for(light: bool) -> str:
    """The plotly template matching the page theme."""
    return "plotly_white" if light else "plotly_dark"


def figure_widget(figure: dict[str, Any], light: bool = True) -> Figure:
    """A :class:`~.figure.Figure` of a :mod:`qrt_lab.plots` figure, in the page's template."""
    return Figure({"data": figure.get("data") or [], "layout": _themed(figure, light)})


def replace_figure(widget: Figure, figure: dict[str, Any]) -> None:
    """Swap a figure's data and layout in one message, keeping its template."""
    light = widget.layout.template != template_for(False)
    widget.update({"data": figure.get("data") or [], "layout": _themed(figure, light)})


def _themed(figure: dict[str, Any], light: bool) -> dict[str, Any]:
    # the template's background would hide JupyterLab's; keep it transparent
    return {
        **(figure.get("layout") or {}),
        "template": template_for(light),
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }


def plotly_figure_widget(figure: dict[str, Any], light: bool = True) -> Any:
    """The previous path: plotly's ``FigureWidget`` (imports plotly.io, nbformat, jsonschema).

    Kept only so ``benchmarks/bench_widgets.py`` measures before and after in one run.
    """
    go = _plotly()
    widget = go.FigureWidget(figure)
    widget.layout.template = template_for(light)
    widget.layout.paper_bgcolor = "rgba(0,0,0,0)"
    widget.layout.plot_bgcolor = "rgba(0,0,0,0)"
    return widget


def follow_theme(probe: ThemeProbe, figures: Any) -> None:
    """Re-template the figures returned by ``figures()`` whenever the page theme changes."""

    def apply(change: dict[str, Any]) -> None:
        for figure in figures():
            figure.layout.template = template_for(bool(change["new"]))

    probe.observe(apply, names="light")


def _plotly() -> Any:
    from ._imports import import_once

    return import_once("plotly.graph_objects")
