"""The Jupyter server restarts while jobs run: the open sidebar reconnects by itself.

One local service (one worker: a heavy job keeps the others queued) and a lab on it. While the
jobs are queued and running, the lab is stopped by pid and started again on the same port; the
page is not reloaded. The sidebar must come back to "connected" by itself, show every job's true
final state, and notify each finished job exactly once (those that finished while the server was
away included).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import running_lab
from playwright.sync_api import Page, expect
from sidebar_lab import (
    PANEL,
    client_of,
    lab_config,
    only_section,
    open_lab,
    start_service,
    stop_service,
)

from qrt_lab.runtime import SamplerV2
from qrt_lab.runtime.api.discovery import LocalServiceInfo

TOAST_RECORDER = """() => {
  window.__qrtToasts = [];
  const seen = new WeakSet();
  new MutationObserver(() => {
    for (const toast of document.querySelectorAll('.Toastify__toast')) {
      if (!seen.has(toast)) {
        seen.add(toast);
        window.__qrtToasts.push(toast.textContent || '');
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[Path, LocalServiceInfo]]:
    state = tmp_path / "service"
    info, proc = start_service(state)
    saved = os.environ.pop("QISKIT_IBM_TOKEN", None)
    try:
        yield state, info
    finally:
        if saved is not None:
            os.environ["QISKIT_IBM_TOKEN"] = saved
        stop_service(proc)


def _jobs(info: LocalServiceInfo) -> list[str]:
    """A heavy job (tens of seconds on the one worker) and two light ones queued behind it."""
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    client = client_of(info)
    backend = client.backend("local_falcon27")
    heavy = QuantumCircuit(14)
    for layer in range(3):
        heavy.rx(0.3 + 0.1 * layer, range(14))
        for qubit in range(13):
            heavy.cx(qubit, qubit + 1)
    heavy.measure_all()
    light = QuantumCircuit(3)
    light.h(range(3))
    light.measure_all()
    pm = generate_preset_pass_manager(optimization_level=0, backend=backend)
    sampler = SamplerV2(mode=backend)
    first = sampler.run([pm.run(heavy)], shots=1_500).job_id()
    return [first, *(sampler.run([pm.run(light)], shots=100).job_id() for _ in range(2))]


def _row(page: Page, job_id: str) -> Any:
    return page.locator(f'#qrt-lab-jobs [data-job-id="{job_id}"]')


def test_sidebar_reconnects_after_a_server_restart_and_notifies_each_job_once(
    page: Page, tmp_path: Path, service: tuple[Path, LocalServiceInfo], artifacts: Path
) -> None:
    state, info = service
    config = lab_config(tmp_path, state)
    with running_lab(tmp_path, f"--config={config}") as lab:
        port, token = int(lab.base.rsplit(":", 1)[1]), lab.token
        open_lab(page, lab)
        only_section(page, "Jobs")
        # every toast that ever appears, kept after it closes by itself (8 s)
        page.evaluate(TOAST_RECORDER)
        jobs = _jobs(info)
        expect(_row(page, jobs[0])).to_have_attribute("data-status", "running", timeout=60_000)
        expect(_row(page, jobs[2])).to_have_attribute("data-status", "queued", timeout=30_000)
    status = page.locator(f"{PANEL} .qrt-ServerStatus")
    expect(status).not_to_have_attribute("data-state", "ok", timeout=60_000)

    with running_lab(tmp_path, f"--config={config}", port=port, token=token):
        expect(status).to_have_attribute("data-state", "ok", timeout=120_000)
        client = client_of(info)
        for job_id in jobs:
            client.job(job_id).wait_for_final_state(timeout=600)
            # the service says done: the sidebar shows it within a few polls
            expect(_row(page, job_id)).to_have_attribute("data-status", "completed")
        page.wait_for_timeout(3000)  # time for a duplicate to show, if one were coming
        page.screenshot(path=artifacts / "restart-reconnected.png")
        toasts: list[str] = page.evaluate("() => window.__qrtToasts")
        for job_id in jobs:
            mine = [text for text in toasts if job_id in text]
            assert len(mine) == 1, (job_id, toasts)
            assert "completed" in mine[0]
