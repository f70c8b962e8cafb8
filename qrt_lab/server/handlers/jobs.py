"""``/qrt-lab/api/jobs``: list with filters, detail, result summary, cancel, delete, tags."""

from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING, Any

from tornado import web

from ...runtime.api.timestamps import read_timestamp
from ...runtime.summaries.jobs import JobSummary, api_status, job_detail
from ...runtime.summaries.results import summarize_result
from ..encoded_body import EncodedBody
from ..problems import ApiProblem
from .base import query_int
from .runtime_base import RuntimeApiHandler

if TYPE_CHECKING:
    from ...runtime.api.rest import AsyncRuntimeRest
    from ..active_runtime import ActiveRuntime


__all__ = [
    "JobCancelHandler",
    "JobHandler",
    "JobResultHandler",
    "JobTagsHandler",
    "JobsHandler",
    "result_undecodable",
]

#: Not all dots: the id goes into the runtime URL path, where ".." would climb out of /jobs/.
_ID = re.compile(r"^(?!\.+$)[A-Za-z0-9_.\-]{1,100}$")
_STATUSES = {"queued", "running", "completed", "failed", "cancelled", "pending", "final"}


def check_id(value: str, what: str = "job") -> str:
    """Reject ids that cannot be runtime ids (they would only make a confusing 404)."""
    if not _ID.match(value):
        raise ApiProblem(
            400,
            f"bad_{what}_id",
            f"'{value[:40]}' is not a valid {what} id.",
            f"A {what} id is 1-100 letters, digits, '.', '_' or '-'; copy it from the {what} list.",
        )
    return value


#: Says where a jobs list came from: ``snapshot`` (the live monitor's) or ``runtime``.
SOURCE_HEADER = "X-Qrt-Lab-Source"


def _unfiltered(filters: dict[str, Any]) -> bool:
    """Only limit and offset set: a page the monitor's snapshot may answer."""
    return all(value is None for key, value in filters.items() if key not in {"limit", "offset"})


class JobsHandler(RuntimeApiHandler):
    """``GET /jobs?status=&backend=&program=&session_id=&tags=&created_after=&limit=&offset=``."""

    def _int(self, name: str, default: int, low: int, high: int) -> int:
        return query_int(self.get_query_argument(name, None), name, default, low, high)

    def _date(self, name: str) -> str | None:
        raw = self.get_query_argument(name, None)
        if not raw:
            return None
        try:
            read_timestamp(raw)
        except ValueError:
            raise ApiProblem(
                400,
                "bad_query",
                f"'{name}' must be an ISO date such as 2026-05-01T12:00:00Z.",
                "Use the ISO 8601 form YYYY-MM-DDTHH:MM:SSZ.",
            ) from None
        return raw

    @web.authenticated
    async def get(self) -> None:
        """Return ``{"jobs": [JobSummary...], "count", "limit", "offset"}``."""
        status = (self.get_query_argument("status", "") or "").lower()
        if status and status not in _STATUSES:
            raise ApiProblem(
                400,
                "bad_query",
                f"Unknown status '{status[:20]}'.",
                f"Use one of {sorted(_STATUSES)}.",
            )
        pending = {"queued": True, "running": True, "pending": True}.get(status)
        if status in {"completed", "failed", "cancelled", "final"}:
            pending = False
        filters: dict[str, Any] = {
            "limit": self._int("limit", 50, 1, 200),
            "offset": self._int("offset", 0, 0, 10**7),
            "backend": self.get_query_argument("backend", None) or None,
            "program": self.get_query_argument("program", None) or None,
            "session_id": self.get_query_argument("session_id", None) or None,
            "tags": self.get_query_arguments("tags") or None,
            "created_after": self._date("created_after"),
            "created_before": self._date("created_before"),
            "pending": pending,
        }
        runtime = await self.runtime()
        if not status and _unfiltered(filters):
            held = self.qrt.monitor.page(runtime.ref.key, filters["limit"], filters["offset"])
            if held is not None:
                self.set_header(SOURCE_HEADER, "snapshot")
                self.write_encoded(self._snapshot_body(runtime, held, filters))
                return
        self.set_header(SOURCE_HEADER, "runtime")
        share = ("jobs", json.dumps(filters, sort_keys=True))
        runtime, page = await self.call("jobs", lambda rest: rest.jobs(**filters), share)
        # a coalesced answer (the same page object) is summarised and encoded once
        self.write_encoded(
            self.qrt.encoded.body(
                ("jobs-runtime", runtime.ref.key, share[1], status),
                (page, runtime.ref),
                lambda: _runtime_page(runtime, page or {}, status, filters),
            )
        )

    def _snapshot_body(
        self, runtime: ActiveRuntime, held: tuple[list[Any], int], filters: dict[str, Any]
    ) -> EncodedBody:
        """The page from the snapshot, encoded once per monitor poll (``held`` is memoised)."""
        limit, offset = filters["limit"], filters["offset"]
        rows, count = held
        return self.qrt.encoded.body(
            ("jobs", runtime.ref.key, limit, offset),
            (held, runtime.ref),
            lambda: {
                "account": runtime.ref.to_json(),
                "jobs": rows,
                "count": count,
                "limit": limit,
                "offset": offset,
            },
        )


def _runtime_page(
    runtime: ActiveRuntime, page: dict[str, Any], status: str, filters: dict[str, Any]
) -> dict[str, Any]:
    """The runtime's answer as the jobs-list body: job rows, narrowed to ``status``."""
    jobs = [JobSummary.from_api(j).to_json() for j in page.get("jobs", [])]
    if status in {"queued", "running", "completed", "failed", "cancelled"}:
        # the runtime filters only pending/final; narrow to the exact status on this page
        jobs = [j for j in jobs if j["status"].lower() == status]
    return {
        "account": runtime.ref.to_json(),
        "jobs": jobs,
        "count": page.get("count", len(jobs)),
        "limit": filters["limit"],
        "offset": filters["offset"],
    }


