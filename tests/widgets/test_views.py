"""CouplingMapView, BackendBrowser and AccountSetup on the real local service."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from qrt_lab.plots import EDGE_BUCKETS
from qrt_lab.runtime import QiskitRuntimeService
from qrt_lab.runtime.api.discovery import LocalServiceInfo
from qrt_lab.runtime.summaries import words
from qrt_lab.runtime.summaries.calibration import Calibration
from qrt_lab.widgets import AccountSetup, BackendBrowser, CouplingMapView
from qrt_lab.widgets.backends import calibrated_html, calibrated_text


def largest(service: QiskitRuntimeService) -> Any:
    return max(service.backends(), key=lambda b: b.num_qubits)


def test_coupling_map_view_switches_metrics(service: QiskitRuntimeService) -> None:
    backend = largest(service)
    view = CouplingMapView(backend, qubit_metric="T1")
    assert len(view.figure.data) == EDGE_BUCKETS + 3
    qubits = view.figure.data[-1]
    assert len(qubits.x) == backend.num_qubits
    assert qubits.marker.colorbar.title.text == "T1 (µs)"
    assert view.edge_metric in {"cz", "ecr", "rzz", "cx"}
    view.qubit_metric = "readout_error"
    assert view.figure.data[-1].marker.colorbar.title.text == "readout error"
    coloured = [len(t.x) // 3 for t in view.figure.data[: EDGE_BUCKETS + 1]]
    assert sum(1 for count in coloured[:EDGE_BUCKETS] if count) > 2  # not one colour for all
    view.edge_metric = ""
    assert len(view.figure.data[EDGE_BUCKETS].x) // 3 == sum(coloured)  # all in "no data"
    assert len(view.figure.data) == EDGE_BUCKETS + 3


def test_coupling_map_view_of_an_official_backend(
    official: Any, service: QiskitRuntimeService
) -> None:
    theirs = official.backend(largest(service).name)
    view = CouplingMapView(theirs, qubit_metric="T2", edge_metric=None)
    assert len(view.figure.data[-1].x) == theirs.num_qubits
    assert view.qubit_metric == "T2"


def test_backend_browser_table_detail_and_cdf(service: QiskitRuntimeService) -> None:
    browser = BackendBrowser(service)
    names = [b.name for b in service.backends()]
    for name in names:
        assert f"<td>{name}</td>" in browser.table.value
    assert browser.selected == names[0]
    assert browser.detail.children[0].backend.name == names[0]  # drawn without a click
    browser.selected = names[-1]
    view = browser.detail.children[0]
    assert isinstance(view, CouplingMapView) and view.backend.name == names[-1]
    # the built-in devices were calibrated hours ago: an age (or none), and no stale mark
    line = browser.detail.children[-1].value
    calibrated = browser.calibrations[names[-1]] is not None
    assert "Calibrated" in line and (" ago" in line) == calibrated and "qrt-stale" not in line
    with_calibration = [n for n, cal in browser.calibrations.items() if cal is not None]
    assert len(browser.cdf.data) == 4 * len(with_calibration)


def test_account_setup_tests_and_saves_without_leaking_the_key(
    local_service: LocalServiceInfo, tmp_path: Path
) -> None:
    accounts = tmp_path / "qiskit-ibm.json"
    setup = AccountSetup(filename=str(accounts))
    assert "No saved accounts" in setup.saved.value
    setup.channel.value = "ibm_quantum_platform"
    assert setup.test() is False and "Enter the API key" in setup.status
    setup.token.value = "wrong-key-123"
    setup.url.value = local_service.url
    setup.instance.value = local_service.instance
    assert setup.test() is False
    assert "wrong-key-123" not in setup.status and "wrong-key-123" not in setup._message.value
    setup.token.value = local_service.api_key
    setup.name.value = "lab"
    assert setup.save() is True, setup.status
    assert re.search(r"\d+ backends? available", setup.status) and "Saved" in setup.status
    saved = json.loads(accounts.read_text())
    assert saved["lab"]["token"] == local_service.api_key
    assert "lab" in setup.saved.value and local_service.api_key not in setup.saved.value
    assert local_service.api_key not in json.dumps(setup.get_state(), default=str).replace(
        json.dumps(setup.token.get_state(), default=str), ""
    )


def test_account_setup_local_channel_needs_no_key(
    local_service: LocalServiceInfo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QRT_LAB_LOCAL_DIR", str(local_service.state_dir))
    setup = AccountSetup(filename=str(tmp_path / "none.json"))
    assert setup.channel.value == "local" and setup.token.disabled
    assert setup.test() is True, setup.status


def test_a_calibration_older_than_a_week_is_marked_stale_with_why() -> None:
    """648 days old: the age, the mark, and a title saying its predictions may be off."""
    now = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
    old = Calibration(num_qubits=1, last_update="2025-02-27T12:00:00Z")
    week = Calibration(num_qubits=1, last_update="2026-11-30T12:00:00Z")  # exactly 7 days
    assert calibrated_text(old, now) == "648 d ago ⚠ stale"
    assert calibrated_text(week, now) == "7 d ago"
    assert calibrated_text(None, now) == "no calibration data"
    page = calibrated_html(old, now)
    assert 'class="qrt-stale"' in page and "may be off" in page
    assert words.STALE_CALIBRATION_HINT.split(":")[0] in page
    assert "qrt-stale" not in calibrated_html(week, now)
