"""The state directory is private: 0700, files 0600, created so; other users read nothing of it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from qiskit import QuantumCircuit

from qrt_lab.local.store import Store
from qrt_lab.runtime import QiskitRuntimeService, SamplerV2
from qrt_lab.runtime.api.discovery import LocalServiceInfo, ensure_running, stop_service

NOBODY = 65534
REPO = Path(__file__).resolve().parents[2]


def _modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root.parent)): stat.S_IMODE(p.lstat().st_mode)
        for p in [root, *root.rglob("*")]
        if not p.is_symlink()
    }


def _run_one_job(info: LocalServiceInfo) -> None:
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform", token=info.api_key, url=info.url, instance=info.instance
    )
    backend = service.backend("local_5q")
    circuit = QuantumCircuit(1)
    circuit.x(0)
    circuit.measure_all()
    circuit = circuit.decompose()
    from qiskit.transpiler import generate_preset_pass_manager

    isa = generate_preset_pass_manager(backend=backend, optimization_level=0).run(circuit)
    counts = SamplerV2(mode=backend).run([isa], shots=20).result()[0].data.meas.get_counts()
    assert sum(counts.values()) == 20


@pytest.fixture
def on_demand(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state directory the client starts a service in on demand, as a kernel does.

    Its parents are open to everyone (as a home directory on a shared host may be), so only the
    state directory's own modes keep other users out.
    """
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    home = Path(tempfile.mkdtemp(prefix="qrt-home-"))
    os.chmod(home, 0o755)
    state = home / "local"
    try:
        yield state
    finally:
        stop_service(state)
        shutil.rmtree(home, ignore_errors=True)


def test_a_new_state_directory_and_its_files_are_private(on_demand: Path) -> None:
    info = ensure_running(on_demand, idle_timeout=0)
    _run_one_job(info)
    modes = _modes(on_demand)
    assert {"local/state.sqlite3", "local/api_key", "local/service.json"} <= set(modes)
    assert any(name.endswith("-wal") for name in modes), modes
    loose = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert not loose, f"readable by group or others: {loose}"
    assert modes["local"] == 0o700
    log = (on_demand / "service.log").read_text()
    assert "tightened" not in log  # created private, not chmod-ed after


def test_a_loose_state_directory_is_tightened_and_logged(on_demand: Path) -> None:
    on_demand.mkdir(mode=0o755)
    os.chmod(on_demand, 0o755)  # whatever the umask
    Store(on_demand / "state.sqlite3").close()
    os.chmod(on_demand / "state.sqlite3", 0o644)
    (on_demand / "notes.txt").write_text("left by an older version\n")
    os.chmod(on_demand / "notes.txt", 0o644)

    info = ensure_running(on_demand, idle_timeout=0)
    _run_one_job(info)

    loose = {n: oct(m) for n, m in _modes(on_demand).items() if m & 0o077}
    assert not loose
    log = (on_demand / "service.log").read_text()
    assert "tightened the modes of" in log and "state.sqlite3" in log


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a command as a second user")
def test_another_user_reads_nothing_and_cannot_use_the_service(on_demand: Path) -> None:
    info = ensure_running(on_demand, idle_timeout=0)
    _run_one_job(info)
    for name in ("api_key", "state.sqlite3", "service.json"):
        denied = subprocess.run(
            ["/bin/cat", str(on_demand / name)], user=NOBODY, group=NOBODY, capture_output=True
        )
        assert denied.returncode != 0 and b"Permission denied" in denied.stderr, name
    listing = subprocess.run(["/bin/ls", str(on_demand)], user=NOBODY, capture_output=True)
    assert listing.returncode != 0
    # the service itself answers only with the key, which that user cannot read
    curl = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", info.url + "/api/v1/jobs"],
        user=NOBODY,
        capture_output=True,
        text=True,
    )
    if curl.returncode == 0:
        assert curl.stdout == "401"


def _serve(state: Path) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "qrt_lab.local", "serve", "--port", "0", "--state-dir"]
    return subprocess.run(
        [*args, str(state)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a read-only tmpfs")
def test_a_read_only_state_directory_is_refused_in_one_line(tmp_path: Path) -> None:
    mount = tmp_path / "ro"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        result = _serve(mount)
    finally:
        subprocess.run(["umount", str(mount)], check=True)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "read-only" in lines[0] and str(mount) in lines[0]
