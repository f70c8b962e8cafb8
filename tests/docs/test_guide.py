"""Every ``python`` block of docs/guide and of the README runs.

In order, one process per page, on a private local service in a clean HOME. A block right after
``<!-- requires: ibm-account -->`` is skipped (it needs a real IBM Quantum account); there are
few, and they are counted here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qrt_lab.runtime.api.discovery import LocalServiceInfo

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "guide"
PAGES = sorted(GUIDE.glob("*.md"))
#: The README's quick starts run too (a newcomer follows only the README).
RUN = [*PAGES, REPO / "README.md"]
BLOCK = re.compile(r"(<!-- requires: ibm-account -->\n)?```python\n(.*?)```", re.S)
#: Blocks that need an IBM Quantum account (kept few: everything else runs locally).
MAX_ACCOUNT_BLOCKS = 3

RUNNER = """
import json, sys, traceback
blocks = json.loads(sys.stdin.read())
namespace = {"__name__": "__main__"}
for index, source in enumerate(blocks):
    try:
        exec(compile(source, f"block {index}", "exec"), namespace)
    except BaseException:
        print(f"GUIDE BLOCK {index} FAILED", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
"""


def blocks_of(page: Path) -> list[tuple[bool, str]]:
    """``(needs_account, source)`` of every python block of a page, in order."""
    return [(bool(m.group(1)), m.group(2)) for m in BLOCK.finditer(page.read_text())]


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory, spawn_local_service: Any
) -> Iterator[LocalServiceInfo]:
    state = tmp_path_factory.mktemp("guide-local")
    with spawn_local_service(state, devices=False) as (info, _):
        yield info


def test_the_guide_has_its_pages_and_few_account_blocks() -> None:
    names = {p.name for p in PAGES}
    assert {"accounts.md", "backends.md", "primitives.md", "sessions.md", "local-service.md",
            "jupyterlab.md", "troubleshooting.md"} <= names  # fmt: skip
    account_blocks = sum(needs for page in PAGES for needs, _ in blocks_of(page))
    assert 0 < account_blocks <= MAX_ACCOUNT_BLOCKS
    # every guide page runs something (the README's commands are shell), so the runner below
    # cannot silently shrink
    assert [p.name for p in RUN if p not in RUNNABLE] == ["README.md"]


#: Pages with at least one block that runs without an IBM account (an index page has none).
RUNNABLE = [page for page in RUN if any(not needs for needs, _ in blocks_of(page))]


@pytest.mark.parametrize("page", RUNNABLE, ids=[f"{p.parent.name}/{p.stem}" for p in RUNNABLE])
def test_every_python_block_runs(page: Path, service: LocalServiceInfo, tmp_path: Path) -> None:
    runnable = [source for needs, source in blocks_of(page) if not needs]
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("QISKIT_IBM_", "IAM_", "GLOBAL_"))
    }
    env.update(HOME=str(tmp_path), QRT_LAB_LOCAL_DIR=str(service.state_dir), MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(runnable),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", RUN, ids=[f"{p.parent.name}/{p.stem}" for p in RUN])
def test_local_links_and_images_exist(page: Path) -> None:
    targets = [t for t in LINK.findall(page.read_text()) if "://" not in t]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert missing == [], f"{page.name} links to missing files: {missing}"
    for image in (t for t in targets if t.endswith(".png")):
        assert (page.parent / image).stat().st_size < 200_000, f"{image}: keep PNGs small"


def test_the_examples_table_agrees_with_the_notebooks() -> None:
    """examples/README.md lists every notebook and says no less than the notebook about ZNE."""
    table = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    notebooks = sorted((REPO / "examples").glob("*.ipynb"))
    assert len(notebooks) == 8
    assert [n.name for n in notebooks if f"`{n.name}`" not in table] == []
    notebook = REPO / "examples" / "06_error_mitigation.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    words = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    if "local service applies ZNE" in words:
        assert "does not apply ZNE" not in table, "the table contradicts notebook 6"


def test_an_example_that_saves_an_account_deletes_it_again() -> None:
    """A saved local account pins the service's port: left in ~/.qiskit, it breaks later runs."""
    saves = re.compile(r"save_account\((?:.|\n)*?name=\"([^\"]+)\"")
    for notebook in sorted((REPO / "examples").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for name in saves.findall(code):
            assert f'delete_account(name="{name}")' in code, (notebook.name, name)
