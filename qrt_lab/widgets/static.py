"""The :class:`StaticRepr` mixin: widgets that keep a static view beside the live one.

What the static parts are is in :mod:`qrt_lab.plots.static`. An image is added only on request
(``QRT_LAB_STATIC_IMAGES=1``, with the ``images`` extra): plotly's static export, kaleido, drives
a Chrome/Chromium browser. Measured on 2 cores with the system Chromium: several seconds for the
first figure (the browser starts), then about one second per figure; too slow to pay on every
output by default.
"""

from __future__ import annotations

import atexit
import base64
import html
import os
import threading
from typing import Any

from qrt_lab.plots.static import (
    PLOTLY_MIME,
    STATIC_CLASS,
    figure_table,
    json_safe,
    rows_table,
    static_bundle,
)

__all__ = [
    "IMAGES_ENV",
    "PLOTLY_MIME",
    "STATIC_CLASS",
    "StaticRepr",
    "figure_table",
    "json_safe",
    "rows_table",
    "static_bundle",
    "with_image",
]

#: Set to ``1`` to add an SVG image of each figure (needs kaleido and a Chrome/Chromium).
IMAGES_ENV = "QRT_LAB_STATIC_IMAGES"
_export_lock = threading.Lock()
_export_server: list[bool] = []


def _svg_of(figure: dict[str, Any]) -> str | None:
    """The figure as SVG through kaleido's browser, or None (not asked for, or not possible)."""
    if os.environ.get(IMAGES_ENV) != "1":
        return None
    try:
        import kaleido
        import plotly.io as pio
    except ImportError:
        return None
    with _export_lock:
        try:
            if not _export_server:  # one browser for the kernel's life, not one per figure
                kaleido.start_sync_server(silence_warnings=True)
                atexit.register(kaleido.stop_sync_server, silence_warnings=True)
                _export_server.append(True)
            return bytes(pio.to_image(figure, format="svg")).decode()
        except Exception:  # noqa: BLE001 - no browser or a failed export: no image
            return None


def with_image(parts: dict[str, Any]) -> dict[str, Any]:
    """``parts`` plus ``image/svg+xml`` of its plotly figure, also inlined in the HTML, when
    :data:`IMAGES_ENV` asks for images and kaleido can make one."""
    figure = parts.get(PLOTLY_MIME)
    svg = _svg_of(figure) if figure is not None else None
    if svg is None:
        return parts
    data = base64.b64encode(svg.encode()).decode()
    image = f"<img alt='figure' src='data:image/svg+xml;base64,{data}'/>"
    return {**parts, "image/svg+xml": svg, "text/html": image + parts.get("text/html", "")}


class StaticRepr:
    """Mixin for ipywidgets: ``_repr_mimebundle_`` adds :meth:`static_parts` to the widget view.

    Outside a kernel (terminal IPython, a script under ``%run``) the static parts and the text
    are still returned.
    """

    def static_parts(self) -> dict[str, Any]:
        """``{mime: data}`` of the static representation (plotly JSON, HTML table)."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})  # type: ignore[misc]
        try:
            static = with_image(self.static_parts())
        except Exception as err:  # noqa: BLE001 - the live widget still shows
            static = {"text/html": f"<i>no static view: {html.escape(str(err))}</i>"}
        include = kwargs.get("include")
        exclude = kwargs.get("exclude")
        for mime, data in static.items():
            if include is not None and mime not in include:
                continue
            if exclude is not None and mime in exclude:
                continue
            bundle[mime] = data
        return bundle
