"""How the magics show things: ``qrt_lab.widgets`` where a widget frontend draws them, else text.

:func:`widgets_render` decides: in a Jupyter kernel the magics show the widgets (BackendBrowser,
CouplingMapView, JobMonitor, the result widgets); in a terminal or a plain IPython shell they
show a :class:`Table` or a :mod:`qrt_lab.plots` figure dict with a text summary.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from IPython.display import display

__all__ = [
    "PLOTLY_MIME",
    "Table",
    "draws_itself",
    "figure_bundle",
    "show_figure",
    "show_result",
    "widgets_render",
]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
_table_ids = itertools.count()

# one click handler per table: sorts rows by the clicked column (numbers numerically)
_SORT_SCRIPT = (
    "<script>(function(){const t=document.getElementById('%s');if(!t)return;"
    "t.querySelectorAll('th').forEach((th,i)=>{th.style.cursor='pointer';th.onclick=()=>{"
    "const b=t.tBodies[0],rows=[...b.rows],up=th.dataset.dir!=='asc';"
    "th.dataset.dir=up?'asc':'desc';"
    "const key=r=>{const s=r.cells[i].dataset.sort??r.cells[i].textContent,n=parseFloat(s);"
    "return isNaN(n)?s:n};rows.sort((a,c)=>{const x=key(a),y=key(c);"
    "return (x<y?-1:x>y?1:0)*(up?1:-1)});rows.forEach(r=>b.appendChild(r));};});})();</script>"
)


def widgets_render() -> bool:
    """Whether ipywidgets can draw here: a Jupyter kernel (not a terminal or plain shell)."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def figure_bundle(figure: dict[str, Any], text: str, kind: str = "figure") -> dict[str, Any]:
    """``figure`` as plotly JSON (JupyterLab, VS Code, nbviewer), its numbers as an HTML table
    (GitHub, nbconvert) and ``text`` (terminals, logs)."""
    from ..plots.static import figure_table, static_bundle

    return static_bundle(figure, figure_table(kind, figure), text)


def _show_expectations(
    result: Any, labels: Sequence[str] | None, inputs: dict[str, Any] | None
) -> None:
    import numpy as np

    from ..runtime.summaries import words
    from ..widgets._estimator import labelled_expectation_figure, pub_entry

    data = result[0].data
    figure = labelled_expectation_figure(data, pub_entry(result, inputs, 0))
    evs = np.asarray(data.evs, dtype=float)
    stds_raw = getattr(data, "stds", None)
    stds = np.broadcast_to(np.asarray(np.nan if stds_raw is None else stds_raw), evs.shape)
    pairs = zip(evs.ravel()[:8], stds.ravel()[:8], strict=True)
    shown = ", ".join(words.expectation(v, s) for v, s in pairs)
    show_figure(figure, f"expectation values: {shown}", "expectation")


def show_figure(figure: dict[str, Any], text: str, kind: str = "figure") -> None:
    """Display a :mod:`qrt_lab.plots` figure dict, with ``text`` for terminals and logs."""
    display(figure_bundle(figure, text, kind), raw=True)  # type: ignore[no-untyped-call]


def _cell_text(value: Any) -> str:
    from ..runtime.summaries import words

    if value is None:
        return words.DASH
    if isinstance(value, float):
        return words.number(value, 4)
    return str(value)


@dataclass(frozen=True)
class Table:
    """Rows with named columns: a click-to-sort HTML table in Jupyter, aligned text elsewhere.

    Attributes:
        columns: Column titles.
        rows: One tuple of cell values per row (None shows as "-").
        caption: A line shown above the table.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    caption: str = ""

    def __str__(self) -> str:
        cells = [list(self.columns), *[[_cell_text(v) for v in row] for row in self.rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
        lines.insert(1, "-" * max(len(line) for line in lines))
        if self.caption:
            lines.insert(0, self.caption)
        if not self.rows:
            lines.append("(none)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        table_id = f"qrt-table-{next(_table_ids)}"
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td data-sort="{html.escape(str(v))}">{html.escape(_cell_text(v))}</td>'
                if isinstance(v, int | float) and not isinstance(v, bool)
                else f"<td>{html.escape(_cell_text(v))}</td>"
                for v in row
            )
            + "</tr>"
            for row in self.rows
        )
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (
            f'<table class="qrt-table" id="{table_id}">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{_SORT_SCRIPT % table_id}"
        )


def draws_itself(obj: Any) -> bool:
    """Whether IPython has a rich formatter for ``obj``'s type (e.g. registered by widgets).

    Then the magic's return value already draws the figure when IPython shows it; drawing it
    here as well would show it twice.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return False
    bundle = shell.display_formatter.mimebundle_formatter(obj)
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    if data and any(mime != "text/plain" for mime in data):
        return True
    rich = [f for mime, f in shell.display_formatter.formatters.items() if mime != "text/plain"]
    for formatter in rich:
        try:
            formatter.lookup_by_type(type(obj))
        except KeyError:
            continue
        return True
    return False


def show_result(
    result: Any, labels: Sequence[str] | None = None, inputs: dict[str, Any] | None = None
) -> None:
    """Display a primitive result: the first PUB's histogram (Sampler) or its ⟨O⟩ plot (Estimator).

    Args:
        result: A ``PrimitiveResult`` of SamplerV2 or EstimatorV2.
        labels: Observable labels for an Estimator result (as the user wrote them).
        inputs: The job's decoded inputs: the swept parameter goes along x and the observables
            are named as written (see :class:`qrt_lab.widgets.ExpectationPlot`).
    """
    if inputs is None and labels is not None:
        inputs = {"pubs": [[None, list(labels)]]}
    if inputs is not None and len(result) and hasattr(result[0].data, "evs"):
        from ..widgets._estimator import remember_inputs

        remember_inputs(result, inputs)  # its rich display is labelled the same way
    if not len(result) or draws_itself(result):
        return
    pub = result[0]
    data = pub.data
    if hasattr(data, "evs"):
        _show_expectations(result, labels, inputs)
        return
    from ..plots import counts_histogram_figure

    counts = pub.join_data().get_counts()
    shots = sum(counts.values())
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:8]
    text = f"{shots} shots, {len(counts)} outcomes; top: " + ", ".join(f"{k}: {v}" for k, v in top)
    show_figure(counts_histogram_figure(counts, title=f"{shots} shots"), text, "histogram")
