"""Find, start and stop the local runtime service through its state directory.

The service writes ``service.json`` (URL, pid, API key file, instance CRN, start time) into its
state directory once it listens, and removes it on a graceful stop. This module reads that file,
checks that the process is alive and answers, and can start a detached service under a file lock
so that two starters never start two services. It imports neither qiskit nor tornado.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qrt_lab.runtime.account import Account

__all__ = [
    "API_KEY_FILE",
    "DISCOVERY_FILE",
    "LocalServiceError",
    "LocalServiceInfo",
    "default_state_dir",
    "ensure_running",
    "find_running",
    "local_account",
    "local_service",
    "read_discovery",
    "stop_service",
]

DISCOVERY_FILE = "service.json"
API_KEY_FILE = "api_key"
START_LOCK_FILE = "start.lock"
SERVICE_LOCK_FILE = "service.lock"
LOG_FILE = "service.log"
STATE_DIR_ENV = "QRT_LAB_LOCAL_DIR"
IDLE_TIMEOUT_ENV = "QRT_LAB_LOCAL_IDLE_TIMEOUT"
#: Seconds a service started on demand stays up unused before it exits (30 min).
DEFAULT_IDLE_TIMEOUT = 1800.0
HEALTH_PATH = "/health"


class LocalServiceError(RuntimeError):
    """The local runtime service could not be found, started or stopped."""


@dataclass(frozen=True)
class LocalServiceInfo:
    """Where a running local service listens and how to authenticate to it.

    Attributes:
        url: Base URL, e.g. ``http://127.0.0.1:8765``; runtime routes are under ``{url}/api/v1``.
        api_key: The service's API key (exchange it at ``{url}/identity/token``).
        instance: The CRN of the service's instance (send it as ``Service-CRN``).
        pid: The service's process id.
        state_dir: The state directory the service runs from.
        spawned: Whether this call to :func:`ensure_running` started it (not compared: the
            same service either way).
    """

    url: str
    api_key: str
    instance: str
    pid: int
    state_dir: Path
    spawned: bool = dataclasses.field(default=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"LocalServiceInfo(url={self.url!r}, instance={self.instance!r}, pid={self.pid}, "
            f"state_dir={str(self.state_dir)!r})"
        )

    @property
    def runtime_url(self) -> str:
        """The runtime API base, ``{url}/api/v1``."""
        return f"{self.url}/api/v1"

    def account(self, instance: str | None = None) -> Account:
        """The account of this service: its URL and API key (``channel="local"``)."""
        from qrt_lab.runtime.account import Account

        return Account(
            channel="local", token=self.api_key, url=self.url, instance=instance or self.instance
        )


def default_state_dir() -> Path:
    """Return ``$QRT_LAB_LOCAL_DIR`` if set, else ``~/.qiskit/qrt-lab/local``."""
    env = os.environ.get(STATE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".qiskit" / "qrt-lab" / "local"


def _resolve(state_dir: Path | str | None) -> Path:
    return Path(state_dir).expanduser() if state_dir is not None else default_state_dir()


def read_discovery(state_dir: Path | str | None = None) -> dict[str, Any] | None:
    """Return the parsed discovery file of a state directory, or None if absent or unreadable."""
    path = _resolve(state_dir) / DISCOVERY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# the service is on loopback: an http_proxy from the environment must not see (or break) the check
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _tls_context(certfile: str | None) -> ssl.SSLContext | None:
    """For an https service: the default trust plus the service's own certificate file."""
    if not certfile:
        return None
    context = ssl.create_default_context()
    with contextlib.suppress(OSError, ssl.SSLError):  # unreadable: the default trust only
        context.load_verify_locations(certfile)
    return context


def _answers(url: str, pid: int, timeout: float = 2.0, certfile: str | None = None) -> bool:
    """True if ``GET {url}/health`` answers 200 from the process ``pid``."""
    opener = _DIRECT
    context = _tls_context(certfile) if url.startswith("https:") else None
    if context is not None:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
        )
    try:
        with opener.open(url + HEALTH_PATH, timeout=timeout) as resp:
            body = json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError, urllib.error.URLError):
        return False
    return isinstance(body, dict) and body.get("pid") == pid


def find_running(state_dir: Path | str | None = None) -> LocalServiceInfo | None:
    """Return the service running from ``state_dir``, or None.

    The discovery file must exist, its pid must be alive and its URL must answer.

    Args:
        state_dir: The state directory; defaults to :func:`default_state_dir`.
    """
    root = _resolve(state_dir)
    data = read_discovery(root)
    if data is None:
        return None
    try:
        url = str(data["url"])
        pid = int(data["pid"])
        instance = str(data["instance"])
        key_file = Path(str(data.get("api_key_file") or root / API_KEY_FILE))
    except (KeyError, TypeError, ValueError):
        return None
    certfile = data.get("certfile")
    certfile = str(certfile) if isinstance(certfile, str) else None
    if not _pid_alive(pid) or not _answers(url, pid, certfile=certfile):
        return None
    try:
        api_key = key_file.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return LocalServiceInfo(url=url, api_key=api_key, instance=instance, pid=pid, state_dir=root)


