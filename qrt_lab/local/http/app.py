"""The tornado application of the local service and the foreground ``serve`` loop.

One route table serves the IBM Cloud platform routes and the runtime routes under both
``/api/v1`` and ``/experimental/api/v1``. ``serve`` binds the port, takes the state-directory
lock, starts the scheduler, writes the discovery file and removes it on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import signal
import ssl
from datetime import datetime, timezone
from typing import IO, Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from qrt_lab.local.config import ServiceConfig
from qrt_lab.local.iam import write_private_file
from qrt_lab.local.instances import INSTANCE_CRN
from qrt_lab.local.service import LocalService
from qrt_lab.local.state_dir import StateDirError, prepare_state_dir
from qrt_lab.local.state_schema import StateVersionError
from qrt_lab.local.store import format_time
from qrt_lab.runtime.api.discovery import DISCOVERY_FILE, SERVICE_LOCK_FILE

from .backends import BackendDocumentHandler, BackendsHandler, BackendStatusHandler
from .base import HealthHandler, NotFoundHandler
from .jobs import (
    JobCancelHandler,
    JobHandler,
    JobLogsHandler,
    JobMetricsHandler,
    JobResultsHandler,
    JobsHandler,
    JobTagsHandler,
)
from .limits import MAX_HEADER_BYTES, configure_http_layer
from .platform import CatalogHandler, IamTokenHandler, ResourceInstanceHandler, SearchHandler
from .sessions import (
    InstanceHandler,
    SessionCloseHandler,
    SessionHandler,
    SessionsHandler,
    UsageHandler,
    VersionsHandler,
)

UTC = timezone.utc

__all__ = ["RUNTIME_PREFIXES", "make_app", "serve"]

log = logging.getLogger("qrt_lab.local")

RUNTIME_PREFIXES = ("/api/v1", "/experimental/api/v1")
_ID = r"([^/]+)"

RUNTIME_ROUTES: list[tuple[str, type[tornado.web.RequestHandler]]] = [
    (r"/backends", BackendsHandler),
    (rf"/backends/{_ID}/(configuration|properties)", BackendDocumentHandler),
    (rf"/backends/{_ID}/status", BackendStatusHandler),
    (r"/jobs", JobsHandler),
    (rf"/jobs/{_ID}", JobHandler),
    (rf"/jobs/{_ID}/results", JobResultsHandler),
    (rf"/jobs/{_ID}/cancel", JobCancelHandler),
    (rf"/jobs/{_ID}/logs", JobLogsHandler),
    (rf"/jobs/{_ID}/metrics", JobMetricsHandler),
    (rf"/jobs/{_ID}/tags", JobTagsHandler),
    (r"/sessions", SessionsHandler),
    (rf"/sessions/{_ID}", SessionHandler),
    (rf"/sessions/{_ID}/close", SessionCloseHandler),
    (r"/instances/usage", UsageHandler),
    (r"/instance", InstanceHandler),
    (r"/versions", VersionsHandler),
]


def make_app(service: LocalService) -> tornado.web.Application:
    """Build the application: platform routes, runtime routes under both prefixes, 404s."""
    kwargs = {"service": service}
    routes: list[Any] = [
        (r"/health", HealthHandler, kwargs),
        (r"/identity/token", IamTokenHandler, kwargs),
        (r"/v3/resources/search", SearchHandler, kwargs),
        (rf"/globalcatalog/api/v1/{_ID}", CatalogHandler, kwargs),
        (rf"/v2/resource_instances/{_ID}", ResourceInstanceHandler, kwargs),
    ]
    for prefix in RUNTIME_PREFIXES:
        routes += [(prefix + path, handler, kwargs) for path, handler in RUNTIME_ROUTES]
    return tornado.web.Application(
        routes,
        default_handler_class=NotFoundHandler,
        default_handler_args=kwargs,
        compress_response=False,
        log_function=_request_done,
    )


def _request_done(handler: tornado.web.RequestHandler) -> None:
    """Mark the service as in use (idle timeout) and log the request."""
    service = getattr(handler, "service", None)
    if service is not None:
        service.touch()
    # path only: query strings and headers (tokens) never reach the log
    status = handler.get_status()
    level = logging.DEBUG if status < 400 else logging.INFO if status < 500 else logging.ERROR
    logging.getLogger("qrt_lab.local.access").log(
        level,
        "%d %s %s %.1fms",
        status,
        handler.request.method,
        handler.request.path,
        1000.0 * handler.request.request_time(),
    )


def _take_service_lock(config: ServiceConfig) -> IO[str]:
    config.state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(config.state_dir / SERVICE_LOCK_FILE, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    handle = os.fdopen(fd, "a+")  # held for the life of the process
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise SystemExit(
            f"Another local runtime service already uses {config.state_dir}. Stop it with "
            "`qrt-lab local stop`, or pass a different --state-dir."
        ) from None
    return handle


def _tls_context(config: ServiceConfig) -> ssl.SSLContext | None:
    """The server's TLS context for ``--certfile/--keyfile``, or None for plain http.

    Raises:
        ValueError: when the files are not a certificate and its key.
    """
    if config.certfile is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(config.certfile, config.keyfile)
    except (ssl.SSLError, OSError) as exc:
        raise ValueError(
            f"cannot use {config.certfile} (key {config.keyfile or 'in the same file'}) for TLS: "
            f"{exc}. Pass a PEM certificate with --certfile and its key with --keyfile."
        ) from None
    return context


def _write_discovery(config: ServiceConfig, service: LocalService, url: str) -> None:
    document = {
        "url": url,
        "pid": os.getpid(),
        "api_key_file": str(service.api_key_file),
        "instance": INSTANCE_CRN,
        "started": format_time(datetime.now(UTC)),
    }
    if config.certfile is not None:  # https: local clients' health check trusts it
        document["certfile"] = str(config.certfile)
    write_private_file(config.state_dir / DISCOVERY_FILE, json.dumps(document, indent=2) + "\n")


def _remove_discovery(config: ServiceConfig) -> None:
    path = config.state_dir / DISCOVERY_FILE
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass  # already gone or not ours: nothing to clean


async def _serve(config: ServiceConfig) -> None:
    try:
        prepare_state_dir(config.state_dir)
    except StateDirError as exc:
        raise SystemExit(f"qrt-lab local service: {exc}") from None
    tls = _tls_context(config)
    lock = _take_service_lock(config)
    try:
        service = LocalService(config)
    except StateVersionError as exc:
        lock.close()
        raise SystemExit(f"qrt-lab local service: {exc}") from None
    sockets = tornado.netutil.bind_sockets(config.port, config.host)
    port = sockets[0].getsockname()[1]
    configure_http_layer()
    server = tornado.httpserver.HTTPServer(
        make_app(service),
        max_body_size=max(config.max_body_bytes * 4, 64 * 1024 * 1024),
        max_header_size=MAX_HEADER_BYTES,
        ssl_options=tls,
    )
    server.add_sockets(sockets)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await service.start()
        host = config.host if ":" not in config.host else f"[{config.host}]"
        url = f"{'https' if tls else 'http'}://{host}:{port}"
        _write_discovery(config, service, url)
        log.info(
            "local runtime service at %s (state %s, pid %d)", url, config.state_dir, os.getpid()
        )
        service.touch()  # the idle clock starts once the service answers
        idle = asyncio.ensure_future(_exit_when_idle(service, config.idle_timeout, stop))
        await stop.wait()
        idle.cancel()
        log.info("stopping")
    finally:
        server.stop()
        _remove_discovery(config)
        await service.stop()
        lock.close()


async def _exit_when_idle(
    service: LocalService, timeout: float | None, stop: asyncio.Event
) -> None:
    """Set ``stop`` once the service has been idle for ``timeout`` seconds (None: never)."""
    if timeout is None:
        return
    while True:
        idle = service.idle_seconds()
        if idle >= timeout:
            log.info("idle for %.0f s: exiting (state is kept; the next use starts it)", idle)
            stop.set()
            return
        await asyncio.sleep(min(30.0, max(0.1, timeout - idle)))


def serve(config: ServiceConfig) -> None:
    """Run the service in the foreground until SIGTERM or SIGINT."""
    asyncio.run(_serve(config))
