"""The :class:`StaticRepr` mixin: widgets that keep a static view beside the live one.

What the static parts are, and why there is no image, is in :mod:`qrt_lab.plots.static`.
"""

from __future__ import annotations

import html
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
    "PLOTLY_MIME",
    "STATIC_CLASS",
    "StaticRepr",
    "figure_table",
    "json_safe",
    "rows_table",
    "static_bundle",
]


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
            static = self.static_parts()
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