def _open_private(path: Path, mode: str) -> IO[Any]:
    """Open ``path`` for appending, created 0600 (the state directory is private to its owner)."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    return os.fdopen(fd, mode)


@contextmanager
def _start_lock(root: Path) -> Iterator[None]:
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _open_private(root / START_LOCK_FILE, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def resolve_idle_timeout(value: float | None = None) -> float:
    """The idle timeout of a service started on demand: ``value``, else the environment.

    ``$QRT_LAB_LOCAL_IDLE_TIMEOUT`` (seconds; 0 = never) overrides the 30-minute default.

    Raises:
        LocalServiceError: The value is not a number of seconds >= 0.
    """
    raw: object = value if value is not None else os.environ.get(IDLE_TIMEOUT_ENV)
    if raw is None or raw == "":
        return DEFAULT_IDLE_TIMEOUT
    try:
        seconds = float(raw)  # type: ignore[arg-type]
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise LocalServiceError(
            f"{IDLE_TIMEOUT_ENV}={raw!r} is not a number of seconds >= 0; set e.g. 1800, or 0 "
            "for a service that never exits by itself."
        )
    return seconds


def _spawn(root: Path, idle: float) -> subprocess.Popen[bytes]:
    log = _open_private(root / LOG_FILE, "ab")  # handed to the child, closed right after
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "qrt_lab.local",
                "serve",
                "--port",
                "0",
                "--state-dir",
                str(root),
                "--idle-timeout",
                repr(idle),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    finally:
        log.close()
    # the service outlives this call but stays our child: reap it when it exits (no zombie)
    threading.Thread(target=proc.wait, name="qrt-local-reaper", daemon=True).start()
    return proc


def _stated_reason(log: Path) -> str | None:
    """The last error the service stated in its log (``qrt-lab local service: …``), if any."""
    try:
        with log.open("rb") as handle:
            handle.seek(max(log.stat().st_size - 8192, 0))
            tail = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    prefix = "qrt-lab local service: "
    stated = [line[len(prefix) :] for line in tail.splitlines() if line.startswith(prefix)]
    return stated[-1].strip() if stated else None


def ensure_running(
    state_dir: Path | str | None = None,
    timeout: float = 60.0,
    idle_timeout: float | None = None,
) -> LocalServiceInfo:
    """Return the running local service, starting a detached one if none runs.

    A file lock (``start.lock``) makes concurrent callers wait for one another, so only one
    service is started per state directory. A service started here exits by itself after
    ``idle_timeout`` seconds unused (no requests, nothing queued or running); its state stays in
    the state directory and the next call starts it again.

    Args:
        state_dir: The state directory; defaults to :func:`default_state_dir`.
        timeout: Seconds to wait for a new service to answer.
        idle_timeout: Seconds unused before a started service exits (0 = never); None reads
            ``$QRT_LAB_LOCAL_IDLE_TIMEOUT``, default 1800.

    Raises:
        LocalServiceError: The service did not start in time; the message names its log file.
    """
    root = _resolve(state_dir)
    idle = resolve_idle_timeout(idle_timeout)
    with _start_lock(root):
        info = find_running(root)
        if info is not None:
            return info
        proc = _spawn(root, idle)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = find_running(root)
            if info is not None:
                # another starter's service may have won the state directory meanwhile
                return dataclasses.replace(info, spawned=info.pid == proc.pid)
            if proc.poll() is not None and not _service_lock_held(root):
                reason = _stated_reason(root / LOG_FILE)
                raise LocalServiceError(
                    f"The local runtime service could not start: {reason} (log: {root / LOG_FILE})"
                    if reason
                    else f"The local runtime service exited with code {proc.returncode} while"
                    f" starting. See {root / LOG_FILE} for the reason."
                )
            time.sleep(0.05)
        raise LocalServiceError(
            f"The local runtime service did not answer within {timeout:.0f} s."
            f" See {root / LOG_FILE}, or run `qrt-lab local serve` to watch it start."
        )


def local_service(state_dir: Path | str | None = None, autostart: bool = True) -> LocalServiceInfo:
    """The running local service, started on demand when ``autostart`` is true.

    Raises:
        LocalServiceError: It does not run and ``autostart`` is false, or it failed to start.
    """
    if autostart:
        return ensure_running(state_dir)
    info = find_running(state_dir)
    if info is None:
        raise LocalServiceError(
            "No account is configured and the local runtime service is not running "
            "(autostart is off). Start it with `qrt-lab local start`."
        )
    return info


def local_account(
    state_dir: Path | str | None = None, autostart: bool = True, instance: str | None = None
) -> Account:
    """The account of the local service ("its URL and API key"), for client and server alike.

    Args:
        state_dir: The state directory; defaults to :func:`default_state_dir`.
        autostart: Start the service when it does not run.
        instance: The instance CRN (default: the service's own).

    Raises:
        LocalServiceError: See :func:`local_service`.
    """
    return local_service(state_dir, autostart).account(instance)


def _service_lock_held(root: Path) -> bool:
    """True if a service process holds the state directory (e.g. one still warming up)."""
    try:
        with _open_private(root / SERVICE_LOCK_FILE, "a+") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def stop_service(state_dir: Path | str | None = None, timeout: float = 20.0) -> bool:
    """Stop the service running from ``state_dir`` (SIGTERM, then SIGKILL after ``timeout``).

    Args:
        state_dir: The state directory; defaults to :func:`default_state_dir`.
        timeout: Seconds to wait for a graceful stop before killing the process.

    Returns:
        True if a service was stopped, False if none was running.
    """
    root = _resolve(state_dir)
    data = read_discovery(root)
    if data is None:
        return False
    try:
        pid = int(data["pid"])
    except (KeyError, TypeError, ValueError):
        return False
    if not _pid_alive(pid) or not _service_lock_held(root):
        # a stale file: its pid may now belong to an unrelated process, which must not be signalled
        (root / DISCOVERY_FILE).unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid) or _is_zombie(pid):
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    (root / DISCOVERY_FILE).unlink(missing_ok=True)
    return True


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"
