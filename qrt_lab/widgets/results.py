"""Result widgets: ``ResultHistogram`` (SamplerV2) and ``ExpectationPlot`` (EstimatorV2)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import traitlets

from qrt_lab.plots import (
    SORTS,
    Outcomes,
    expectation_values_figure,
    histogram_figure,
    timeline_figure,
    zne_figure,
)
from qrt_lab.plots.histogram import TOP_K
from qrt_lab.runtime.summaries import words
from qrt_lab.runtime.summaries.estimator_labels import EstimatorLabels, chosen_parameter

from . import _results as read
from ._estimator import job_inputs, labelled_expectation_figure, pub_entry
from ._theme import CSS, ThemeProbe, figure_widget, follow_theme, replace_figure
from .static import StaticRepr, figure_table, static_bundle

__all__ = ["ExpectationPlot", "ResultHistogram", "result_widget"]

#: Parameter points offered one by one in the dropdown; larger sweeps are chosen by index.
MAX_LOC_CHOICES = 256


def _series(source: Any) -> dict[str, Any]:
    """Name → source: one result, or several to compare (a mapping or a list)."""
    if isinstance(source, Mapping) and not read.is_counts(source):
        return {str(name): read.resolve(item) for name, item in source.items()}
    if isinstance(source, (list, tuple)) and source and not hasattr(source, "metadata"):
        return {f"result {i}": read.resolve(item) for i, item in enumerate(source)}
    return {"counts": read.resolve(source)}


class ResultHistogram(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """An interactive histogram of SamplerV2 results (or counts), top-k + "other".

    Args:
        result_or_counts: A ``PrimitiveResult``, a PUB result, a job (its result is fetched), a
            ``BitArray``, a counts dictionary, or a mapping/list of those to overlay (e.g.
            ``{"ideal": ..., "noisy": ..., "device": ...}``).
        pub: Which PUB to show.
        register: Which classical register; None joins all registers.
        top_k: Outcomes shown individually.
        sort: ``"count"``, ``"bitstring"`` or ``"hamming"``.
        labels: ``"raw"`` or ``"ket"``.
        values: ``"counts"`` or ``"probabilities"``.
        loc: Parameter index (flat index into the PUB shape) or None for all.
        title: Figure title.
    """

    top_k = traitlets.Int(TOP_K, help="Outcomes shown individually.")
    sort = traitlets.Enum(SORTS, "count", help="count, bitstring or hamming.")
    labels = traitlets.Enum(("raw", "ket"), "raw", help="raw or ket.")
    values = traitlets.Enum(("counts", "probabilities"), "counts", help="counts or probabilities.")
    pub = traitlets.Int(0, help="The PUB shown.")
    register = traitlets.Unicode("", help="The register shown; empty joins all.")
    loc = traitlets.Int(-1, help="Flat parameter index; -1 aggregates the whole PUB.")
    error = traitlets.Unicode("", help="Why the last redraw failed, or empty.")

    def __init__(
        self,
        result_or_counts: Any,
        *,
        pub: int = 0,
        register: str | None = None,
        top_k: int = TOP_K,
        sort: str = "count",
        labels: str = "raw",
        values: str = "counts",
        loc: int | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__()
        self._sources = _series(result_or_counts)
        self._title = title
        self._cache: dict[tuple[str, int, str, int], Outcomes] = {}
        self._probe = ThemeProbe()
        self._message = w.HTML()
        self.set_trait("pub", pub)
        self.set_trait("register", register or "")
        self.set_trait("loc", -1 if loc is None else loc)
        self.set_trait("top_k", top_k)
        self.set_trait("sort", sort)
        self.set_trait("labels", labels)
        self.set_trait("values", values)
        self._controls = self._build_controls()
        self.figure = figure_widget(self._figure() or {"data": [], "layout": {}})
        follow_theme(self._probe, lambda: [self.figure])
        self.children = [w.HTML(CSS), self._controls, self.figure, self._message, self._probe]
        self.add_class("qrt-w")
        self.observe(self._redraw, names=["top_k", "sort", "labels", "values", "pub", "register"])
        self.observe(self._redraw, names=["loc"])

    @traitlets.validate("register")
    def _known_register(self, proposal: Any) -> str:
        name = str(proposal["value"])
        registers = self._registers() if hasattr(self, "_sources") else []
        if name and name not in registers:
            known = ", ".join(registers) or "no named registers"
            raise traitlets.TraitError(f"no register {name!r}; the PUB has {known}")
        return name

    # --- data
    def _first(self) -> Any:
        return next(iter(self._sources.values()))

    def _pub_count(self) -> int:
        source = self._first()
        if read.is_counts(source) or read.is_bit_array(source):
            return 1
        return len(read.pub_results(source))

    def _registers(self) -> list[str]:
        source = self._first()
        if read.is_counts(source) or read.is_bit_array(source):
            return []
        pubs = read.pub_results(source)
        return list(read.bit_registers(pubs[min(self.pub, len(pubs) - 1)]))

    def _shape(self) -> tuple[int, ...]:
        source = self._first()
        if read.is_counts(source):
            return ()
        if read.is_bit_array(source):
            return tuple(source.shape)
        pubs = read.pub_results(source)
        return read.pub_shape(pubs[min(self.pub, len(pubs) - 1)])

    def outcomes(self) -> dict[str, Outcomes]:
        """The counted outcomes of every compared result for the current selection."""
        shape = self._shape()
        loc = None if self.loc < 0 or not shape else np.unravel_index(self.loc, shape)
        found = {}
        for name, source in self._sources.items():
            key = (name, self.pub, self.register, self.loc)
            if key not in self._cache:
                self._cache[key] = read.outcomes_of(
                    source, pub=self.pub, register=self.register or None, loc=loc
                )
            found[name] = self._cache[key]
        return found

    def _figure(self) -> dict[str, Any] | None:
        try:
            figure = histogram_figure(
                self.outcomes()
                if len(self._sources) > 1
                else self.outcomes()[next(iter(self._sources))],
                top_k=self.top_k,
                sort=self.sort,
                labels=self.labels,
                values=self.values,
                title=self._title,
            )
        except (ValueError, TypeError) as err:
            self.error = str(err)
            self._message.value = f'<span class="qrt-error">{html.escape(str(err))}</span>'
            return None
        self.error = ""
        self._message.value = ""
        return figure

    def _redraw(self, _change: Any = None) -> None:
        figure = self._figure()
        if figure is not None:
            replace_figure(self.figure, figure)

    def static_parts(self) -> dict[str, Any]:
        """The histogram as plotly JSON, its counts as an HTML table, a line of text."""
        figure = self._figure()
        if figure is None:
            return {"text/plain": f"ResultHistogram: {self.error}"}
        lines = []
        for name, outcomes in self.outcomes().items():
            lines.append(f"{name}: {outcomes.shots} shots, {len(outcomes.keys)} outcomes")
        text = "ResultHistogram: " + "; ".join(lines)
        return static_bundle(figure, figure_table("histogram", figure, self._title), text)

    # --- controls
    def _build_controls(self) -> w.Widget:
        narrow = w.Layout(width="auto")
        # the words of the sidebar's job view ("Top", "Ket labels"), not "top k"; hints on each
        top_k = w.BoundedIntText(value=self.top_k, min=1, max=4096, description="top",
                                 tooltip="Draw the most frequent outcomes; the rest are one bar",
                                 layout=w.Layout(width="150px"))  # fmt: skip
        sort = w.Dropdown(options=[("by count", "count"), ("by bitstring", "bitstring"),
                                   ("by Hamming weight", "hamming")], value=self.sort,
                          description="sort", layout=narrow)  # fmt: skip
        # "auto": each button as wide as its label (a fixed width cut "probabilities")
        # no description: it wraps the buttons under it; each button says what it does instead
        labels = w.ToggleButtons(options=[("0101", "raw"), ("|0101⟩", "ket")],
                                 tooltips=["labels: bitstrings as measured", "labels: kets"],
                                 value=self.labels, style={"button_width": "auto"})  # fmt: skip
        values = w.ToggleButtons(options=[("counts", "counts"), ("probabilities", "probabilities")],
                                 value=self.values, style={"button_width": "auto"})  # fmt: skip
        for control, name in (
            (top_k, "top_k"),
            (sort, "sort"),
            (labels, "labels"),
            (values, "values"),
        ):
            w.link((control, "value"), (self, name))
        row = [top_k, sort, labels, values]
        if self._pub_count() > 1:
            pubs = w.Dropdown(options=[(f"PUB {i}", i) for i in range(self._pub_count())],
                              value=self.pub, description="PUB", layout=narrow)  # fmt: skip
            w.link((pubs, "value"), (self, "pub"))
            row.append(pubs)
        registers = self._registers()
        if len(registers) > 1:
            options = [("all registers", ""), *[(r, r) for r in registers]]
            choice = w.Dropdown(options=options, value=self.register, description="register",
                                layout=narrow)  # fmt: skip
            w.link((choice, "value"), (self, "register"))
            row.append(choice)
        shape = self._shape()
        size = int(np.prod(shape)) if shape else 1
        if shape and size > 1:
            locations: list[tuple[str, int]] = [("all points", -1)]
            locations += [(str(tuple(int(i) for i in np.unravel_index(flat, shape))), flat)
                          for flat in range(min(size, MAX_LOC_CHOICES))]  # fmt: skip
            points = w.Dropdown(options=locations, value=self.loc if self.loc < size else -1,
                                description="parameters", layout=narrow)  # fmt: skip
            w.link((points, "value"), (self, "loc"))
            row.append(points)
        return w.HBox(row, layout=w.Layout(flex_flow="row wrap"))


class ExpectationPlot(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """EstimatorV2 expectation values ``evs ± stds`` along a chosen axis of the PUB shape.

    Args:
        result: A ``PrimitiveResult``, a PUB result or a job of EstimatorV2. A job's inputs name
            the plot: the swept parameter's values along x (its name as the axis title, every
            name=value in hover) and the observables as written (``ZZ``, ``XXY + YYY``).
        pub: Which PUB to show.
        axis: Which axis of the PUB's broadcast shape runs along x; the others become lines.
        x: Values along that axis (e.g. the swept parameter); defaults to the index (or, for a
            job, the bound parameter values).
        observables: Names of the lines (e.g. observable labels) or of the x categories.
        param: For a job whose PUB binds several parameters, the one along x.
        title: Figure title.
        x_title: Title of the x axis (default: the job's parameter along x when ``result`` is a
            job, else "parameter" when ``x`` is given, else the index).
    """

    pub = traitlets.Int(0, help="The PUB shown.")
    axis = traitlets.Int(-1, help="The axis of the PUB shape that runs along x.")
    error = traitlets.Unicode("", help="Why the last redraw failed, or empty.")
    param = traitlets.Unicode("", help="The parameter along x ('': the first one varying).")

    def __init__(
        self,
        result: Any,
        *,
        pub: int = 0,
        axis: int = -1,
        x: Any | None = None,
        observables: Sequence[str] | None = None,
        title: str | None = None,
        param: str = "",
        x_title: str | None = None,
    ) -> None:
        super().__init__()
        self._x_title = x_title
        self._inputs = job_inputs(result)
        self._result = read.resolve(result)
        self._pubs = read.pub_results(self._result)
        if not any(read.is_estimator_pub(p) for p in self._pubs):
            raise TypeError("ExpectationPlot needs EstimatorV2 results (data.evs); got none")
        self._x = x
        self._names = list(observables) if observables is not None else None
        self._title = title
        self._probe = ThemeProbe()
        self._message = w.HTML()
        self.set_trait("pub", pub)
        self.set_trait("axis", axis)
        self.set_trait("param", param)
        controls = self._build_controls()
        self.figure = figure_widget(self._figure() or {"data": [], "layout": {}})
        self.zne = w.VBox()
        self._draw_zne()
        follow_theme(self._probe, lambda: [self.figure, *self.zne.children])
        self.children = [w.HTML(CSS), controls, self.figure, self.zne, self._message, self._probe]
        self.add_class("qrt-w")
        self.observe(self._redraw, names=["pub", "axis", "param"])

    def _figure(self) -> dict[str, Any] | None:
        try:
            if not 0 <= self.pub < len(self._pubs):
                held = words.plural(len(self._pubs), "PUB")
                raise ValueError(f"PUB {self.pub} does not exist: the result has {held}")
            data = self._pubs[self.pub].data
            if self._inputs is not None and self._x is None and self._names is None:
                entry = pub_entry(self._result, self._inputs, self.pub)
                figure = labelled_expectation_figure(
                    data, entry, axis=self.axis, param=self.param, title=self._title
                )
                if self._x_title:
                    figure["layout"]["xaxis"]["title"] = {"text": self._x_title}
                self.error = ""
                self._message.value = ""
                return figure
            evs = np.asarray(data.evs, dtype=float)
            axis = self.axis if evs.ndim else -1
            width = np.atleast_1d(evs).shape[axis]
            x = self._x if self._x is not None and np.size(self._x) == width else None
            figure = expectation_values_figure(
                evs,
                getattr(data, "stds", None),
                labels=self._names,
                x=x,
                axis=axis,
                x_title=self._x_title
                or (self._job_parameter(evs.shape) if x is not None else None),
                trace_names=self._names,
                title=self._title,
            )
        except (ValueError, TypeError, AttributeError) as err:
            self.error = str(err)
            self._message.value = f'<span class="qrt-error">{html.escape(str(err))}</span>'
            return None
        self.error = ""
        self._message.value = ""
        return figure

    def _job_parameter(self, shape: tuple[int, ...]) -> str | None:
        """The job's parameter along x (its name titles given ``x`` values), or None."""
        if self._inputs is None or not shape:
            return None
        entry = pub_entry(self._result, self._inputs, self.pub)
        labels = EstimatorLabels.from_entry(entry, shape)
        return chosen_parameter(labels, self.param, self.axis % len(shape))

    def _draw_zne(self) -> None:
        figure = self._zne_figure()
        self.zne.children = [] if figure is None else [figure_widget(figure, self._probe.light)]

    def _zne_figure(self) -> dict[str, Any] | None:
        zne = read.zne_data(self._pubs[self.pub]) if 0 <= self.pub < len(self._pubs) else None
        if zne is None:
            return None
        return zne_figure(
            zne["noise_factors"],
            zne["evs_noise_factors"],
            zne["stds_noise_factors"],
            zne["evs_extrapolated"],
            extrapolated_factors=zne["extrapolated_factors"],
            names=self._names,
            title="zero-noise extrapolation",
        )

    def _redraw(self, _change: Any = None) -> None:
        figure = self._figure()
        if figure is not None:
            replace_figure(self.figure, figure)
        self._draw_zne()

    def static_parts(self) -> dict[str, Any]:
        """The plot as plotly JSON, ``evs ± stds`` (and any ZNE fit) as HTML tables, text."""
        figure = self._figure()
        if figure is None:
            return {"text/plain": f"ExpectationPlot: {self.error}"}
        table = figure_table("expectation", figure, self._title or "expectation values")
        zne = self._zne_figure()
        if zne is not None:
            table += figure_table("zne", zne, "zero-noise extrapolation")
        evs = np.asarray(self._pubs[self.pub].data.evs, dtype=float)
        text = f"ExpectationPlot: {evs.size} expectation value(s), PUB {self.pub}"
        return static_bundle(figure, table, text)

    def _build_controls(self) -> w.Widget:
        row: list[w.Widget] = []
        if len(self._pubs) > 1:
            pubs = w.Dropdown(options=[(f"PUB {i}", i) for i in range(len(self._pubs))],
                              value=self.pub, description="PUB")  # fmt: skip
            w.link((pubs, "value"), (self, "pub"))
            row.append(pubs)
        ndim = np.ndim(self._pubs[0].data.evs) if self._pubs else 0
        if ndim > 1:
            axes = w.Dropdown(options=[(f"axis {i}", i) for i in range(ndim)],
                              value=self.axis % ndim, description="x axis")  # fmt: skip
            w.link((axes, "value"), (self, "axis"))
            row.append(axes)
        names = self._parameter_names()
        if len(names) > 1:
            chooser = w.Dropdown(options=[("first varying", ""), *((n, n) for n in names)],
                                 value=self.param, description="x")  # fmt: skip
            w.link((chooser, "value"), (self, "param"))
            row.append(chooser)
        return w.HBox(row)

    def _parameter_names(self) -> list[str]:
        if self._inputs is None or not self._pubs:
            return []
        entry = pub_entry(self._result, self._inputs, self.pub)
        return [str(n) for n in (entry.get("parameters") or {}).get("names") or []]


def timeline_widget(result: Any) -> w.Widget | None:
    """A figure of the result's execution spans (following the theme), or None without spans."""
    spans = read.execution_spans(result)
    if not spans:
        return None
    probe = ThemeProbe()
    figure = figure_widget(timeline_figure(spans, title="execution spans"))
    follow_theme(probe, lambda: [figure])
    return w.VBox([figure, probe])


def result_widget(result: Any, **options: Any) -> w.Widget:
    """The natural widget of a result: a histogram for sampler data, a plot for estimator data."""
    pubs = read.pub_results(result)
    if pubs and read.is_estimator_pub(pubs[0]):
        return ExpectationPlot(result, **options)
    return ResultHistogram(result, **options)
