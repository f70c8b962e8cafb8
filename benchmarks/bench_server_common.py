"""Shared setup of the server benchmarks: a private local service and a real jupyter server.

Not a benchmark itself. The jupyter server runs the qrt-lab extension in its own process with an
isolated HOME and Jupyter dirs, pointed at the private local service; both are stopped by pid.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEVICES = REPO.parent / "shared" / "data" / "devices"
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from qrt_lab.runtime.api.discovery import LocalServiceInfo, find_running  # noqa: E402


@dataclass(frozen=True)
class LabServer:
    """A running jupyter server with the extension: base URL and token."""

    url: str
    token: str
    local: LocalServiceInfo
    pid: int = 0

    @property
    def headers(self) -> dict[str, str]:
        """Token auth headers."""
        return {"Authorization": f"token {self.token}"}

    def api(self, path: str) -> str:
        """Absolute URL of a qrt-lab API path."""
        return f"{self.url}/qrt-lab/api/{path}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def isolated_env(root: Path, code: Path = REPO) -> dict[str, str]:
    """Environment with HOME, Jupyter dirs and the local state dir under ``root``.

    ``code``: the source tree the processes import qrt_lab from (another revision's checkout
    for a before/after measurement).
    """
    env = dict(os.environ, PYTHONPATH=str(code), HOME=str(root / "home"))
    env.update(
        QRT_LAB_LOCAL_DIR=str(root / "local"),
        JUPYTER_CONFIG_DIR=str(root / "jconfig"),
        JUPYTER_DATA_DIR=str(root / "jdata"),
        JUPYTER_RUNTIME_DIR=str(root / "jruntime"),
    )
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_URL", "QISKIT_IBM_INSTANCE"):
        env.pop(var, None)
    (root / "home").mkdir(exist_ok=True)
    return env


@contextmanager
def local_service(root: Path, workers: int = 2, code: Path = REPO) -> Iterator[LocalServiceInfo]:
    """Run a private local service with state in ``root/local``; stop it at the end."""
    state = root / "local"
    args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0"]
    args += ["--state-dir", str(state), "--workers", str(workers)]
    if DEVICES.is_dir():
        args += ["--devices", str(DEVICES)]
    with open(root / "local.log", "wb") as log:
        env = isolated_env(root, code)
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=code)
        try:
            yield _wait_local(state, proc)
        finally:
            _stop(proc)


@contextmanager
def lab_server(workers: int = 2, code: Path = REPO, **qrt_config: Any) -> Iterator[LabServer]:
    """Start a local service and a jupyter server with the extension; stop both at the end.

    ``code``: the source tree both run from (default: this checkout).
    """
    with tempfile.TemporaryDirectory(prefix="qrt-bench-server-") as tmp:
        root = Path(tmp)
        env = isolated_env(root, code)
        with local_service(root, workers, code) as info, open(root / "lab.log", "wb") as lab_log:
            lab: subprocess.Popen[bytes] | None = None
            try:
                token, port = secrets.token_hex(16), _free_port()
                lab_args = [
                    sys.executable,
                    "-m",
                    "jupyter_server",
                    "--allow-root",
                    "--no-browser",
                    "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={port}",
                    "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={token}",
                    f"--ServerApp.root_dir={root}",
                    "--ServerApp.jpserver_extensions={'qrt_lab': True}",
                    "--ServerApp.log_level=WARN",
                ]
                lab_args += [f"--QrtLabConfig.{k}={v}" for k, v in qrt_config.items()]
                lab = subprocess.Popen(
                    lab_args, env=env, stdout=lab_log, stderr=subprocess.STDOUT, cwd=code
                )
                server = LabServer(f"http://127.0.0.1:{port}", token, info, lab.pid)
                _wait_lab(server, lab)
                yield server
            finally:
                if lab is not None:
                    _stop(lab)


def _wait_local(state: Path, proc: subprocess.Popen[bytes]) -> LocalServiceInfo:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        info = find_running(state)
        if info is not None and info.pid == proc.pid:
            return info
        if proc.poll() is not None:
            raise RuntimeError("the local service exited while starting")
        time.sleep(0.1)
    raise RuntimeError("the local service did not start in 120 s")


def _wait_lab(server: LabServer, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("jupyter server exited while starting")
        try:
            if httpx.get(server.api("accounts"), headers=server.headers, timeout=30).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("jupyter server did not answer in 60 s")


@contextmanager
def revision_tree(rev: str) -> Iterator[Path]:
    """The code of git revision ``rev`` in a temporary ``git worktree``, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="qrt-bench-before-") as tmp:
        path = Path(tmp) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(path), rev],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        try:
            yield path
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(path)], cwd=REPO, capture_output=True
            )


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def table(rows: list[tuple[str, ...]]) -> str:
    """A small aligned text table; the first row is the header."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def save_rows(name: str, rows: list[tuple[str, ...]]) -> Path:
    """Write a result table as JSON to ``benchmarks/results/<name>.json`` (git-ignored)."""
    out = REPO / "benchmarks" / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    header, *body = rows
    out.write_text(json.dumps([dict(zip(header, r, strict=True)) for r in body], indent=1))
    return out


def ms(values: Sequence[float]) -> tuple[str, str, str]:
    """Median, p90 and p99 of seconds, formatted in milliseconds."""
    return (
        f"{statistics.median(values) * 1000:.2f}",
        f"{percentile(values, 90) * 1000:.2f}",
        f"{percentile(values, 99) * 1000:.2f}",
    )
