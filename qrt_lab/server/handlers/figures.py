"""Figure JSON for the sidebar's plots, built by ``qrt_lab.plots`` (the widgets share the builders).

``GET backends/{name}/figure`` draws the coupling map coloured by a qubit and an edge metric (with
``styles=1`` also every other metric's colours, so the view switches metric without a fetch);
``GET jobs/{id}/figure`` draws one PUB of a finished job (a histogram or expectation values).
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

from tornado import web

from ...plots import counts_histogram_figure, coupling_map_figure, expectation_values_figure
from ..problems import ApiProblem
from .backends import BackendHandler
from .jobs import JobResultHandler

__all__ = ["BackendFigureHandler", "JobFigureHandler", "metric_styles"]

#: Faulty qubits and edges are drawn over the map in this colour (readable on both themes).
FAULTY_COLOUR = "#d62728"


def _bad_query(message: str, hint: str) -> ApiProblem:
    return ApiProblem(400, "bad_query", message, hint)


def _fmt(value: Any, unit: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:.4g} {unit}".rstrip()


def _colour_values(key: str, values: list[Any]) -> list[Any]:
    """Values for the colour scale: an error of 1 means stale data, not a bad qubit (no colour)."""
    if not key.lower().endswith("error"):
        return values
    return [None if isinstance(v, int | float) and v >= 1 else v for v in values]


def _label(metric: dict[str, Any]) -> str:
    unit = metric.get("unit") or ""
    return f"{metric.get('label', '')} ({unit})" if unit else str(metric.get("label", ""))


def coupling_figure(detail: dict[str, Any], qubit: str, edge: str) -> dict[str, Any]:
    """The coupling map of a backend detail, hover texts listing every metric of a qubit or edge.

    Args:
        detail: The ``GET backends/{name}`` body.
        qubit: A key of ``calibration.qubit_metrics`` (or ``""`` for no colour).
        edge: A key of ``calibration.edge_metrics`` (or ``""``).

    Returns:
        A plotly figure dict.

    Raises:
        ApiProblem: 400 for a metric the backend does not have.
    """
    cal = detail.get("calibration") or {}
    qubit_metrics: dict[str, Any] = cal.get("qubit_metrics") or {}
    edge_metrics: dict[str, Any] = cal.get("edge_metrics") or {}
    if qubit and qubit not in qubit_metrics:
        raise _bad_query(
            f"{detail.get('name')} has no qubit metric {qubit[:40]!r}.",
            f"Choose one of: {', '.join(sorted(qubit_metrics)) or 'none'}.",
        )
    if edge and edge not in edge_metrics:
        raise _bad_query(
            f"{detail.get('name')} has no edge metric {edge[:40]!r}.",
            f"Choose one of: {', '.join(sorted(edge_metrics)) or 'none'}.",
        )
    cmap = detail["coupling_map"]
    n = len(cmap["x"])
    positions = {q: (cmap["x"][q], cmap["y"][q]) for q in range(n)}
    cal_edges = [tuple(e) for e in cal.get("edges") or []]
    edge_values = None
    if edge:
        values = _colour_values(edge, edge_metrics[edge]["values"])
        edge_values = {
            (min(a, b), max(a, b)): v for (a, b), v in zip(cal_edges, values, strict=False)
        }
    figure = coupling_map_figure(
        n,
        cmap["edges"],
        qubit_values=_colour_values(qubit, qubit_metrics[qubit]["values"]) if qubit else None,
        qubit_metric=_label(qubit_metrics[qubit]) if qubit else "",
        edge_values=edge_values,
        edge_metric=_label(edge_metrics[edge]) if edge else "",
        layout=positions,
    )
    _hover_all(figure, n, cmap["edges"], qubit_metrics, edge_metrics, cal_edges)
    _mark_faulty(figure, positions, cal)
    return figure


def _hover_all(
    figure: dict[str, Any],
    n: int,
    edges: list[list[int]],
    qubit_metrics: dict[str, Any],
    edge_metrics: dict[str, Any],
    cal_edges: list[tuple[int, ...]],
) -> None:
    """Replace the one-metric hover texts by every metric of the qubit or edge."""
    by_name = {trace.get("name"): trace for trace in figure["data"]}
    qubits = by_name.get("qubits")
    if qubits is not None:
        qubits["hovertext"] = [
            "<br>".join(
                [f"<b>Q{q}</b>"]
                + [
                    f"{m['label']}: {_fmt(m['values'][q], m.get('unit', ''))}"
                    for m in qubit_metrics.values()
                ]
            )
            for q in range(n)
        ]
    index = {(min(a, b), max(a, b)): i for i, (a, b) in enumerate(cal_edges)}
    hover = by_name.get("edge hover")
    if hover is not None:
        pairs = sorted({(min(a, b), max(a, b)) for a, b in edges if a != b})
        texts = []
        for a, b in pairs:
            i = index.get((a, b))
            lines = [f"<b>{a}-{b}</b>"]
            if i is not None:
                lines += [
                    f"{m['label']}: {_fmt(m['values'][i], m.get('unit', ''))}"
                    for m in edge_metrics.values()
                ]
            texts.append("<br>".join(lines))
        hover["text"] = texts


def _mark_faulty(
    figure: dict[str, Any], positions: dict[int, tuple[float, float]], cal: dict[str, Any]
) -> None:
    faulty_qubits = [q for q in cal.get("faulty_qubits") or [] if q in positions]
    faulty_edges = [
        e for e in cal.get("faulty_edges") or [] if e[0] in positions and e[1] in positions
    ]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for a, b in faulty_edges:
        xs += [positions[a][0], positions[b][0], None]
        ys += [positions[a][1], positions[b][1], None]
    if faulty_edges:
        figure["data"].append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "name": "faulty edges",
                "hoverinfo": "skip",
                "showlegend": False,
                "line": {"width": 3, "dash": "dot", "color": FAULTY_COLOUR},
            }
        )
    if faulty_qubits:
        figure["data"].append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [positions[q][0] for q in faulty_qubits],
                "y": [positions[q][1] for q in faulty_qubits],
                "name": "faulty qubits",
                "hoverinfo": "skip",
                "showlegend": False,
                "marker": {"symbol": "x-thin-open", "size": 14, "color": FAULTY_COLOUR},
            }
        )


def _edge_trace_indices(figure: dict[str, Any]) -> list[int]:
    """The colour-bucket edge traces: the only traces an edge metric changes."""
    return [
        i
        for i, trace in enumerate(figure["data"])
        if trace.get("mode") == "lines" and trace.get("name") != "faulty edges"
    ]


def metric_styles(detail: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """What each metric changes in a drawn coupling map, as ``Plotly.restyle`` input.

    Args:
        detail: The ``GET backends/{name}`` body.
        base: The drawn figure (from :func:`coupling_figure`).

    Returns:
        ``{"qubit_trace", "qubit": {key: {"color", "title"}}, "edge_traces", "edge": {key:
        {"x", "y", "name"}}}``: one entry per metric, each a list per affected trace.
    """
    cal = detail.get("calibration") or {}
    qubit_trace = next((i for i, t in enumerate(base["data"]) if t.get("name") == "qubits"), -1)
    edge_traces = _edge_trace_indices(base)
    qubit_styles: dict[str, Any] = {}
    for key in cal.get("qubit_metrics") or {}:
        marker = coupling_figure(detail, key, "")["data"][qubit_trace]["marker"]
        qubit_styles[key] = {"color": marker["color"], "title": marker["colorbar"]["title"]["text"]}
    edge_styles: dict[str, Any] = {}
    for key in cal.get("edge_metrics") or {}:
        data = coupling_figure(detail, "", key)["data"]
        traces = [data[i] for i in _edge_trace_indices({"data": data})]
        edge_styles[key] = {
            "x": [t["x"] for t in traces],
            "y": [t["y"] for t in traces],
            "name": [t["name"] for t in traces],
        }
    return {
        "qubit_trace": qubit_trace,
        "qubit": qubit_styles,
        "edge_traces": edge_traces,
        "edge": edge_styles,
    }


class BackendFigureHandler(BackendHandler):
    """``GET backends/{name}/figure?qubit=T1&edge=cz_error&styles=1``: the coupling map as JSON."""

    @web.authenticated
    async def get(self, name: str) -> None:
        """Return ``{"name", "qubit", "edge", "figure"}`` (+ ``"styles"`` when ``styles=1``).

        The answer is cached with the backend detail.
        """
        qubit = self.get_query_argument("qubit", "")
        edge = self.get_query_argument("edge", "")
        styles = self.get_query_argument("styles", "0")
        if styles not in {"0", "1"}:
            raise _bad_query("'styles' must be 0 or 1.", "styles=1 adds every metric's colours.")
        runtime = await self.runtime()
        key = ("figure-json", runtime.ref.key, name, qubit, edge, styles)
        body = self.qrt.hub.detail_cache.get(key)
        if body is None:
            captured: list[str] = []
            # reuse the detail handler's fetch and cache; its answer is captured, not sent
            self.finish = captured.append  # type: ignore[method-assign,assignment]
            try:
                pending = BackendHandler.get(self, name)
                if pending is not None:
                    await pending
            finally:
                del self.finish
            detail = json.loads(captured[0])
            figure = await asyncio.to_thread(coupling_figure, detail, qubit, edge)
            answer = {"name": name, "qubit": qubit, "edge": edge, "figure": figure}
            if styles == "1":
                answer["styles"] = await asyncio.to_thread(metric_styles, detail, figure)
            body = json.dumps(answer)
            self.qrt.hub.detail_cache.put(key, body)
        self.set_header("Content-Type", "application/json")
        self.finish(body)


def _int_arg(handler: web.RequestHandler, name: str, default: int, low: int, high: int) -> int:
    raw = handler.get_query_argument(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise _bad_query(
            f"'{name}' must be an integer.", f"For example {name}={default}."
        ) from None
    if not low <= value <= high:
        raise _bad_query(f"'{name}' must be between {low} and {high}.", f"{name}={default}")
    return value


def result_figure(
    summary: dict[str, Any], pub: int, register: str, top_k: int, sort: str, axis: int
) -> dict[str, Any]:
    """One PUB of a result summary as figure JSON (histogram or expectation values).

    Args:
        summary: The ``GET jobs/{id}/result`` body of a completed job.
        pub: PUB index.
        register: Classical register of a sampler PUB (``""``: the first one).
        top_k: Outcomes shown individually (at most what the summary kept).
        sort: ``"count"`` or ``"key"``.
        axis: For a 2-D estimator shape, the axis along the x axis (0 or 1).

    Returns:
        ``{"kind", "pub", "register", "registers", "figure"}``.

    Raises:
        ApiProblem: 400 for a PUB or register the result does not have.
    """
    pubs = summary.get("pubs") or []
    if not 0 <= pub < len(pubs):
        raise _bad_query(f"The result has {len(pubs)} PUB(s), not {pub + 1}.", "pub=0")
    entry = pubs[pub]
    registers = entry.get("registers") or {}
    if registers:
        name = register or next(iter(registers))
        if name not in registers:
            raise _bad_query(
                f"PUB {pub} has no register {name[:40]!r}.",
                f"Choose one of: {', '.join(registers)}.",
            )
        reg = registers[name]
        figure = counts_histogram_figure(reg["top_counts"], top_k=top_k, sort=sort)
        _add_other(figure, int(reg.get("other") or 0), int(reg.get("total_shots") or 0))
        return {
            "kind": "sampler",
            "pub": pub,
            "register": name,
            "registers": list(registers),
            "figure": figure,
        }
    arrays = entry.get("arrays") or {}
    if "evs" in arrays:
        evs = arrays["evs"]["values"]
        stds = (arrays.get("stds") or {}).get("values")
        if axis == 1 and isinstance(evs, list) and evs and isinstance(evs[0], list):
            evs = [list(col) for col in zip(*evs, strict=True)]
            stds = [list(col) for col in zip(*stds, strict=True)] if stds else None
        figure = expectation_values_figure(evs, stds)
        figure["layout"]["xaxis"]["title"] = {"text": "parameter index"}
        return {"kind": "estimator", "pub": pub, "register": "", "registers": [], "figure": figure}
    raise _bad_query(f"PUB {pub} has neither counts nor expectation values to plot.", "pub=0")


def _add_other(figure: dict[str, Any], other: int, total: int) -> None:
    """Append the summary's "other" (outcomes beyond the top-k) and fix the percentages."""
    trace = figure["data"][0]
    labels, values = list(trace["x"]), list(trace["y"])
    if other:
        if labels and labels[-1] == "other":
            values[-1] += other
        else:
            labels.append("other")
            values.append(other)
    total = total or sum(values) or 1
    trace["x"], trace["y"] = labels, values
    trace["hovertext"] = [
        f"{label}<br>{v} ({100 * v / total:.2f}%)" for label, v in zip(labels, values, strict=True)
    ]
    trace["marker"]["color"] = [
        "#9e9e9e" if label == "other" else trace["marker"]["color"][0] for label in labels
    ]


