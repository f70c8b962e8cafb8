"""``import qrt_lab`` and the server extension must not import qiskit (fast server start)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("qiskit", "qiskit_aer", "qiskit_ibm_runtime")


def modules_after(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the top-level modules it imported."""
    probe = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "import qrt_lab",
        "import qrt_lab.server.app",
        "import qrt_lab.magics",
        "import qrt_lab.widgets",
        "import qrt_lab.plots",
        "import qrt_lab; qrt_lab._jupyter_server_extension_points(); "
        "qrt_lab._jupyter_labextension_paths()",
    ],
)
def test_no_heavy_imports(code: str) -> None:
    loaded = modules_after(code)
    assert "qrt_lab" in loaded
    assert not loaded & set(HEAVY), f"{code!r} imported {sorted(loaded & set(HEAVY))}"


def test_loading_the_server_extension_does_not_import_qiskit(tmp_path: object) -> None:
    code = (
        "from jupyter_server.serverapp import ServerApp\n"
        "app = ServerApp()\n"
        "app.jpserver_extensions = {'qrt_lab': True}\n"
        "app.initialize(argv=['--ServerApp.port=0', '--ServerApp.ip=127.0.0.1', '--allow-root', "
        f"'--ServerApp.root_dir={tmp_path}', '--ServerApp.open_browser=False'], "
        "find_extensions=False, new_httpserver=False)\n"
        "assert 'qrt_lab' in app.extension_manager.extensions, 'qrt_lab not enabled'\n"
        "def walk(router):\n"
        "    for rule in getattr(router, 'rules', []):\n"
        "        yield from walk(rule.target) if hasattr(rule.target, 'rules') else [rule]\n"
        "targets = {getattr(r.target, '__name__', '') for r in walk(app.web_app.default_router)}\n"
        "assert 'VersionHandler' in targets, 'qrt-lab routes not registered'\n"
    )
    loaded = modules_after(code)
    assert "jupyter_server" in loaded
    assert not loaded & set(HEAVY), f"server start imported {sorted(loaded & set(HEAVY))}"
