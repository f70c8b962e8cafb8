"""The sidebar as a JupyterLab citizen: palette, status bar, notifications, keyboard, recovery.

One local service and one ``jupyter lab`` serve the module; no kernel runs (jobs come from this
process, as from any script), so stopping the service in the recovery test leaves nothing that
would start it again (it starts it again itself). Each test submits the jobs it needs, so the
file passes alone, in any order (``--reverse``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import running_lab
from labserver import Lab
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sidebar_lab import (
    PANEL,
    client_of,
    lab_config,
    only_section,
    open_lab,
    shoot,
    start_service,
    stop_service,
)

from qrt_lab.runtime.api.discovery import LocalServiceInfo

SETTINGS = "/lab/api/settings/qrt-lab:plugin"


@dataclass
class Stack:
    """The module's lab and its local service (which the recovery test restarts)."""

    lab: Lab
    state: Path
    root: Path
    service: LocalServiceInfo
    process: subprocess.Popen[bytes]
    jobs: list[str] = field(default_factory=list)

    @property
    def account_file(self) -> Path:
        return self.root / "accounts.json"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A local service (one worker, so a long job keeps later ones queued) and a lab using it."""
    root = tmp_path_factory.mktemp("citizen-lab")
    state = root / "service"
    info, proc = start_service(state)
    config = lab_config(root, state)
    saved = os.environ.pop("QISKIT_IBM_TOKEN", None)
    running = Stack(Lab("", "", root / "lab.log"), state, root, info, proc)
    try:
        with running_lab(root, f"--config={config}") as lab:
            running.lab = lab
            yield running
    finally:
        if saved is not None:
            os.environ["QISKIT_IBM_TOKEN"] = saved
        stop_service(running.process)


def section_title(page: Page, label: str) -> Any:
    return page.locator(f"{PANEL} .jp-AccordionPanel-title", has_text=label)


def palette(page: Page, label: str) -> Any:
    """Open the command palette, find ``label`` and return its item (not yet run)."""
    search = page.locator(".jp-ModalCommandPalette .lm-CommandPalette-input")
    item = page.locator(".jp-ModalCommandPalette .lm-CommandPalette-item", has_text=label).first
    # The shell may still move focus after the click, which closes the modal palette again
    # (it hides on blur): open it, and if it closed before the item showed, open it anew.
    for _ in range(4):
        page.locator("#jp-main-dock-panel").click(position={"x": 400, "y": 300})
        page.keyboard.press("Control+Shift+c")
        try:
            search.wait_for(state="visible", timeout=3000)
            search.fill(label)
            item.wait_for(state="visible", timeout=3000)
            return item
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    expect(search).to_be_visible()
    expect(item).to_be_visible()
    return item


def client(stack: Stack) -> Any:
    """A client of the local service from this process, as any script would use."""
    return client_of(stack.service)


def submit(stack: Stack, qubits: int = 3, shots: int = 200, heavy: bool = False) -> str:
    """A sampler job on local_falcon27; ``heavy`` keeps the one worker busy for minutes."""
    from qiskit import QuantumCircuit
    from qiskit.transpiler import generate_preset_pass_manager

    from qrt_lab.runtime import SamplerV2

    backend = client(stack).backend("local_falcon27")
    qc = QuantumCircuit(16 if heavy else qubits)
    if heavy:
        # entangling and non-Clifford: noisy shots are trajectories on every method (slow)
        for layer in range(4):
            qc.rx(0.3 + 0.1 * layer, range(16))
            for qubit in range(15):
                qc.cx(qubit, qubit + 1)
    else:
        qc.h(range(qubits))
    qc.measure_all()
    isa = generate_preset_pass_manager(optimization_level=0, backend=backend).run(qc)
    job_id = str(SamplerV2(mode=backend).run([isa], shots=20_000 if heavy else shots).job_id())
    stack.jobs.append(job_id)
    return job_id


def add_account(stack: Stack, name: str) -> None:
    """Save an account of the local service through the extension's REST API (as a script)."""
    info = stack.service
    with stack.lab.api() as api:
        response = api.post(
            "/qrt-lab/api/accounts",
            json={
                "name": name,
                "channel": "ibm_quantum_platform",
                "token": info.api_key,
                "instance": info.instance,
                "url": info.url,
                "set_as_default": False,
            },
        )
    assert response.status_code == 201, response.text


def saved_names(stack: Stack) -> list[str]:
    if not stack.account_file.exists():
        return []
    return list(json.loads(stack.account_file.read_text()))