class JobFigureHandler(JobResultHandler):
    """``GET jobs/{id}/figure?pub=0&register=meas&top_k=16&sort=count&axis=0``."""

    @web.authenticated
    async def get(self, job_id: str) -> None:
        """Return the figure of one PUB of a completed job (409 while it runs)."""
        pub = _int_arg(self, "pub", 0, 0, 100_000)
        top_k = _int_arg(self, "top_k", 16, 1, 1024)
        axis = _int_arg(self, "axis", 0, 0, 1)
        sort = self.get_query_argument("sort", "count")
        if sort not in {"count", "key"}:
            raise _bad_query("'sort' must be 'count' or 'key'.", "sort=count")
        register = self.get_query_argument("register", "")
        captured: list[Any] = []
        # reuse the result handler's fetch, decoding and cache; its answer is captured, not sent
        self.write_json = lambda payload, status=200: captured.append(payload)  # type: ignore[method-assign]
        try:
            pending = JobResultHandler.get(self, job_id)
            if pending is not None:
                await pending
        finally:
            del self.write_json
        summary = captured[0]
        if summary.get("status") != "Completed":
            raise ApiProblem(
                409,
                "invalid_state",
                f"Job {job_id} is {str(summary.get('status')).lower()}; it has no result to plot.",
                "Open the job to read why.",
            )
        body = await asyncio.to_thread(result_figure, summary, pub, register, top_k, sort, axis)
        body["id"] = job_id
        body["pubs"] = len(summary.get("pubs") or [])
        self.write_json(body)
