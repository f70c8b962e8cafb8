"""Two Jupyter servers and a kernel edit ``~/.qiskit/qiskit-ibm.json`` at once.

Each writer saves, deletes and sets defaults through its real path (the servers' REST API, the
client's ``QiskitRuntimeService.save_account``), while a reader checks the file all along: it is
always whole JSON with mode 0600, and at the end no update is lost.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 8
KERNEL = """
import sys
from qrt_lab.runtime import QiskitRuntimeService
url, key, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(rounds):
    QiskitRuntimeService.save_account(
        token=key, url=url, name=f"kernel-{i}", set_as_default=(i % 2 == 0), overwrite=True
    )
    if i % 3 == 2:
        QiskitRuntimeService.delete_account(name=f"kernel-{i - 1}")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _jupyter_server(home: Path, root: Path) -> Iterator[httpx.Client]:
    # A free port can be taken by another process before the server binds it; the server then
    # exits at once ("already in use") and starts again on another port.
    for _ in range(5):
        with _server_on(home, root, _free_port()) as client:
            if client is not None:
                yield client
                return
    raise AssertionError("5 free ports were taken in turn")


@contextmanager
def _server_on(home: Path, root: Path, port: int) -> Iterator[httpx.Client | None]:
    token = secrets.token_hex(16)
    log = root / f"server-{port}.log"
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(REPO)}
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"token {token}"},
        timeout=60,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None and "is already in use" in log.read_text():
                yield None
                return
            assert process.poll() is None, log.read_text()[-2000:]
            try:
                if client.get("/qrt-lab/api/version").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.3)
        yield client
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _server_writer(client: httpx.Client, prefix: str, url: str, key: str) -> None:
    for i in range(ROUNDS):
        body = {"name": f"{prefix}-{i}", "token": key, "url": url, "set_as_default": i % 2 == 1}
        reply = client.post("/qrt-lab/api/accounts", json=body)
        assert reply.status_code == 201, reply.text
        if i % 3 == 2:
            gone = client.delete(f"/qrt-lab/api/accounts/{prefix}-{i - 1}")
            assert gone.status_code == 200, gone.text


def _expected(prefix: str) -> set[str]:
    deleted = {f"{prefix}-{i - 1}" for i in range(ROUNDS) if i % 3 == 2}
    return {f"{prefix}-{i}" for i in range(ROUNDS)} - deleted


def test_two_servers_and_a_kernel_lose_no_update_and_never_half_write(
    tmp_path: Path, local_service: Any
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    accounts = home / ".qiskit" / "qiskit-ibm.json"
    seen: list[str] = []
    stop = threading.Event()

    def read_all_along() -> None:
        while not stop.is_set():
            try:
                text = accounts.read_text()
                mode = stat.S_IMODE(accounts.stat().st_mode)
            except FileNotFoundError:
                continue
            json.loads(text)  # a half-written file raises here
            seen.append(oct(mode))

    errors: list[BaseException] = []

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                errors.append(exc)

        return run

    url, key = local_service.url, local_service.api_key
    with ExitStack() as stack:
        one = stack.enter_context(_jupyter_server(home, tmp_path))
        two = stack.enter_context(_jupyter_server(home, tmp_path))
        reader = threading.Thread(target=guarded(read_all_along))
        reader.start()
        writers = [
            threading.Thread(target=guarded(lambda: _server_writer(one, "one", url, key))),
            threading.Thread(target=guarded(lambda: _server_writer(two, "two", url, key))),
        ]
        kernel = subprocess.Popen(
            [sys.executable, "-c", KERNEL, url, key, str(ROUNDS)],
            env={**os.environ, "HOME": str(home), "PYTHONPATH": str(REPO)},
        )
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=300)
        assert kernel.wait(timeout=300) == 0
        stop.set()
        reader.join(timeout=30)
        listing = one.get("/qrt-lab/api/accounts").json()

    assert not errors, errors
    assert seen and set(seen) == {"0o600"}
    saved = json.loads(accounts.read_text())
    assert set(saved) == _expected("one") | _expected("two") | _expected("kernel")
    assert sum(bool(entry.get("is_default_account")) for entry in saved.values()) <= 1
    assert {row["name"] for row in listing["accounts"] if row["source"] == "saved"} == set(saved)
    assert key not in json.dumps(listing)