def test_palette_commands(page: Page, stack: Stack) -> None:
    done = submit(stack)
    open_lab(page, stack.lab)
    # open the panel: from another left panel, the command brings the sidebar back
    page.locator('.jp-SideBar.jp-mod-left li[data-id="filebrowser"]').click()
    expect(page.locator(PANEL)).to_be_hidden()
    item = palette(page, "Open the Qiskit Runtime sidebar")
    # the modal palette hides its headers; the item still sits under its category's header
    category = item.evaluate(
        """item => {
          let node = item.previousElementSibling;
          while (node && !node.classList.contains('lm-CommandPalette-header')) {
            node = node.previousElementSibling;
          }
          return node ? node.textContent.trim() : '';
        }"""
    )
    assert category == "Qiskit Runtime"
    item.click()
    expect(page.locator(PANEL)).to_be_visible()

    # add an account: expands the Account section with the form open
    only_section(page, "Jobs")
    palette(page, "Add a Qiskit Runtime account").click()
    form = page.locator("#qrt-lab-account form.qrt-AccountForm")
    expect(form).to_be_visible()
    expect(form.get_by_label("API key")).to_have_attribute("type", "password")
    form.get_by_role("button", name="Cancel").click()
    expect(form).to_be_hidden()

    # refresh: the account, the backends and the jobs are fetched again, now
    wanted = ("/qrt-lab/api/accounts", "/qrt-lab/api/backends", "/qrt-lab/api/jobs?")
    seen: list[str] = []
    page.on("requestfinished", lambda request: seen.append(request.url))
    page.wait_for_timeout(500)  # earlier requests finish before counting starts
    item = palette(page, "Refresh Qiskit Runtime")  # (a modal palette closes when it idles)
    seen.clear()
    item.click()
    page.wait_for_timeout(3000)
    for path in wanted:
        assert any(path in url for url in seen), f"refresh did not fetch {path}: {seen}"

    # open a job by id: a dialog asks for the id, the job view opens
    expect(page.locator(f'#qrt-lab-jobs [data-job-id="{done}"]')).to_have_attribute(
        "data-status", "completed", timeout=120_000
    )
    palette(page, "Open a Qiskit Runtime job by ID").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Job ID")
    dialog.locator("input").fill(done)
    dialog.locator("input").press("Enter")
    view = page.locator(f'.qrt-JobView[data-job-id="{done}"]')
    expect(view).to_be_visible(timeout=30_000)
    expect(view).to_contain_text(done)
    expect(view.locator(".qrt-ResultPlot")).to_have_attribute(
        "data-rendered", "sampler", timeout=60_000
    )


def test_notifications_and_the_setting_that_turns_them_off(
    page: Page, stack: Stack, artifacts: Path
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_lab(page, stack.lab)
    only_section(page, "Jobs")
    first, second = submit(stack), submit(stack)
    toast = page.locator(".Toastify__toast", has_text=first)
    expect(toast).to_contain_text("completed", timeout=120_000)
    expect(toast.get_by_role("button", name="Open result")).to_be_visible()
    expect(toast.get_by_role("button", name="Copy job ID")).to_be_visible()
    shoot(page, artifacts / "citizen-notification", ".Toastify__toast-container")
    toast.get_by_role("button", name="Copy job ID").click()
    assert page.evaluate("() => navigator.clipboard.readText()") == first
    other = page.locator(".Toastify__toast", has_text=second)
    expect(other).to_contain_text("completed", timeout=120_000)
    other.get_by_role("button", name="Open result").click()
    expect(page.locator(f'.qrt-JobView[data-job-id="{second}"]')).to_be_visible(timeout=30_000)

    # the setting off: a finished job shows no notification
    with stack.lab.api() as api:
        api.put(SETTINGS, json={"raw": json.dumps({"notifications": False})}).raise_for_status()
    try:
        open_lab(page, stack.lab)
        only_section(page, "Jobs")
        quiet = submit(stack)
        row = page.locator(f'#qrt-lab-jobs [data-job-id="{quiet}"]')
        expect(row).to_have_attribute("data-status", "completed", timeout=120_000)
        page.wait_for_timeout(2000)
        expect(page.locator(".Toastify__toast", has_text=quiet)).to_have_count(0)
    finally:
        with stack.lab.api() as api:
            api.put(SETTINGS, json={"raw": "{}"}).raise_for_status()


def test_delete_an_account_asks_first_and_removes_it_from_the_file(
    page: Page, stack: Stack, artifacts: Path
) -> None:
    add_account(stack, "to-keep")
    add_account(stack, "to-delete")
    assert "to-delete" in saved_names(stack)
    open_lab(page, stack.lab)
    only_section(page, "Account")
    account = page.locator("#qrt-lab-account")
    account.locator("summary", has_text="Saved accounts").click()
    row = account.locator(".qrt-Accounts li", has_text="to-delete")
    expect(row).to_be_visible()
    row.get_by_role("button", name="Delete account to-delete").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Delete account to-delete?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(row).to_be_visible()
    assert "to-delete" in saved_names(stack)
    row.get_by_role("button", name="Delete account to-delete").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0, timeout=15_000)
    assert "to-delete" not in saved_names(stack)
    assert "to-keep" in saved_names(stack), "only the chosen account goes"
    with stack.lab.api() as api:  # a saved account would be the default from now on
        api.delete("/qrt-lab/api/accounts/to-keep").raise_for_status()