class JobHandler(RuntimeApiHandler):
    """``GET /jobs/{id}`` (detail with metrics and logs) and ``DELETE /jobs/{id}``."""

    @web.authenticated
    async def get(self, job_id: str) -> None:
        """Return the job detail with a plain-language reason explanation."""
        check_id(job_id)

        async def fetch(rest: AsyncRuntimeRest) -> tuple[Any, Any, Any]:
            job = await rest.job(job_id)
            extras: tuple[Any, ...] = await asyncio.gather(
                rest.job_metrics(job_id), rest.job_logs(job_id), return_exceptions=True
            )
            return job, extras[0], extras[1]

        runtime, shared = await self.call(f"job {job_id}", fetch, ("job", job_id))
        job, metrics, logs = shared
        self.write_encoded(
            self.qrt.encoded.body(
                ("job", runtime.ref.key, job_id),
                (shared,),
                lambda: job_detail(
                    job,
                    metrics if isinstance(metrics, dict) else None,
                    logs if isinstance(logs, str) else None,
                ),
            )
        )

    @web.authenticated
    async def delete(self, job_id: str) -> None:
        """Delete a final job from the runtime."""
        check_id(job_id)
        await self.call(f"job {job_id}", lambda rest: rest.delete_job(job_id))
        self.qrt.monitor.forget(job_id)
        self.write_json({"id": job_id, "deleted": True})


def result_undecodable(job_id: str, exc: Exception) -> ApiProblem:
    """The 502 for a result that cannot be decoded (never a 500), with what to do instead."""
    return ApiProblem(
        502,
        "result_undecodable",
        f"The result of job {job_id} could not be decoded ({type(exc).__name__}).",
        "Fetch it in a notebook with service.job(id).result().",
    )


def _decode_summary(text: str, params_text: str | None, top_k: int) -> dict[str, Any]:
    """Decode the result (and the job inputs for observable labels) and summarise: CPU work."""
    from qrt_lab.runtime import codec

    result = codec.decode_result(text) if text else None
    params = None
    if params_text:
        job = codec.loads(params_text)
        params = job.get("params") if isinstance(job, dict) else None
    return summarize_result(result, params, top_k)


class JobResultHandler(RuntimeApiHandler):
    """``GET /jobs/{id}/result``: a summary computed on the server."""

    @web.authenticated
    async def get(self, job_id: str) -> None:
        """Return the result summary (or the error text of a failed job)."""
        check_id(job_id)
        runtime = await self.runtime()
        # keyed by account too: another account must not read this one's results from the cache
        cache_key = (runtime.ref.key, job_id)
        cached = self.qrt.results_cache.get(cache_key)
        if cached is not None:
            self.write_json(cached)
            return
        _, job = await self.call(f"job {job_id}", lambda rest: rest.job(job_id))
        status = api_status(job)
        if status in {"Queued", "Running"}:
            raise ApiProblem(
                409,
                "result_not_ready",
                f"Job {job_id} is {status.lower()}; its result is not available yet.",
                "Wait for it to complete: the events stream announces 'result_ready'.",
            )
        _, text = await self.call(f"result of job {job_id}", lambda rest: rest.job_results(job_id))
        summary: dict[str, Any] = {"id": job_id, "status": status}
        if status != "Completed":
            summary["error_text"] = text or ""
            self.write_json(summary)
            return
        program = JobSummary.from_api(job).program
        params_text = None
        if program == "estimator":
            _, params_text = await self.call(f"job {job_id}", lambda rest: rest.job_text(job_id))
        try:
            body = await asyncio.to_thread(
                _decode_summary, text, params_text, self.qrt.config.result_top_k
            )
        except Exception as exc:  # noqa: BLE001 - an undecodable result is reported, not a 500
            raise result_undecodable(job_id, exc) from None
        summary.update(body)
        self.qrt.results_cache.put(cache_key, summary)
        self.write_json(summary)


class JobCancelHandler(RuntimeApiHandler):
    """``POST /jobs/{id}/cancel``."""

    @web.authenticated
    async def post(self, job_id: str) -> None:
        """Ask the runtime to cancel the job; the monitor announces the transition."""
        check_id(job_id)
        await self.call(f"job {job_id}", lambda rest: rest.cancel_job(job_id))
        self.qrt.monitor.nudge()
        self.write_json({"id": job_id, "cancel_requested": True})


class JobTagsHandler(RuntimeApiHandler):
    """``PUT /jobs/{id}/tags`` ``{"tags": [...]}``."""

    @web.authenticated
    async def put(self, job_id: str) -> None:
        """Replace the job's tags; return the updated job row."""
        check_id(job_id)
        tags = self.json_body().get("tags")
        if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
            raise ApiProblem(
                400, "bad_tags", "'tags' must be a list of non-empty strings.", '{"tags": ["a"]}'
            )
        if len(tags) > 8 or any(len(t) > 86 for t in tags):
            raise ApiProblem(
                400,
                "bad_tags",
                "A job has at most 8 tags of at most 86 characters.",
                "Remove or shorten some tags.",
            )

        async def update(rest: AsyncRuntimeRest) -> Any:
            await rest.update_job_tags(job_id, tags)
            return await rest.job(job_id)

        _, job = await self.call(f"job {job_id}", update)
        self.qrt.monitor.nudge()
        self.write_json(JobSummary.from_api(job).to_json())
