"""Job routes (spec §3.5 to 3.13): submit, list, get, results, cancel, logs, metrics, tags."""

from __future__ import annotations

import json
from datetime import timezone
from typing import Any

import tornado.web
from tornado.http1connection import HTTP1Connection

from qrt_lab.local.errors import ApiError
from qrt_lab.local.store import FINAL_STATUSES, QUEUED, JobFilter, format_time
from qrt_lab.runtime.api.timestamps import read_timestamp

from .base import RuntimeHandler
from .limits import parse_json_body, query_int
from .submission import parse_submission
from .wire import job_json, job_json_text, job_metrics

UTC = timezone.utc

__all__ = [
    "JobCancelHandler",
    "JobHandler",
    "JobLogsHandler",
    "JobMetricsHandler",
    "JobResultsHandler",
    "JobTagsHandler",
    "JobsHandler",
]

MAX_LIMIT = 200
MAX_OFFSET = 2**63 - 1  # SQLite's largest INTEGER


def _flag(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise ApiError.bad_request(f"'{name}' must be 'true' or 'false', not {value!r}.")
    return lowered == "true"


def _time(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return format_time(read_timestamp(value.replace(" ", "+")))
    except (ValueError, OverflowError):  # OverflowError: out of range once converted to UTC
        raise ApiError.bad_request(
            f"'{name}' must be an ISO-8601 time such as 2026-05-01T12:00:00Z, not {value!r}."
        ) from None


@tornado.web.stream_request_body
class JobsHandler(RuntimeHandler):
    """``POST /jobs`` (body streamed, size-limited) and ``GET /jobs`` (filtered pages)."""

    _chunks: list[bytes]
    _received: int
    _request_read = False

    def prepare(self) -> None:
        """Authenticate, then accept a body up to the configured limit (read and counted)."""
        self._chunks, self._received = [], 0
        super().prepare()
        limit = self.service.config.max_body_bytes
        connection = self.request.connection
        if isinstance(connection, HTTP1Connection):
            connection.set_max_body_size(max(limit * 4, limit + 1024 * 1024))
        declared = self.request.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit * 4:
            self._received = int(declared)
            raise self._too_large()

    def data_received(self, chunk: bytes) -> None:
        """Keep chunks until the limit; beyond it only count them."""
        self._received += len(chunk)
        if self._received <= self.service.config.max_body_bytes:
            self._chunks.append(chunk)
        else:
            self._chunks = []

    def _too_large(self) -> ApiError:
        limit_mb = self.service.config.max_body_bytes / (1024 * 1024)
        return ApiError(
            413,
            "payload_too_large",
            f"The job is {self._received / (1024 * 1024):.1f} MB or more; the limit is "
            f"{limit_mb:.0f} MB. Submit fewer or smaller PUBs per job.",
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Render the error; ask the client to reconnect if the request was not read to the end."""
        if not self._request_read:
            # tornado closes the connection after an error raised mid-request (in prepare)
            self.set_header("Connection", "close")
        super().write_error(status_code, **kwargs)

    def post(self) -> None:
        """Validate and queue a job."""
        self._request_read = True
        if self._received > self.service.config.max_body_bytes:
            raise self._too_large()
        body = parse_json_body(b"".join(self._chunks), limit=None)
        sub = parse_submission(
            body, self.service.catalog, self.service.config.max_execution_time_limit
        )
        caller = self.request.headers.get("X-Qx-Client-Application")
        row = self.service.submit(sub, self.instance, caller)
        reply: dict[str, Any] = {"id": row["id"], "backend": row["backend"]}
        if row["session_id"]:
            reply["session_id"] = row["session_id"]
        if row["private"]:
            reply["private"] = True
        self.write_json(reply)

    def get(self) -> None:
        """List jobs; ``count`` is the total matching the filters, ignoring limit/offset."""
        self._request_read = True
        arg = self.get_query_argument
        sort = (arg("sort", None) or "DESC").upper()
        if sort not in ("ASC", "DESC"):
            raise ApiError.bad_request(f"'sort' must be ASC or DESC, not {sort!r}.")
        limit = min(query_int(arg("limit", None), "limit", MAX_LIMIT, 1, MAX_OFFSET), MAX_LIMIT)
        flt = JobFilter(
            instance=self.instance,
            limit=limit,
            offset=query_int(arg("offset", None), "offset", 0, 0, MAX_OFFSET),
            backend=arg("backend", None) or None,
            pending=_flag(arg("pending", None), "pending"),
            program=arg("program", None) or None,
            tags=tuple(dict.fromkeys(self.get_query_arguments("tags"))),
            session_id=arg("session_id", None) or None,
            created_after=_time(arg("created_after", None), "created_after"),
            created_before=_time(arg("created_before", None), "created_before"),
            ascending=sort == "ASC",
        )
        rows, count = self.service.store.list_jobs(flt)
        exclude = _flag(arg("exclude_params", None), "exclude_params")
        jobs = []
        for row in rows:
            job = job_json(row)
            if exclude is False and not row["private"]:
                job["params"] = json.loads(self.service.store.params(row["id"]))
            jobs.append(job)
        self.write_json({"jobs": jobs, "count": count, "limit": flt.limit, "offset": flt.offset})


class JobHandler(RuntimeHandler):
    """``GET /jobs/{id}`` and ``DELETE /jobs/{id}``."""

    def get(self, job_id: str) -> None:
        """One job; ``params`` unless ``exclude_params=true`` or the job is private."""
        row = self.service.require_job(job_id, self.instance)
        exclude = _flag(self.get_query_argument("exclude_params", None), "exclude_params")
        params = None if exclude or row["private"] else self.service.store.params(job_id)
        self.write_json_text(job_json_text(row, params))

    def delete(self, job_id: str) -> None:
        """Delete a finished or queued job (a queued one leaves the queue); 409 while running."""
        row = self.service.require_job(job_id, self.instance)
        if row["status"] == QUEUED:
            self.service.scheduler.cancel(job_id, self.instance)
        elif row["status"] not in FINAL_STATUSES:
            raise ApiError.conflict(
                f"Job {job_id} is {row['status']}; only finished or queued jobs can be deleted. "
                "Cancel it first.",
                code="job_not_final",
            )
        self.service.store.delete_job(job_id)
        self.no_content()


class JobResultsHandler(RuntimeHandler):
    """``GET /jobs/{id}/results``: the result JSON text, or the error text of a failed job.

    A private job's result is served once: the first read after it completed deletes it.
    """

    def get(self, job_id: str) -> None:
        """Serve the stored text (204 while there is none, or once a private result was read)."""
        row = self.service.require_job(job_id, self.instance)
        text = self.service.store.result(job_id)
        if text is None:
            self.no_content()
            return
        if row["private"] and row["status"] == "Completed":
            self.service.store.delete_result(job_id)
        self.set_header("Content-Type", "application/json")
        self.finish(text)


class JobCancelHandler(RuntimeHandler):
    """``POST /jobs/{id}/cancel``: 204, or 409 when the job is already final."""

    def post(self, job_id: str) -> None:
        """Cancel the job."""
        self.service.scheduler.cancel(job_id, self.instance)
        self.no_content()


class JobLogsHandler(RuntimeHandler):
    """``GET /jobs/{id}/logs`` (text)."""

    def get(self, job_id: str) -> None:
        """Serve the job's log lines."""
        row = self.service.require_job(job_id, self.instance)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(row["logs"])


class JobMetricsHandler(RuntimeHandler):
    """``GET /jobs/{id}/metrics``: timestamps and usage."""

    def get(self, job_id: str) -> None:
        """Serve the metrics."""
        self.write_json(job_metrics(self.service.require_job(job_id, self.instance)))


class JobTagsHandler(RuntimeHandler):
    """``PUT /jobs/{id}/tags`` with ``{"tags": [...]}`` → 204."""

    def put(self, job_id: str) -> None:
        """Replace the job's tags."""
        self.service.require_job(job_id, self.instance)
        body = self.json_body()
        tags = body.get("tags") if isinstance(body, dict) else None
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ApiError.bad_request('The body must be {"tags": [<string>, ...]}.')
        self.service.store.update_job(job_id, tags=json.dumps(list(dict.fromkeys(tags))))
        self.no_content()
