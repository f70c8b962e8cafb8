"""``JobMonitor``: live status of one job, several, or every recent job of a service."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import traitlets

from qrt_lab.runtime.summaries import words
from qrt_lab.runtime.summaries.reasons import explain_reason

from ._poller import FINAL, Throttle, Watch, job_key, job_status, poller
from ._theme import CSS
from .static import PLOTLY_MIME, StaticRepr, rows_table

__all__ = ["JobMonitor", "failure_reason", "job_facts", "watch_jobs"]


def _call(obj: Any, name: str) -> Any:
    value = getattr(obj, name, None)
    try:
        return value() if callable(value) else value
    except Exception:  # noqa: BLE001 - a missing fact is shown as "-", never raised
        return None


def job_facts(job: Any) -> dict[str, str]:
    """What a row shows of a job of any client, from cached data (no request)."""
    backend = _call(job, "backend")
    created = _call(job, "creation_date")
    return {
        "id": str(_call(job, "job_id") or "?"),
        "backend": str(getattr(backend, "name", backend) or "-"),
        "primitive": str(_call(job, "primitive_id") or "-"),
        "created": words.local_time(created) if hasattr(created, "strftime") else words.DASH,
        "status": job_status(job),
    }


def failure_reason(job: Any) -> str:
    """Why a job failed or was cancelled, and what to do next (may make one request, once)."""
    code = getattr(job, "_reason_code", None)
    reason = getattr(job, "_reason", None)
    if job_status(job) == "ERROR" and not reason:
        message = _call(job, "error_message")
        reason = str(message).strip().splitlines()[-1] if message else None
    explained = explain_reason(code, reason)
    if explained is None:
        return ""
    number = f" (code {explained.code})" if explained.code is not None else ""
    return f"{explained.title}{number}: {explained.explanation} What to do next: {explained.hint}"


def _refresh_once(jobs: list[Any]) -> None:
    """Fetch each unfinished job once, so the first row shows what the sidebar shows.

    A job object fresh from ``run()`` knows only "QUEUED" and no creation time; one ``status()``
    brings its document (status, times). Errors are left to the poller, which reports them.
    """
    for job in jobs:
        # a job read from the service has its document already; only fresh ones need a fetch
        if job_status(job) in FINAL or _call(job, "creation_date") is not None:
            continue
        try:
            job.status()
        except Exception:  # noqa: BLE001 - the poller retries and shows the error
            continue


class _JobRow(w.HBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """One job: facts, status, reason, cancel and result buttons."""

    def __init__(self, job: Any, monitor: JobMonitor) -> None:
        super().__init__(layout=w.Layout(align_items="center"))
        self.job = job
        self.facts = w.HTML()
        self.cancel = w.Button(description="Cancel", icon="stop", layout=w.Layout(width="90px"))
        self.cancel.on_click(lambda _b: monitor.cancel(job))
        self.show = w.Button(description="Result", icon="bar-chart", layout=w.Layout(width="90px"))
        self.show.on_click(lambda _b: monitor.show_result(job))
        self.children = [self.facts, self.cancel, self.show]

    def render(self, reason: str, *, ticking: bool = False) -> str:
        """The row's HTML; with ``ticking`` (while watched) its creation time carries an age."""
        facts = job_facts(self.job)
        if ticking:
            facts["created"] = words.local_time_and_age(_call(self.job, "creation_date"))
        status = facts["status"]
        why = f'<div class="qrt-error">{html.escape(reason)}</div>' if reason else ""
        return (
            f'<div style="min-width:34em"><code>{html.escape(facts["id"])}</code> '
            f'<span class="qrt-muted">{html.escape(facts["primitive"])} on '
            f"{html.escape(facts['backend'])} · {facts['created']}</span> "
            f'<span class="qrt-status qrt-{html.escape(status)}">'
            f"{html.escape(words.status_word(status))}</span>"
            f"{why}</div>"
        )

    def update(self, reason: str, *, ticking: bool = False) -> None:
        """Show the job's facts and enable the buttons its status allows."""
        self.facts.value = self.render(reason, ticking=ticking)
        status = job_status(self.job)
        self.cancel.disabled = status in FINAL
        # a finished job cannot be cancelled: no greyed-out button on every finished row
        self.cancel.layout.display = "none" if status in FINAL else None
        self.show.disabled = status != "DONE"


