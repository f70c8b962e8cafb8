"""Runs queued jobs in a pool of worker processes, off the event loop.

One scheduler per service. It moves jobs Queued → Running → Completed/Failed/Cancelled, starts
dedicated-session jobs ahead of others, enforces ``max_execution_time`` (Cancelled, reason code
1305), stops the worker of a cancelled running job (the pool is replaced and its other jobs are
re-queued), survives a worker crash (the job fails with a clear reason) and re-queues the jobs a
stopped or killed service left running.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing
import os
import sqlite3
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from typing import Any

from .config import ServiceConfig
from .device_timing import DeviceClock
from .errors import ApiError
from .execution import worker
from .job_errors import BUG_ADVICE, INTERNAL_ERROR, RAN_TOO_LONG
from .jobspec import JobOutcome, JobSpec
from .sessions import SessionBook
from .storage import is_storage_full
from .store import CANCELLED, COMPLETED, FAILED, FINAL_STATUSES, QUEUED, RUNNING, Store, format_time

UTC = timezone.utc

__all__ = ["Scheduler"]

log = logging.getLogger("qrt_lab.local.scheduler")

MAX_ATTEMPTS = 3
# a result that cannot be written (disk full) is tried again after 1, 2, 4, 5, 5 ... s
STORAGE_RETRY, STORAGE_RETRY_MAX = 1.0, 5.0
#: With device timing, how many queued jobs one dispatch pass looks at to find idle devices.
DEVICE_QUEUE_SCAN = 1000
PREWARM_TIMEOUT = 180.0


def _internal_failure(reason: str) -> JobOutcome:
    return JobOutcome(status=FAILED, result_json=reason, reason=reason, reason_code=INTERNAL_ERROR)


class Scheduler:
    """Dispatches jobs from the store to worker processes and records their outcomes."""

    def __init__(self, store: Store, sessions: SessionBook, config: ServiceConfig) -> None:
        self._store = store
        self._sessions = sessions
        self._config = config
        self._pool: ProcessPoolExecutor | None = None
        self._busy = 0
        self._wake = asyncio.Event()
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._run_dir = config.state_dir / "running"
        self._interrupted: set[ProcessPoolExecutor] = set()
        self._clock = DeviceClock(config.timing, config.timing_scale)
        self._holds: dict[str, asyncio.TimerHandle] = {}

    # lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Recover jobs a previous run left behind, start and warm the pool, begin dispatching."""
        self._loop = asyncio.get_running_loop()
        self._run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in self._run_dir.iterdir():
            stale.unlink(missing_ok=True)
        self._recover()
        self._pool = self._new_pool()
        await self._prewarm()
        self._tasks = [
            asyncio.create_task(self._dispatch_loop()),
            asyncio.create_task(self._tick_loop()),
        ]
        self._wake.set()

    async def stop(self) -> None:
        """Stop dispatching, shut the pool down and put running jobs back in the queue."""
        self._closing = True
        for task in self._tasks:
            task.cancel()
        for timer in (*self._timers.values(), *self._holds.values()):
            timer.cancel()
        if self._pool is not None:
            self._shutdown_pool(self._pool)
            self._pool = None
        for row in self._store.jobs_with_status(RUNNING):
            # a deliberate stop is not the job's fault: it does not count as an attempt
            self._store.update_job(
                row["id"], status=QUEUED, running=None, attempts=max(row["attempts"] - 1, 0)
            )
            self._store.append_log(row["id"], "The service was stopped; the job was re-queued.")

    def notify(self) -> None:
        """Tell the scheduler that a job was queued."""
        self._wake.set()

    # cancellation ---------------------------------------------------------------------------

    def cancel(self, job_id: str, instance: str) -> None:
        """Cancel a queued or running job.

        Raises:
            ApiError: 404 for an unknown job, 409 when the job is already final.
        """
        row = self._store.job(job_id, instance)
        if row is None:
            raise ApiError.not_found(f"Job {job_id} was not found.", code="job_not_found")
        if row["status"] not in FINAL_STATUSES and self._end_early(
            row, "Cancelled by the user.", None, "was cancelled by the user"
        ):
            return
        # final before we came, or it became final between the read and the update
        now_final = self._store.job(job_id, instance)
        status = now_final["status"] if now_final is not None else row["status"]
        raise ApiError.conflict(
            f"Job {job_id} is already {status} and cannot be cancelled.",
            code="job_not_cancellable",
        )

    def _end_early(self, row: sqlite3.Row, reason: str, code: int | None, what: str) -> bool:
        now = datetime.now(UTC)
        changed = self._store.update_job(
            row["id"],
            only_if=(QUEUED, RUNNING),
            status=CANCELLED,
            reason=reason,
            reason_code=code,
            finished=format_time(now),
        )
        if not changed:
            return False
        self._store.put_result(row["id"], f"Job {row['id']} {what}. {reason}")
        self._store.append_log(row["id"], f"Job {what}.")
        self._cancel_timer(row["id"])
        self._release_device(row["id"])
        if row["status"] == RUNNING:
            self._interrupt(row["id"])
        if row["session_id"]:
            self._sessions.job_finished(row["session_id"], now, 0.0)
        return True

    # dispatching ----------------------------------------------------------------------------

    async def _dispatch_loop(self) -> None:
        while not self._closing:
            await self._wake.wait()
            self._wake.clear()
            try:
                self._dispatch()
            except Exception:  # a bug here must not stop all future jobs
                log.exception("dispatch failed")

    def _dispatch(self) -> None:
        free = self._config.workers - self._busy
        if free <= 0:
            return
        if not self._clock.enabled:
            for row in self._store.queued_jobs(free):
                self._start(row)
            return
        # device timing: one job at a time per device, the others wait in its queue
        for row in self._store.queued_jobs(DEVICE_QUEUE_SCAN):
            if free <= 0:
                return
            if self._clock.can_start(row["backend"]):
                self._start(row)
                free -= 1

    def _start(self, row: sqlite3.Row) -> None:
        now = datetime.now(UTC)
        if not self._store.update_job(
            row["id"],
            only_if=(QUEUED,),
            status=RUNNING,
            running=format_time(now),
            attempts=row["attempts"] + 1,
        ):
            return
        self._store.append_log(row["id"], "Job started running.")
        self._clock.occupy(row["backend"], row["id"])
        if row["session_id"]:
            self._sessions.job_started(row["session_id"], now)
        spec = JobSpec(
            job_id=row["id"],
            program_id=row["program_id"],
            backend=row["backend"],
            params_json=self._store.params(row["id"]),
            max_execution_time=row["cost"],
            seed=row["seed"],
            calibration_id=row["calibration_id"],
        )
        future, pool = self._submit(spec)
        self._busy += 1
        future.add_done_callback(lambda f: self._finished(spec, f, pool))
        if row["cost"]:
            loop = asyncio.get_running_loop()
            self._timers[row["id"]] = loop.call_later(row["cost"], self._timed_out, row["id"])

    def _submit(self, spec: JobSpec) -> tuple[Future[JobOutcome], ProcessPoolExecutor]:
        assert self._pool is not None
        try:
            return self._pool.submit(worker.run, spec), self._pool
        except BrokenProcessPool:
            self._replace_pool(self._pool)
            return self._pool.submit(worker.run, spec), self._pool

    def _finished(
        self, spec: JobSpec, future: Future[JobOutcome], pool: ProcessPoolExecutor
    ) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed while the pool shut down
            loop.call_soon_threadsafe(self._record, spec, future, pool)

    def _record(self, spec: JobSpec, future: Future[JobOutcome], pool: ProcessPoolExecutor) -> None:
        self._busy -= 1
        (self._run_dir / spec.job_id).with_suffix(worker.CANCEL_SUFFIX).unlink(missing_ok=True)
        self._wake.set()
        if self._closing:
            return
        outcome = self._outcome_of(spec, future, pool)
        if outcome is None:
            self._cancel_timer(spec.job_id)
            self._release_device(spec.job_id)
            self._requeue_collateral(spec.job_id)
            return
        hold = self._clock.remaining(spec.job_id, float(outcome.quantum_seconds))
        if hold > 0 and outcome.status == COMPLETED:
            # device timing: the job stays RUNNING for its emulated quantum seconds (its
            # max_execution_time timer keeps running and may still cancel it with 1305)
            self._holds[spec.job_id] = self._loop_or_running().call_later(
                hold, self._complete, spec, outcome
            )
            return
        self._complete(spec, outcome)

    def _loop_or_running(self) -> asyncio.AbstractEventLoop:
        return self._loop or asyncio.get_running_loop()

    def _release_device(self, job_id: str) -> None:
        hold = self._holds.pop(job_id, None)
        if hold is not None:
            hold.cancel()
        self._clock.release(job_id)
        self._wake.set()

    def _complete(self, spec: JobSpec, outcome: JobOutcome) -> None:
        self._holds.pop(spec.job_id, None)
        self._release_device(spec.job_id)
        self._cancel_timer(spec.job_id)
        if self._closing:
            return
        now = datetime.now(UTC)
        status = outcome.status if outcome.status in FINAL_STATUSES else FAILED
        seconds = float(outcome.quantum_seconds)
        fields = {
            "status": status,
            "reason": outcome.reason,
            "reason_code": outcome.reason_code,
            "finished": format_time(now),
            "quantum_seconds": seconds,
            "metadata": json.dumps(outcome.metadata, default=str),
        }
        self._store_outcome(spec, fields, outcome)

    def _store_outcome(
        self, spec: JobSpec, fields: dict[str, Any], outcome: JobOutcome, attempt: int = 0
    ) -> None:
        """Write a finished job; while the disk is full, keep it in memory and try again."""
        seconds = float(fields["quantum_seconds"])
        now = datetime.now(UTC)
        try:
            if not self._store.finish_job(spec.job_id, fields, outcome.result_json, seconds):
                return  # cancelled or timed out meanwhile: the outcome is discarded
        except sqlite3.OperationalError as exc:
            if not is_storage_full(exc) or self._closing or self._loop is None:
                raise
            if attempt == 0:
                log.warning("disk full: job %s's result is kept until space returns", spec.job_id)
            delay = min(STORAGE_RETRY_MAX, STORAGE_RETRY * 2**attempt)
            self._loop.call_later(delay, self._store_outcome, spec, fields, outcome, attempt + 1)
            return
        status = fields["status"]
        if outcome.logs:
            self._store.append_log(spec.job_id, outcome.logs.rstrip("\n"))
        self._store.append_log(spec.job_id, f"Job {status.lower()}.")
        row = self._store.job(spec.job_id)
        if row is not None and row["session_id"]:
            self._sessions.job_finished(row["session_id"], now, seconds)

    def _outcome_of(
        self, spec: JobSpec, future: Future[JobOutcome], pool: ProcessPoolExecutor
    ) -> JobOutcome | None:
        """The job's outcome; None when the service stopped the pool itself (job re-queued)."""
        try:
            outcome = future.result()
        except (BrokenProcessPool, CancelledError):
            if pool in self._interrupted:
                return None
            self._replace_pool(pool)
            reason = (
                "The worker process running this job stopped unexpectedly (it crashed or ran out"
                " of memory). Resubmit the job; if it fails again, make it smaller (fewer qubits,"
                " shots or PUBs)."
            )
            return _internal_failure(reason)
        except Exception as exc:  # the worker must never take the service down
            log.exception("job %s raised in the worker", spec.job_id)
            text = (
                f"Internal error while running job {spec.job_id}: {type(exc).__name__}: {exc}. "
                f"{BUG_ADVICE}"
            )
            return _internal_failure(text)
        if not isinstance(outcome, JobOutcome):
            text = (
                f"Internal error: the worker returned {type(outcome).__name__}, not JobOutcome. "
                f"{BUG_ADVICE}"
            )
            return _internal_failure(text)
        return outcome

    def _interrupt(self, job_id: str) -> None:
        """Stop the worker running ``job_id`` by replacing the whole pool.

        A pool cannot lose one worker without breaking, so the other jobs it was running are
        re-queued when their futures fail (see ``_requeue_collateral``).
        """
        marker = self._run_dir / job_id
        # ask first, then look for the worker: ``worker.run`` announces itself in reverse order
        marker.with_suffix(worker.CANCEL_SUFFIX).touch()
        try:
            pid = int(marker.read_text())
        except (OSError, ValueError):
            return  # not in a worker yet: the worker will see the request and not start it
        pool = self._pool
        if pool is None or pid not in getattr(pool, "_processes", {}):
            return
        self._interrupted.add(pool)
        self._pool = self._warm(self._new_pool())
        self._shutdown_pool(pool)
        marker.unlink(missing_ok=True)

    def _requeue_collateral(self, job_id: str) -> None:
        if self._store.update_job(job_id, only_if=(RUNNING,), status=QUEUED, running=None):
            self._store.append_log(
                job_id, "Re-queued: the worker pool was restarted to stop another job."
            )

    def _timed_out(self, job_id: str) -> None:
        self._timers.pop(job_id, None)
        row = self._store.job(job_id)
        if row is None or row["status"] != RUNNING:
            return
        reason = (
            f"Job ran longer than its maximum execution time of {row['cost']:g} s"
            " (max_execution_time)."
        )
        self._end_early(row, reason, RAN_TOO_LONG, "ran longer than its maximum execution time")

    def _cancel_timer(self, job_id: str) -> None:
        timer = self._timers.pop(job_id, None)
        if timer is not None:
            timer.cancel()

    # sessions -------------------------------------------------------------------------------

    async def _tick_loop(self) -> None:
        while not self._closing:
            await asyncio.sleep(self._config.tick_seconds)
            try:
                self._sessions.tick(datetime.now(UTC))
            except Exception:  # a bug here must not stop session bookkeeping for good
                log.exception("session tick failed")

    # pool -----------------------------------------------------------------------------------

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        # import the simulator stack once in the fork server, so new workers start fast
        context.set_forkserver_preload(
            ["qrt_lab.local.execution.worker", "qrt_lab.local.execution.execute"]
        )
        return ProcessPoolExecutor(
            max_workers=self._config.workers,
            mp_context=context,
            initializer=worker.init,
            initargs=(
                [str(d) for d in self._config.device_dirs],
                str(self._run_dir),
                os.getpid(),
            ),
        )

    def _replace_pool(self, broken: ProcessPoolExecutor | None) -> None:
        if broken is None or broken is not self._pool:
            return  # already replaced
        log.warning("worker pool broke; starting a new one")
        self._pool = self._warm(self._new_pool())
        self._shutdown_pool(broken)

    def _warm(self, pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """Start the workers of a new pool now, not when the next job arrives."""
        for _ in range(self._config.workers):
            pool.submit(worker.ping)
        return pool

    async def _prewarm(self) -> None:
        assert self._pool is not None
        loop = asyncio.get_running_loop()
        pings = [loop.run_in_executor(self._pool, worker.ping) for _ in range(self._config.workers)]
        try:
            await asyncio.wait_for(asyncio.gather(*pings), PREWARM_TIMEOUT)
        except Exception:  # a slow or failing warm-up only costs speed; jobs will report errors
            log.exception("worker warm-up failed")
            self._replace_pool(self._pool)

    @staticmethod
    def _shutdown_pool(pool: ProcessPoolExecutor) -> None:
        processes = list(getattr(pool, "_processes", {}).values())  # no public handle on workers
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()

    # restart --------------------------------------------------------------------------------

    def _recover(self) -> None:
        for row in self._store.jobs_with_status(RUNNING):
            if row["attempts"] >= MAX_ATTEMPTS:
                reason = (
                    f"The service stopped {row['attempts']} times while this job was running; it"
                    " was failed to avoid a crash loop. Resubmit it, or make it smaller."
                )
                self._store.update_job(
                    row["id"],
                    status=FAILED,
                    reason=reason,
                    reason_code=INTERNAL_ERROR,
                    finished=format_time(datetime.now(UTC)),
                )
                self._store.put_result(row["id"], reason)
                self._store.append_log(row["id"], reason)
            else:
                self._store.update_job(row["id"], status=QUEUED, running=None)
                self._store.append_log(
                    row["id"], "The service stopped while this job was running; it was re-queued."
                )
