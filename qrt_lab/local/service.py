"""The composition root of one local service: store, devices, tokens, sessions and scheduler."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from datetime import datetime, timezone

from .config import ServiceConfig
from .devices.catalog import DeviceCatalog
from .errors import ApiError
from .http.submission import Submission
from .iam import TokenIssuer, load_or_create_api_key
from .instances import INSTANCE_CRN
from .scheduler import Scheduler
from .sessions import SessionBook
from .storage import require_free_space
from .store import QUEUED, Store, format_time

UTC = timezone.utc

__all__ = ["DATABASE_FILE", "LocalService"]

DATABASE_FILE = "state.sqlite3"
API_KEY_FILE = "api_key"


class LocalService:
    """Everything a request handler needs, built once per process."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        config.state_dir.mkdir(parents=True, exist_ok=True)
        self.api_key_file = config.state_dir / API_KEY_FILE
        self.issuer = TokenIssuer(load_or_create_api_key(self.api_key_file), config.token_ttl)
        self.catalog = DeviceCatalog(config.device_dirs)
        self.store = Store(config.state_dir / DATABASE_FILE)
        self.sessions = SessionBook(self.store, config)
        self.scheduler = Scheduler(self.store, self.sessions, config)
        self.instances = (INSTANCE_CRN,)
        self.started = format_time(datetime.now(UTC))
        self._last_request = time.monotonic()

    def touch(self) -> None:
        """A request was served: the service is in use."""
        self._last_request = time.monotonic()

    def idle_seconds(self) -> float:
        """Seconds since the last request, or 0 while any job is queued or running."""
        if self.store.queue_lengths():
            return 0.0
        return time.monotonic() - self._last_request

    async def start(self) -> None:
        """Start the scheduler (recovering jobs from a previous run)."""
        await self.scheduler.start()

    async def stop(self) -> None:
        """Stop the scheduler and close the store."""
        await self.scheduler.stop()
        self.store.close()

    def health(self) -> dict[str, object]:
        """Liveness information (no secrets)."""
        return {"status": "ok", "service": "qrt-lab-local", "pid": os.getpid()}

    def authenticate(self, authorization: str | None, service_crn: str | None) -> str:
        """Check a runtime request's credentials and return its instance CRN.

        Raises:
            ApiError: 401 for a missing or bad token, 403 for a missing or unknown instance.
        """
        if not authorization:
            raise ApiError(
                401,
                "unauthorized",
                "Missing Authorization header. Exchange the API key for a token at POST "
                "/identity/token and send 'Authorization: Bearer <token>'.",
            )
        scheme, _, credential = authorization.strip().partition(" ")
        credential = credential.strip()
        ok = (scheme.lower() == "bearer" and self.issuer.verify(credential)) or (
            scheme.lower() == "apikey" and self.issuer.api_key_matches(credential)
        )
        if not ok:
            raise ApiError(
                401,
                "unauthorized",
                "The bearer token is invalid or expired. Request a new one at POST "
                "/identity/token with the service's API key.",
            )
        if not service_crn:
            raise ApiError(
                403,
                "forbidden",
                f"Missing Service-CRN header. Send the instance CRN, e.g. '{INSTANCE_CRN}'.",
            )
        if service_crn not in self.instances:
            raise ApiError(
                403,
                "forbidden",
                f"Instance {service_crn!r} is not served here. Use '{INSTANCE_CRN}'.",
            )
        return service_crn

    def submit(self, sub: Submission, instance: str, caller: str | None) -> sqlite3.Row:
        """Queue a validated job and wake the scheduler.

        Raises:
            ApiError: the session does not exist, does not accept jobs, or has another backend;
                507 when the disk of the state directory is full.
        """
        if sub.session_id is not None:
            self.sessions.require_accepting(sub.session_id, instance, sub.backend)
        require_free_space(self.config.state_dir, len(sub.params_text))
        job_id = "d" + secrets.token_hex(10)[:19]
        now = format_time(datetime.now(UTC))
        self.store.insert_job(
            {
                "id": job_id,
                "instance": instance,
                "program_id": sub.program_id,
                "backend": sub.backend,
                "session_id": sub.session_id,
                "status": QUEUED,
                "created": now,
                "cost": sub.cost,
                "tags": json.dumps(list(sub.tags)),
                "log_level": sub.log_level,
                "private": int(sub.private),
                "runtime": sub.runtime,
                "calibration_id": sub.calibration_id,
                "caller": caller,
                "seed": sub.seed,
            },
            sub.params_text,
        )
        self.store.append_log(job_id, f"Job queued on {sub.backend}.")
        self.scheduler.notify()
        row = self.store.job(job_id)
        assert row is not None
        return row

    def require_job(self, job_id: str, instance: str) -> sqlite3.Row:
        """Return a job of this instance or raise 404."""
        row = self.store.job(job_id, instance)
        if row is None:
            raise ApiError.not_found(
                f"Job {job_id} was not found. List jobs with GET /jobs.", code="job_not_found"
            )
        return row

    def require_session(self, session_id: str, instance: str) -> sqlite3.Row:
        """Return a session of this instance or raise 404."""
        row = self.store.session(session_id, instance)
        if row is None:
            raise ApiError.not_found(
                f"Session {session_id} was not found.", code="session_not_found"
            )
        return row
