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

from ...plots import SORTS, coupling_map_figure
from ...runtime.summaries.results import result_registers
from ..problems import ApiProblem
from ..result_figures import FigureQuery, needs_registers, result_figure
from .backends import BackendHandler
from .base import query_int
from .jobs import JobResultHandler, result_undecodable

__all__ = ["BackendFigureHandler", "JobFigureHandler", "metric_styles", "result_figure"]


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
        faulty_qubits=cal.get("faulty_qubits") or [],
        faulty_edges=cal.get("faulty_edges") or [],
    )
    _hover_all(figure, n, cmap["edges"], qubit_metrics, edge_metrics, cal_edges)
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
        {"x", "y", "name"}}}``: one entry per metric (a qubit entry also has its "colorscale":
        the better colour sits at the metric's better end), each a list per affected trace.
    """
    cal = detail.get("calibration") or {}
    qubit_trace = next((i for i, t in enumerate(base["data"]) if t.get("name") == "qubits"), -1)
    edge_traces = _edge_trace_indices(base)
    qubit_styles: dict[str, Any] = {}
    for key in cal.get("qubit_metrics") or {}:
        marker = coupling_figure(detail, key, "")["data"][qubit_trace]["marker"]
        qubit_styles[key] = {
            "color": marker["color"],
            "colorscale": marker["colorscale"],
            "title": marker["colorbar"]["title"]["text"],
        }
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
    raw = handler.get_query_argument(name, None)
    return query_int(raw, name, default, low, high)


def _choice(handler: web.RequestHandler, name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = handler.get_query_argument(name, default)
    if value not in allowed:
        raise _bad_query(
            f"'{name}' must be one of {', '.join(allowed)}.", f"For example {name}={default}."
        )
    return value


def _decode_registers(text: str) -> list[dict[str, Any]]:
    """Decode a result body into its packed registers per PUB: CPU work, run in a thread."""
    from qrt_lab.runtime import codec

    return result_registers(codec.decode_result(text)) if text else []


class JobFigureHandler(JobResultHandler):
    """``GET jobs/{id}/figure?pub=0&register=meas&top_k=16&sort=count&index=2,1&x=0&at=:,1``."""

    def _query(self) -> FigureQuery:
        top_k_max = self.qrt.config.figure_top_k_max
        return FigureQuery(
            pub=_int_arg(self, "pub", 0, 0, 100_000),
            register=self.get_query_argument("register", ""),
            top_k=_int_arg(self, "top_k", 16, 1, top_k_max),
            sort=_choice(self, "sort", "count", ("count", "key", *SORTS)),
            labels=_choice(self, "labels", "raw", ("raw", "ket")),
            index=self.get_query_argument("index", ""),
            axis=_int_arg(self, "axis", 0, 0, 1),
            x=self.get_query_argument("x", ""),
            at=self.get_query_argument("at", ""),
            param=self.get_query_argument("param", "")[:200],
        )

    async def _summary(self, job_id: str) -> dict[str, Any]:
        captured: list[Any] = []
        # reuse the result handler's fetch, decoding and cache; its answer is captured, not sent
        self.write_json = lambda payload, status=200: captured.append(payload)  # type: ignore[method-assign]
        try:
            pending = JobResultHandler.get(self, job_id)
            if pending is not None:
                await pending
        finally:
            del self.write_json
        summary: dict[str, Any] = captured[0]
        if summary.get("status") != "Completed":
            raise ApiProblem(
                409,
                "invalid_state",
                f"Job {job_id} is {str(summary.get('status')).lower()}; it has no result to plot.",
                "Open the job to read why.",
            )
        return summary

    async def _registers(self, job_id: str) -> list[dict[str, Any]]:
        """The job's packed registers, decoded once and kept in ``registers_cache``."""
        runtime = await self.runtime()
        key = (runtime.ref.key, job_id)
        cached: list[dict[str, Any]] | None = self.qrt.registers_cache.get(key)
        if cached is not None:
            return cached
        _, text = await self.call(
            f"result of job {job_id}", lambda rest: rest.job_results(job_id), ("result", job_id)
        )
        try:
            registers = await asyncio.to_thread(_decode_registers, text or "")
        except Exception as exc:  # noqa: BLE001 - an undecodable result is reported, not a 500
            raise result_undecodable(job_id, exc) from None
        self.qrt.registers_cache.put(key, registers)
        return registers

    @web.authenticated
    async def get(self, job_id: str) -> None:
        """Return the figure of one PUB of a completed job (409 while it runs)."""
        query = self._query()
        summary = await self._summary(job_id)
        registers = await self._registers(job_id) if needs_registers(summary, query) else None
        body = await asyncio.to_thread(
            result_figure,
            summary,
            query.pub,
            query.register,
            query.top_k,
            query.sort,
            query.axis,
            query=query,
            registers=registers,
        )
        body["id"] = job_id
        body["pubs"] = len(summary.get("pubs") or [])
        self.write_json(body)
