"""Settings of one local runtime service process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ServiceConfig"]


@dataclass(frozen=True)
class ServiceConfig:
    """How a local service runs. Built by the CLI from its flags.

    Attributes:
        state_dir: Holds the SQLite database, the API key and the discovery file.
        host: Interface to bind; loopback unless the user asks otherwise.
        port: TCP port; 0 picks a free one (written into the discovery file).
        workers: Worker processes that simulate jobs.
        device_dirs: Extra folders of ``conf_*.json``/``props_*.json`` device documents.
        max_body_bytes: Largest accepted ``POST /jobs`` body (larger → 413).
        token_ttl: Lifetime of issued IAM tokens, in seconds.
        interactive_ttl: Seconds a dedicated session stays active without jobs.
        default_max_ttl: Session ``max_ttl`` when the client does not send one.
        max_ttl_limit: Largest session ``max_ttl`` accepted.
        max_execution_time_limit: Job ``cost`` values above this are capped to it.
        tick_seconds: How often session timeouts are checked.
        idle_timeout: Seconds without requests and without queued or running jobs after which
            the service exits by itself (None: never; the detached, on-demand service has one).
        timing: ``fast`` (default) or ``device``: jobs queue behind their device and stay
            RUNNING for their quantum seconds (:mod:`qrt_lab.local.device_timing`).
        timing_scale: With device timing, running time = quantum seconds x this factor.
        certfile: TLS certificate (PEM) to serve https with; None serves plain http.
        keyfile: Its private key, when not in ``certfile``.
    """

    state_dir: Path
    host: str = "127.0.0.1"
    port: int = 0
    workers: int = 2
    device_dirs: tuple[Path, ...] = field(default_factory=tuple)
    max_body_bytes: int = 50 * 1024 * 1024
    token_ttl: int = 3600
    interactive_ttl: float = 60.0
    default_max_ttl: int = 28800
    max_ttl_limit: int = 28800
    max_execution_time_limit: float = 10800.0
    tick_seconds: float = 0.5
    idle_timeout: float | None = None
    timing: str = "fast"
    timing_scale: float = 1.0
    certfile: Path | None = None
    keyfile: Path | None = None
