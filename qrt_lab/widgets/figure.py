"""A plotly figure as a small anywidget: plotly.js draws the plain figure dicts of
:mod:`qrt_lab.plots`, with none of plotly's Python package imported.

plotly's ``FigureWidget`` imports ``plotly.io`` and through it nbformat, jsonschema and rfc3987
(2 s warm, ~8 s on first use after install). :class:`Figure` keeps what users had from it: zoom,
pan and hover (plotly.js), ``trace.on_click(callback)`` / ``figure.on_click(callback)`` with the
points clicked, attribute access to the traces and layout (``figure.data[0].y``,
``figure.layout.xaxis.title.text``), assignments that reach the page (``figure.layout.height =
320``), ``batch_update()``, and updates that restyle the drawn plot (``Plotly.react``) instead of
drawing it anew. Named templates (``plotly_white``/``plotly_dark``) are read from the JSON files
plotly's package ships.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from qrt_lab.plots.static import json_safe

__all__ = ["Figure", "Points", "Props", "plotly_js"]

_ESM = Path(__file__).with_name("figure.js")

ClickCallback = Callable[["Props", "Points", None], Any]


def _plotly_data() -> Path:
    """plotly's ``package_data`` folder, found without importing plotly."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("plotly is not installed; run `pip install plotly` (qrt-lab needs it)")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


def plotly_js() -> bytes:
    """The plotly.min.js that the plotly package ships (sent to pages without our labextension)."""
    return (_plotly_data() / "plotly.min.js").read_bytes()


@cache
def _template(name: str) -> dict[str, Any]:
    path = _plotly_data() / "templates" / f"{name}.json"
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


@dataclass
class Points:
    """The points of one trace that a click hit (the fields of plotly's ``Points``)."""

    trace_index: int
    trace_name: str | None
    point_inds: list[int] = field(default_factory=list)
    xs: list[Any] = field(default_factory=list)
    ys: list[Any] = field(default_factory=list)


