"""``SessionMonitor``: a session's or batch's state, time left, jobs, and a close button."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as w
import traitlets

from qrt_lab.runtime.summaries import words

from ._poller import FINAL, Throttle, Watch, job_status, poller
from ._theme import CSS
from .static import StaticRepr, rows_table

__all__ = ["SessionMonitor", "time_left"]


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def time_left(details: dict[str, Any], now: dt.datetime | None = None) -> float | None:
    """Seconds until the session's maximum time runs out, or None when unknown."""
    max_time = details.get("max_time")
    started = _parse_time(details.get("activated_at") or details.get("started_at"))
    if not isinstance(max_time, (int, float)) or started is None:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, float(max_time) - (now - started).total_seconds())


class SessionMonitor(StaticRepr, w.VBox):  # type: ignore[misc]  # ipywidgets ships no hints
    """Live state of a ``Session`` or ``Batch`` (qrt-lab's or qiskit-ibm-runtime's).

    Args:
        session: The session or batch to watch.
        show_jobs: Also list the session's jobs (one more list request per poll).
    """

    state = traitlets.Unicode("", help="The session status as the service reports it.")
    seconds_left = traitlets.Float(None, allow_none=True, help="Seconds until max time.")
    job_count = traitlets.Int(0, help="Jobs of the session.")
    closed = traitlets.Bool(False, help="Whether the session no longer accepts jobs.")
    error = traitlets.Unicode("", help="The last poll or action error, or empty.")

    def __init__(self, session: Any, *, show_jobs: bool = True) -> None:
        super().__init__()
        self.session = session
        self._show_jobs = show_jobs
        self._details: dict[str, Any] = {}
        self._jobs: list[Any] = []
        self._summary = w.HTML()
        self.close_button = w.Button(description=f"Close {self.kind.lower()}", icon="times")
        self.close_button.on_click(lambda _b: self.close_session())
        self.jobs = w.VBox()
        self.children = [w.HTML(CSS), self._summary, self.close_button, self.jobs]
        self.add_class("qrt-w")
        self._redraw_throttled = Throttle(self._redraw)
        self._watch = Watch(jobs=[], on_change=lambda _c: None, refresh=self.refresh,
                            on_error=self._on_error, listed=True)  # fmt: skip
        self.refresh()
        if not self.closed:
            poller().watch(self._watch)

    @property
    def kind(self) -> str:
        """The word for it, as the sidebar says: "Batch" or "Session"."""
        mode = self._details.get("mode") or type(self.session).__name__
        return "Batch" if str(mode).lower() == "batch" else "Session"

    @property
    def session_id(self) -> str | None:
        """The session id."""
        return getattr(self.session, "session_id", None)

    def refresh(self) -> None:
        """Fetch the session's details (and jobs); called by the poller each interval."""
        self._details = dict(self.session.details() or {})
        self.state = str(self._details.get("state") or ("closed" if not self.session_id else ""))
        self.seconds_left = time_left(self._details)
        accepting = self._details.get("accepting_jobs")
        # a session never reopens: once closed (here or by the service) it stays closed
        self.closed = (
            self.closed or self.state in ("closed", "pending_closed") or accepting is False
        )
        service = getattr(self.session, "service", None)
        if self._show_jobs and self.session_id and service is not None:
            self._jobs = list(service.jobs(session_id=self.session_id, limit=50))
            self.job_count = len(self._jobs)
        if self.state == "closed":
            poller().unwatch(self._watch)
        self._redraw_throttled()

    def _on_error(self, message: str) -> None:
        self.error = message
        self._redraw_throttled()

    def close_session(self) -> None:
        """Close the session (the button): running and queued jobs still finish."""
        try:
            self.session.close()
        except Exception as err:  # noqa: BLE001 - shown to the user, who can retry
            self.error = f"Could not close the session: {err}"
        self.closed = True
        self.refresh()
        self._redraw()  # a click redraws at once, not throttled

    def stop(self) -> None:
        """Stop watching."""
        poller().unwatch(self._watch)

    def close(self) -> None:
        """Stop watching and close the widget."""
        self.stop()
        super().close()

    def static_parts(self) -> dict[str, Any]:
        """The session's facts and its jobs as HTML tables, and a line of text."""
        from .jobs import job_facts

        d = self._details
        facts = [
            (self.kind, self.session_id),
            ("Mode", d.get("mode") or type(self.session).__name__.lower()),
            ("Backend", d.get("backend_name") or _backend(self.session)),
            ("State", self.state or "-"),
            ("Jobs", words.session_jobs(self.job_count, self._unfinished())),
        ]
        title = f"{type(self.session).__name__} {self.session_id}"
        table = rows_table("session", title, ["", "value"], facts)
        jobs = [[f["id"], f["primitive"], f["status"]] for f in map(job_facts, self._jobs)]
        if jobs:
            table += rows_table("session jobs", "Jobs", ["Job", "Primitive", "Status"], jobs)
        text = f"SessionMonitor: {title} {self.state or '-'}, {self.job_count} job(s)"
        return {"text/html": table, "text/plain": text}

    def _unfinished(self) -> int | None:
        """How many of the listed jobs are queued or running (None: the jobs are not listed)."""
        if not self._show_jobs:
            return None
        return sum(1 for job in self._jobs if job_status(job) not in FINAL)

    def _redraw(self) -> None:
        from .jobs import job_facts

        d = self._details
        mode = d.get("mode") or type(self.session).__name__.lower()
        # a closed session has no time left, whatever its maximum time says
        left = None if self.closed else self.seconds_left
        rows = [
            (self.kind, f"<code>{html.escape(str(self.session_id))}</code>"),
            ("Mode", html.escape(str(mode))),
            ("Backend", html.escape(str(d.get("backend_name") or _backend(self.session)))),
            (
                "State",
                f'<span class="qrt-status">{html.escape(words.status_word(self.state))}</span>',
            ),
            ("Accepting jobs", "yes" if d.get("accepting_jobs") else "no"),
            ("Time left", words.duration(left)),
            ("Usage", _usage(d)),
            ("Jobs", words.session_jobs(self.job_count, self._unfinished())),
        ]
        table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        error = f'<div class="qrt-error">{html.escape(self.error)}</div>' if self.error else ""
        self._summary.value = f"<table>{table}</table>{error}"
        self.close_button.disabled = self.closed
        lines = []
        for job in self._jobs:
            facts = job_facts(job)
            lines.append(
                f"<tr><td><code>{html.escape(facts['id'])}</code></td>"
                f"<td>{html.escape(facts['primitive'])}</td>"
                f'<td class="qrt-status qrt-{facts["status"]}">'
                f"{words.status_word(facts['status'])}</td></tr>"
            )
        self.jobs.children = [w.HTML(f"<table>{''.join(lines)}</table>")] if lines else []


def _usage(details: dict[str, Any]) -> str:
    """The session's quantum seconds, explained in a tooltip."""
    seconds = details.get("usage_time", details.get("elapsed_time"))
    hint = html.escape(words.USAGE_EXPLAINED, quote=True)
    return f'<span title="{hint}">{html.escape(words.duration(seconds))}</span>'


def _backend(session: Any) -> str:
    backend = getattr(session, "backend", None)
    try:
        return str(backend() if callable(backend) else backend)
    except Exception:  # noqa: BLE001 - only a label
        return "-"