class JobMonitor(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """Live status of jobs, refreshed by the kernel's one poller; cancel buttons and results.

    Args:
        jobs_or_service: One job, a list of jobs (qrt-lab's or qiskit-ibm-runtime's), or a
            service (its ``limit`` most recent jobs, re-listed every poll).
        limit: How many recent jobs of a service to show.
        show_results: Show the result figure below when a single watched job is done.
        interval: Seconds between polls (the kernel's poller uses the smallest asked for).
    """

    statuses = traitlets.Dict(help="Job id → last known status.")
    reasons = traitlets.Dict(help="Job id → why it failed or was cancelled.")
    watching = traitlets.Bool(False, help="Whether the poller still refreshes these jobs.")
    error = traitlets.Unicode("", help="The last poll or action error, or empty.")

    def __init__(
        self,
        jobs_or_service: Any,
        *,
        limit: int = 20,
        show_results: bool = True,
        interval: float | None = None,
    ) -> None:
        super().__init__()
        self._service = None
        if _is_service(jobs_or_service):
            self._service = jobs_or_service
            jobs = list(jobs_or_service.jobs(limit=limit))
        elif isinstance(jobs_or_service, Sequence):
            jobs = list(jobs_or_service)
        else:
            jobs = [jobs_or_service]
        if self._service is None:
            _refresh_once(jobs)
        self._limit = limit
        self._auto_result = show_results and len(jobs) == 1 and self._service is None
        self._rows: dict[str, _JobRow] = {}
        self._jobs = jobs
        self._table = w.VBox()
        self._message = w.HTML()
        self.result = w.VBox()
        heading = "recent jobs" if self._service is not None else words.plural(len(jobs), "job")
        self._heading = w.HTML(f"<b>Jobs</b> <span class='qrt-muted'>{heading}</span>")
        self.children = [w.HTML(CSS), self._heading, self._table, self._message, self.result]
        self.add_class("qrt-w")
        self._redraw_throttled = Throttle(self._redraw)
        self._watch = Watch(
            jobs=self._jobs,
            on_change=self._on_change,
            refresh=self._relist if self._service is not None else self._tick,
            on_error=self._on_error,
            listed=self._service is not None,
        )
        self._redraw()
        if interval is not None:
            poller().interval = min(poller().interval, interval)
        self.start()

    # --- watching
    def start(self) -> None:
        """Watch the jobs (again); done automatically by the constructor."""
        if self.watching:
            return
        if self._service is None and all(job_status(j) in FINAL for j in self._jobs):
            self._finish()
            return
        self.watching = True
        poller().watch(self._watch)

    def stop(self) -> None:
        """Stop watching (the poller thread exits when no monitor is left)."""
        poller().unwatch(self._watch)
        self.watching = False

    def close(self) -> None:
        """Stop watching and close the widget."""
        self.stop()
        super().close()

    def _relist(self) -> None:
        assert self._service is not None
        self._jobs[:] = list(self._service.jobs(limit=self._limit))
        self._redraw_throttled()

    def _tick(self) -> None:
        """Once per poll: redraw when an age shown in a row has changed."""
        if any(row.facts.value != row.render(self.reasons.get(key, ""), ticking=True)
               for key, row in self._rows.items()):  # fmt: skip
            self._redraw_throttled()

    def _on_change(self, changed: list[Any]) -> None:
        reasons = dict(self.reasons)
        for job in changed:
            if job_status(job) in ("ERROR", "CANCELLED"):
                reasons[job_key(job)] = failure_reason(job)
        self.reasons = reasons
        self._redraw_throttled()
        if self._service is None and all(job_status(j) in FINAL for j in self._jobs):
            self._finish()

    def _on_error(self, message: str) -> None:
        self.error = message

    def _finish(self) -> None:
        self.stop()
        if any(job_status(j) in ("ERROR", "CANCELLED") for j in self._jobs):
            reasons = dict(self.reasons)
            for job in self._jobs:
                key = job_key(job)
                if job_status(job) in ("ERROR", "CANCELLED") and key not in reasons:
                    reasons[key] = failure_reason(job)
            self.reasons = reasons
        self._redraw()
        if self._auto_result and job_status(self._jobs[0]) == "DONE":
            self.show_result(self._jobs[0])

    # --- drawing and actions
    def _redraw(self) -> None:
        statuses = {}
        rows = []
        for job in self._jobs:
            key = job_key(job)
            row = self._rows.get(key) or _JobRow(job, self)
            row.job = job
            self._rows[key] = row
            row.update(self.reasons.get(key, ""), ticking=self.watching)
            statuses[key] = job_status(job)
            rows.append(row)
        self.statuses = statuses
        if list(self._table.children) != rows:
            self._table.children = rows
        self._message.value = (
            f'<span class="qrt-error">{html.escape(self.error)}</span>' if self.error else ""
        )

    def static_parts(self) -> dict[str, Any]:
        """The jobs as an HTML table (id, primitive, backend, created, status, reason), text."""
        columns = ["Job", "Primitive", "Backend", "Created", "Status", "Reason"]
        rows = []
        for job in self._jobs:
            facts = job_facts(job)
            reason = self.reasons.get(job_key(job), "")
            rows.append([facts[k] for k in ("id", "primitive", "backend", "created", "status")])
            rows[-1].append(reason or "-")
        text = "JobMonitor: " + ", ".join(f"{r[0]} {r[4]}" for r in rows)
        parts = {"text/html": rows_table("jobs", "Jobs", columns, rows), "text/plain": text}
        done = [c for c in self.result.children if isinstance(c, StaticRepr)]
        if done:
            result = done[0].static_parts()
            parts["text/html"] += result.get("text/html", "")
            if PLOTLY_MIME in result:
                parts[PLOTLY_MIME] = result[PLOTLY_MIME]
        return parts

    @traitlets.observe("error")
    def _show_error(self, _change: Any) -> None:
        self._redraw_throttled()

    def cancel(self, job: Any) -> None:
        """Cancel one job (the cancel button)."""
        try:
            job.cancel()
        except Exception as err:  # noqa: BLE001 - the reason is shown next to the jobs
            self.error = f"Could not cancel {_call(job, 'job_id')}: {err}"
        self._redraw()
        if self.watching:
            poller()._wake.set()

    def show_result(self, job: Any) -> None:
        """Show the result figure of a finished job below the table."""
        from .results import result_widget, timeline_widget

        try:
            result = job.result()
            parts = [result_widget(result)]
        except Exception as err:  # noqa: BLE001 - shown to the user with what failed
            self.error = f"Could not show the result of {_call(job, 'job_id')}: {err}"
            return
        timeline = timeline_widget(result)
        if timeline is not None:
            parts.append(timeline)
        self.result.children = parts


def _is_service(value: Any) -> bool:
    return callable(getattr(value, "jobs", None)) and callable(getattr(value, "backends", None))


def watch_jobs(jobs_or_service: Any, **options: Any) -> JobMonitor:
    """Watch jobs in a live :class:`JobMonitor` (the hook ``%qruntime watch`` builds on).

    Args:
        jobs_or_service: See :class:`JobMonitor`.
        **options: Passed to :class:`JobMonitor`.

    Returns:
        The monitor (display it, or let the cell show it).
    """
    return JobMonitor(jobs_or_service, **options)