class Props:
    """Attribute access to part of a figure dict; assignments are sent to the page.

    A missing property reads as ``None``; a nested dict reads as another :class:`Props`.
    """

    __slots__ = ("_figure", "_values")

    def __init__(self, figure: Figure, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_figure", figure)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = self._values.get(name)
        return Props(self._figure, value) if isinstance(value, dict) else value

    def __setattr__(self, name: str, value: Any) -> None:
        self._values[name] = json_safe(value)
        self._figure._changed()

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self.__setattr__(name, value)

    def __eq__(self, other: object) -> bool:
        mine = self._values
        return bool(mine == (other._values if isinstance(other, Props) else other))

    __hash__ = None  # type: ignore[assignment]

    def to_plotly_json(self) -> dict[str, Any]:
        """A copy of the underlying dict."""
        copy: dict[str, Any] = json.loads(json.dumps(self._values))
        return copy

    def on_click(self, callback: ClickCallback, append: bool = False) -> None:
        """Call ``callback(trace, points, None)`` when a point of this trace is clicked."""
        index = self._figure._trace_index(self._values)
        handlers = self._figure._trace_clicks.setdefault(index, [])
        if not append:
            handlers.clear()
        handlers.append(callback)

    def __repr__(self) -> str:
        return f"Props({self._values!r})"


class Figure(anywidget.AnyWidget):  # type: ignore[misc,unused-ignore]  # no hints
    """A plotly figure (a dict with ``data`` and ``layout``) drawn by plotly.js in the page."""

    _esm = traitlets.Unicode(_ESM.read_text(encoding="utf-8")).tag(sync=True)
    _data: traitlets.List[Any] = traitlets.List().tag(sync=True)
    _layout = traitlets.Dict().tag(sync=True)
    _template = traitlets.Dict().tag(sync=True)

    def __init__(self, figure: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if figure is not None:  # in the widget's first message, not in an update after it
            layout = _plain(figure.get("layout") or {})
            name = layout.get("template")
            kwargs.update(
                _data=[_plain(t) for t in figure.get("data") or []],
                _layout=layout,
                _template=_template(name) if isinstance(name, str) else {},
            )
        super().__init__(**kwargs)
        self._holding = 0
        self._dirty = False
        self._trace_clicks: dict[int, list[ClickCallback]] = {}
        self._clicks: list[ClickCallback] = []
        self.on_msg(self._on_message)

    # --- the figure, as FigureWidget shows it
    @property
    def data(self) -> tuple[Props, ...]:
        """The traces, each with attribute access (``figure.data[0].x``)."""
        return tuple(Props(self, trace) for trace in self._data)

    @data.setter
    def data(self, traces: Any) -> None:
        self._set(data=[_plain(t) for t in traces])

    @property
    def layout(self) -> Props:
        """The layout, with attribute access; assignments reach the page (``.height = 320``)."""
        return Props(self, self._layout)

    @layout.setter
    def layout(self, layout: Any) -> None:
        self._set(layout=_plain(layout))

    def update(self, figure: dict[str, Any]) -> None:
        """Replace data and layout in one message (the page restyles, it does not redraw)."""
        traces = [_plain(t) for t in figure.get("data") or []]
        self._set(data=traces, layout=_plain(figure.get("layout") or {}))

    def to_dict(self) -> dict[str, Any]:
        """The figure as a plain dict (a copy)."""
        copy: dict[str, Any] = json.loads(json.dumps({"data": self._data, "layout": self._layout}))
        return copy

    @contextlib.contextmanager
    def batch_update(self) -> Iterator[None]:
        """Send every change made inside the block as one update."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if self._holding == 0 and self._dirty:
                self._changed()

    def on_click(self, callback: ClickCallback, append: bool = True) -> None:
        """Call ``callback(trace, points, None)`` for the points of each trace a click hits."""
        if not append:
            self._clicks.clear()
        self._clicks.append(callback)

    # --- internals
    def _set(self, data: list[Any] | None = None, layout: dict[str, Any] | None = None) -> None:
        with self.hold_sync():  # one message for data, layout and template
            if data is not None:
                self._data = data
            if layout is not None:
                self._layout = layout
            self._changed()

    def _changed(self) -> None:
        """Send the (possibly mutated in place) data and layout, unless a batch holds them."""
        if self._holding:
            self._dirty = True
            return
        self._dirty = False
        name = self._layout.get("template")
        template = _template(name) if isinstance(name, str) else {}
        with self.hold_sync():  # ipywidgets sends what it holds as one message at the end
            if template != self._template:
                self._template = template
            # mutated in place, so traitlets saw no change: ask for them explicitly
            self._states_to_send.update(["_data", "_layout"])

    def _trace_index(self, trace: dict[str, Any]) -> int:
        for index, candidate in enumerate(self._data):
            if candidate is trace:
                return index
        raise ValueError("this trace is no longer part of the figure")

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "plotly-js":
            self._send_plotly_js()
        elif content.get("type") == "click":
            self._dispatch_click(content.get("points"))

    def _send_plotly_js(self) -> None:
        try:
            source = plotly_js()
        except (OSError, RuntimeError) as err:
            self.send({"type": "plotly-js", "error": str(err)})
            return
        self.send({"type": "plotly-js"}, buffers=[source])

    def _dispatch_click(self, points: Any) -> None:
        by_trace: dict[int, Points] = {}
        for point in points if isinstance(points, list) else []:
            if not isinstance(point, dict) or not isinstance(point.get("trace"), int):
                continue
            index = point["trace"]
            if not 0 <= index < len(self._data):
                continue
            found = by_trace.setdefault(index, Points(index, self._data[index].get("name")))
            if isinstance(point.get("point"), int):
                found.point_inds.append(point["point"])
            found.xs.append(point.get("x"))
            found.ys.append(point.get("y"))
        for index, found in by_trace.items():
            trace = Props(self, self._data[index])
            for callback in [*self._trace_clicks.get(index, []), *self._clicks]:
                callback(trace, found, None)


def _plain(value: Any) -> Any:
    if isinstance(value, Props):
        return value.to_plotly_json()
    return json_safe(value)