def test_keyboard_reaches_sections_backends_and_jobs(page: Page, stack: Stack) -> None:
    # this test's own jobs, finished, so the list is still while the keys move through it
    mine = [submit(stack), submit(stack)]
    open_lab(page, stack.lab)
    only_section(page, "")

    # the sections: with all collapsed, Tab walks their titles; Enter toggles one
    section_title(page, "Account").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Jobs", f"Tab from Account reached {focused!r}, not the Jobs title"
    jobs_title = section_title(page, "Jobs")
    page.keyboard.press("Enter")
    expect(jobs_title).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(jobs_title).to_have_attribute("aria-expanded", "false")
    only_section(page, "Backends")

    # backends: from the filter, Tab reaches a row; arrows move, Enter opens the backend view
    backends = page.locator("#qrt-lab-backends")
    expect(backends.locator("tr[data-backend]").first).to_be_visible(timeout=30_000)
    backends.get_by_label("Filter backends").focus()
    focused = ""
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.dataset.backend || ''")
        if focused:
            break
    first = backends.locator("tr[data-backend]").first.get_attribute("data-backend")
    assert focused == first, f"Tab never reached the backends table (stopped at {focused!r})"
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => document.activeElement.dataset.backend || ''")
    assert chosen and chosen != first
    page.keyboard.press("Enter")
    expect(page.locator(f'.qrt-BackendView[data-backend="{chosen}"]')).to_be_visible(timeout=30_000)

    # jobs: from the tag filter, Tab reaches the active row; Down moves, Enter opens the job
    only_section(page, "Jobs")
    jobs = page.locator("#qrt-lab-jobs")
    for job_id in mine:
        expect(jobs.locator(f'[data-job-id="{job_id}"]')).to_have_attribute(
            "data-status", "completed", timeout=120_000
        )
    jobs.get_by_label("Filter by tag").focus()
    page.keyboard.press("Tab")
    current = page.evaluate("() => document.activeElement.dataset.jobId || ''")
    assert current == jobs.locator(".qrt-JobRow").first.get_attribute("data-job-id")
    page.keyboard.press("ArrowDown")
    current = page.evaluate("() => document.activeElement.dataset.jobId || ''")
    assert current == jobs.locator(".qrt-JobRow").nth(1).get_attribute("data-job-id")
    page.keyboard.press("Enter")
    expect(page.locator(f'.qrt-JobView[data-job-id="{current}"]')).to_be_visible(timeout=30_000)


def test_status_bar_counts_queued_and_running_and_opens_jobs(
    page: Page, stack: Stack, artifacts: Path
) -> None:
    blocker = submit(stack, heavy=True)
    queued = submit(stack)
    open_lab(page, stack.lab)
    only_section(page, "Account")
    item = page.locator("#jp-main-statusbar .qrt-StatusItem")
    expect(item).to_contain_text("1 queued", timeout=30_000)
    expect(item).to_contain_text("1 in progress", timeout=30_000)
    expect(item).to_have_attribute("aria-label", re.compile("1 queued, 1 in progress"))
    shoot(page, artifacts / "citizen-statusbar", "#jp-main-statusbar")
    page.locator('.jp-SideBar.jp-mod-left li[data-id="filebrowser"]').click()
    expect(page.locator(PANEL)).to_be_hidden()
    item.click()
    expect(page.locator(PANEL)).to_be_visible()
    expect(section_title(page, "Jobs")).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f'#qrt-lab-jobs [data-job-id="{queued}"]')).to_be_visible()
    with stack.lab.api() as api:
        for job_id in (queued, blocker):
            api.post(f"/qrt-lab/api/jobs/{job_id}/cancel")
    expect(item).to_contain_text("0 queued", timeout=30_000)
    expect(item).to_contain_text("0 in progress", timeout=30_000)


def test_unreachable_runtime_is_explained_and_the_panel_recovers(
    page: Page, stack: Stack, artifacts: Path
) -> None:
    with stack.lab.api() as api:
        api.put("/qrt-lab/api/accounts/active", json={"name": "local"}).raise_for_status()
    open_lab(page, stack.lab)
    only_section(page, "Jobs")
    status = page.locator(f"{PANEL} .qrt-ServerStatus")
    problem = status.locator(".qrt-ServerStatus-problem")
    expect(problem).to_have_count(0)
    stop_service(stack.process)
    expect(problem).to_be_visible(timeout=30_000)
    expect(problem).to_contain_text("cannot be reached")
    expect(problem).to_contain_text("python -m qrt_lab.local serve")
    text = page.locator(PANEL).inner_text()
    assert "Traceback" not in text
    assert stack.service.api_key not in page.content()
    assert stack.lab.token not in text
    shoot(page, artifacts / "citizen-unreachable", PANEL)
    stack.service, stack.process = start_service(stack.state)
    # no reload: the panel notices the service by itself
    expect(problem).to_have_count(0, timeout=60_000)
    expect(status.locator(".qrt-ServerStatus-message")).to_contain_text("Connected")
    fresh = submit(stack)
    expect(page.locator(f'#qrt-lab-jobs [data-job-id="{fresh}"]')).to_be_visible(timeout=30_000)
