"""``BackendAdvisor``: which backend and qubits for these circuits, ranked in the background.

:class:`AdvisorModel` owns the state: it runs :func:`qrt_lab.runtime.advice.rank_backends` in a
daemon thread (the cell returns at once; the table says "Ranking…" until the candidates arrive)
and keeps the candidates, the chosen one and any error. The views listen to it: the ranked
table (:class:`~._advice_views.RankTable`), the chosen layout on the backend's coupling map
(:func:`qrt_lab.plots.layout_map_figure`) and the "use this" button
(:class:`~._advice_views.UseThisButton`), which puts the transpile code in the next cell.
"""

from __future__ import annotations

import html
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as w
import traitlets

from qrt_lab.plots import coupling_layout
from qrt_lab.runtime.advice import Candidate
from qrt_lab.runtime.summaries import words

from ._advice_rows import (
    COLUMNS,
    candidate_row,
    layout_figure,
    layout_text,
    static_view,
    transpile_code,
)
from ._advice_views import RankTable, UseThisButton
from ._calibration import read_calibration
from ._theme import CSS, ThemeProbe, figure_widget, follow_theme, replace_figure
from .coupling_map import backend_edges
from .static import StaticRepr

__all__ = ["AdvisorModel", "BackendAdvisor", "caller_names"]

Ranker = Callable[..., list[Candidate]]

#: What to do after a failure of the service (a retry may work) or of the arguments (it won't).
_RETRY = "Check that the service answers (service.backends()), then press “Rank again”."
_FIX = "Change the circuits or the arguments and run the cell again."


def _is_input_error(err: Exception) -> bool:
    """Whether the arguments were wrong (a bad circuit, backend name or ``top``)."""
    return isinstance(err, (ValueError, TypeError)) or type(err).__name__ == (
        "QiskitBackendNotFoundError"
    )


def _as_list(circuits: Any) -> list[Any]:
    return list(circuits) if isinstance(circuits, (list, tuple)) else [circuits]


def _reason(err: Exception) -> str:
    """``"Could not rank the backends: <why>."`` on one line (the client's quotes left out)."""
    text = " ".join(str(err).split()) or type(err).__name__
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]  # QiskitError.__str__ quotes its message with repr()
    return f"Could not rank the backends: {text.rstrip('.')}."


def _default_ranker() -> Ranker:
    from qrt_lab.runtime.advice import rank_backends

    return rank_backends


class AdvisorModel(traitlets.HasTraits):
    """The advisor's state: ranks in a background thread, holds the result and the choice.

    Args:
        circuits: A circuit or a list of circuits.
        service: A ``QiskitRuntimeService`` (qrt-lab's or qiskit-ibm-runtime's).
        backends: Backend names to rank (default: every backend of the service).
        top: How many candidates to keep.
        optimization_level: The preset pass manager's level the ranking transpiles at (the
            code "use this" writes uses the same).
        ranker: The ranking function (default :func:`qrt_lab.runtime.advice.rank_backends`).
    """

    state = traitlets.Unicode("ranking", help="ranking, ready, empty or error.")
    error = traitlets.Unicode("", help="Why the ranking failed, in the error state.")
    input_error = traitlets.Bool(False, help="The failure was the arguments', not the service's.")
    candidates: traitlets.List[Any] = traitlets.List(help="The ranked candidates, best first.")
    selected = traitlets.Int(-1, help="Index of the chosen candidate (-1: none).")

    def __init__(
        self,
        circuits: Any,
        service: Any,
        *,
        backends: Sequence[str] | None = None,
        top: int = 5,
        optimization_level: int = 2,
        ranker: Ranker | None = None,
    ) -> None:
        super().__init__()
        self.circuits = _as_list(circuits)
        self.optimization_level = optimization_level
        self.service = service
        self.backends = list(backends) if backends is not None else None
        self.top = top
        self._ranker = ranker
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Rank (again) in a daemon thread; the state is ``ranking`` until it ends."""
        self._done.clear()
        self.set_trait("error", "")
        self.state = "ranking"
        self._thread = threading.Thread(target=self._rank, name="qrt-lab advisor", daemon=True)
        self._thread.start()

    def rank_now(self) -> None:
        """Rank in the calling thread (no kernel widgets: the static table waits for it)."""
        self._done.clear()
        self.state = "ranking"
        self._rank()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the ranking ends; False if ``timeout`` seconds passed first."""
        return self._done.wait(timeout)

    def _rank(self) -> None:
        try:
            ranker = self._ranker or _default_ranker()
            found = ranker(
                self.circuits,
                self.service,
                backends=self.backends,
                top=self.top,
                optimization_level=self.optimization_level,
            )
        except Exception as err:  # noqa: BLE001 - shown to the user with what to do
            self.input_error = _is_input_error(err)
            self.error = _reason(err)
            self.candidates = []
            self.selected = -1
            self.state = "error"
        else:
            self.candidates = list(found)
            self.selected = 0 if found else -1
            self.state = "ready" if found else "empty"
        finally:
            self._done.set()

    @property
    def chosen(self) -> Candidate | None:
        """The selected candidate, or None."""
        if 0 <= self.selected < len(self.candidates):
            return self.candidates[self.selected]  # type: ignore[no-any-return]
        return None


def caller_names(values: Mapping[str, Any], depth: int = 2) -> dict[str, str]:
    """The variable names a caller ``depth`` frames up binds to ``values`` (by identity).

    ``{"circuits": qc}`` → ``{"circuits": "bell"}`` when the caller has ``bell = qc``; names not
    found are left out.
    """
    try:
        frame = sys._getframe(depth)
    except ValueError:
        return {}
    scopes = [frame.f_locals, frame.f_globals]
    found: dict[str, str] = {}
    for key, value in values.items():
        for scope in scopes:
            name = next((n for n, v in scope.items() if v is value and not n.startswith("_")), None)
            if name:
                found[key] = name
                break
    return found


class BackendAdvisor(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """Rank the service's backends and layouts for circuits; pick one, see it, use it.

    The table lists the advisor's candidates best first (predicted success ± its uncertainty,
    two-qubit gates and depth after routing, queue, estimated usage against the remaining
    usage, calibration age). The chosen row's layout is drawn on its backend's coupling map
    (its qubits by readout error, its couplers by two-qubit gate error), and "Use this" puts the
    transpile code for it in the cell below.

    Args:
        circuits: A circuit or a list of circuits.
        service: A ``QiskitRuntimeService`` (qrt-lab's or qiskit-ibm-runtime's).
        backends: Backend names to rank (default: all of the service's).
        top: How many candidates to show.
        optimization_level: The preset pass manager's level to rank at (0 to 3); "use this"
            writes the same level, the chosen layout and the ranking's seed.
        names: The variable names of ``circuits`` and ``service`` for the code (keys
            ``"circuits"`` and ``"service"``); by default looked up in the caller's variables.
        service_setup: Code that makes the service, put in the inserted code when no variable
            of the user holds it.
        ranker: The ranking function (default :func:`qrt_lab.runtime.advice.rank_backends`).
        start: Start ranking at once (False: call ``model.start()`` or ``model.rank_now()``).
    """

    def __init__(
        self,
        circuits: Any,
        service: Any,
        *,
        backends: Sequence[str] | None = None,
        top: int = 5,
        optimization_level: int = 2,
        names: Mapping[str, str] | None = None,
        service_setup: str | None = None,
        ranker: Ranker | None = None,
        start: bool = True,
    ) -> None:
        super().__init__()
        self.service_setup = service_setup
        self.names = (
            dict(names)
            if names is not None
            else caller_names({"circuits": circuits, "service": service})
        )
        self.model = AdvisorModel(
            circuits,
            service,
            backends=backends,
            top=top,
            optimization_level=optimization_level,
            ranker=ranker,
        )
        self._maps: dict[str, tuple[int, list[list[int]], Any, Any]] = {}
        self._probe = ThemeProbe()
        self.table = RankTable(columns=[list(c) for c in COLUMNS])
        self.caption = w.HTML()
        self.figure = figure_widget({"data": [], "layout": {"height": 60}})
        follow_theme(self._probe, lambda: [self.figure])
        self.use = UseThisButton()
        retry = w.Button(description="Rank again", icon="refresh")
        retry.on_click(lambda _: self.model.start())
        self.retry = retry
        self.children = [w.HTML(CSS), self.table, self.caption, self.figure, self.use, self._probe]
        self.add_class("qrt-w")
        self.add_class("qrt-advisor")
        w.link((self.table, "selected"), (self.model, "selected"))
        self.model.observe(self._on_state, names=["state", "candidates", "error"])
        self.model.observe(self._on_selected, names="selected")
        self._displays: list[Any] = []
        self.model.observe(self._refresh_displays, names=["state", "selected"])
        self._on_state()
        if start:
            self.model.start()

    # -- views -------------------------------------------------------------------------------
    def _status(self) -> str:
        model = self.model
        what = words.plural(len(model.circuits), "circuit")
        if model.state == "ranking":
            where = (
                words.plural(len(model.backends), "backend")
                if model.backends is not None
                else "the service's backends"
            )
            return f"Ranking {where} and their layouts for {what}…"
        if model.state == "error":
            return f"{model.error} {_FIX if model.input_error else _RETRY}"
        if model.state == "empty":
            return f"No backend can run {what}: each needs at least as many qubits. {_FIX}"
        return (
            f"Best {words.plural(len(model.candidates), 'candidate')} for {what}, most likely "
            "to succeed first. Click a row to see its layout."
        )

    def _on_state(self, _change: Any = None) -> None:
        model = self.model
        rows = [candidate_row(i + 1, c) for i, c in enumerate(model.candidates)]
        with self.table.hold_sync():
            self.table.rows = rows
            self.table.state = model.state
            self.table.message = self._status()
            self.table.selected = model.selected
        retry = model.state == "error" and not model.input_error
        children = list(self.children)
        if retry and self.retry not in children:
            self.children = [*children[:2], self.retry, *children[2:]]
        elif not retry and self.retry in children:
            self.children = [c for c in children if c is not self.retry]
        self._on_selected()

    def _on_selected(self, _change: Any = None) -> None:
        candidate = self.model.chosen
        if candidate is None:
            self.caption.value = ""
            self.use.code = ""
            self.use.label = "Use this"
            replace_figure(self.figure, {"data": [], "layout": {"height": 60}})
            return
        self.caption.value = self._caption(candidate)
        self.use.code = self.code()
        self.use.label = f"Use {candidate.backend_name}, layout {layout_text(candidate.layout)}"
        figure = self.map_figure(candidate)
        figure["layout"]["height"] = 400
        replace_figure(self.figure, figure)

    def _caption(self, candidate: Candidate) -> str:
        backend = html.escape(candidate.backend_name)
        success = words.expectation(candidate.predicted_success, candidate.success_uncertainty)
        return (
            f"<b>{backend}</b> <span class='qrt-muted'>· predicted success {success} · "
            "its qubits by readout error, the couplers it uses by gate error</span>"
        )

    def _device(self, candidate: Candidate) -> tuple[int, list[list[int]], Any, Any]:
        """Qubit count, edges, calibration and coordinates of a candidate's backend (cached)."""
        name = candidate.backend_name
        if name not in self._maps:
            backend = candidate.backend or self.model.service.backend(name)
            num_qubits = int(backend.num_qubits)
            edges = backend_edges(backend)
            self._maps[name] = (
                num_qubits,
                edges,
                read_calibration(backend),
                coupling_layout(num_qubits, edges),
            )
        return self._maps[name]

    # -- public ------------------------------------------------------------------------------
    @property
    def candidates(self) -> list[Candidate]:
        """The ranked candidates, best first (empty while ranking)."""
        return list(self.model.candidates)

    def select(self, index: int) -> None:
        """Choose the candidate in row ``index`` (from 0)."""
        if not 0 <= index < len(self.model.candidates):
            raise IndexError(f"row {index} does not exist: there are {len(self.candidates)}")
        self.model.selected = index

    def map_figure(self, candidate: Candidate | None = None) -> dict[str, Any]:
        """The layout-on-coupling-map figure of ``candidate`` (default: the chosen one)."""
        chosen = candidate or self.model.chosen
        if chosen is None:
            return {"data": [], "layout": {}}
        num_qubits, edges, cal, positions = self._device(chosen)
        return layout_figure(chosen, num_qubits, edges, cal, positions)

    def code(self, candidate: Candidate | None = None) -> str:
        """The transpile code "use this" inserts for ``candidate`` (default: the chosen one)."""
        chosen = candidate or self.model.chosen
        if chosen is None:
            return ""
        return transpile_code(
            chosen,
            circuits_name=self.names.get("circuits"),
            service_name=self.names.get("service"),
            service_setup=self.service_setup,
        )

    def static_parts(self) -> dict[str, Any]:
        """The chosen layout's map as plotly JSON; the ranked table and its code as HTML."""
        return static_parts(self)

    def _ipython_display_(self) -> None:
        """Show the widget with a display id, so the static copy is renewed once ranked.

        The static parts are taken when an output is shown, which is while ranking; when the
        ranking ends, and whenever another row is chosen, each display of this advisor in a
        kernel is updated (the live widget stays the same model), so a saved notebook keeps the
        ranked table, the chosen row's map, numbers and code rather than "Ranking…".
        """
        from IPython import get_ipython
        from IPython.display import display

        shown = self.model.state
        bundle = self._repr_mimebundle_()
        handle = display(bundle, raw=True, display_id=True)  # type: ignore[no-untyped-call]
        if handle is None or getattr(get_ipython(), "kernel", None) is None:
            return  # a terminal: no widget, nothing to renew
        self._displays.append(handle)
        if self.model.state != shown:  # the ranking ended while this was being shown
            self._refresh_displays()

    def _refresh_displays(self, _change: Any = None) -> None:
        if self.model.state == "ranking":
            return  # the ranking's end renews them (a row chosen meanwhile included)
        for handle in self._displays:
            try:
                handle.update(self._repr_mimebundle_(), raw=True)
            except Exception:  # noqa: BLE001 - a closed kernel channel: the live view remains
                continue


def static_parts(advisor: BackendAdvisor) -> dict[str, Any]:
    """The static view of an advisor in any state (see :meth:`BackendAdvisor.static_parts`)."""
    model = advisor.model
    rows = [candidate_row(i + 1, c) for i, c in enumerate(model.candidates)]
    chosen = model.chosen
    figure = advisor.map_figure() if chosen is not None else None
    return static_view(
        advisor._status(),
        rows,
        model.selected if chosen is not None else -1,
        figure,
        advisor.code() if chosen is not None else "",
    )
