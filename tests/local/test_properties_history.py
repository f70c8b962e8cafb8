"""``GET /backends/{name}/properties?updated_before=``: a device's earlier calibrations by time.

What ``backend.properties(datetime=...)`` asks, in the official client and in qrt-lab's: the
properties of the newest calibration updated before that time. A built-in device keeps three
days of calibrations; before the oldest the answer is ``{}`` (no properties).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_http import runtime_client
from qiskit_ibm_runtime import QiskitRuntimeService

from qrt_lab.runtime.api.discovery import LocalServiceInfo

FALCON = "local_falcon27"


@pytest.fixture(scope="module")
def api(local_service: LocalServiceInfo) -> Iterator[httpx.Client]:
    with runtime_client(local_service) as client:
        yield client


def _when(document: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(document["last_update_date"]))


def _properties(api: httpx.Client, before: str) -> dict[str, object]:
    reply = api.get(f"/backends/{FALCON}/properties", params={"updated_before": before})
    assert reply.status_code == 200, reply.text
    return reply.json()  # type: ignore[no-any-return]


def test_updated_before_steps_back_through_the_calibrations(api: httpx.Client) -> None:
    current = api.get(f"/backends/{FALCON}/properties").json()
    now = _when(current)
    assert _properties(api, (now + timedelta(seconds=1)).isoformat()) == current
    seen = [current]
    before = now
    while document := _properties(api, before.isoformat()):
        assert _when(document) < before, "strictly older"
        seen.append(document)
        before = _when(document)
    assert len(seen) == 3, "today's calibration and the two days before"
    assert len({d["calibration_id"] for d in seen}) == 3
    naive = (now.astimezone(timezone.utc).replace(tzinfo=None)).isoformat()  # UTC when unzoned
    assert _properties(api, naive)["calibration_id"] == seen[1]["calibration_id"]
    zulu = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _properties(api, zulu)["calibration_id"] == seen[1]["calibration_id"]


def test_the_official_client_gets_an_earlier_calibration(
    service: QiskitRuntimeService, api: httpx.Client
) -> None:
    backend = service.backend(FALCON)
    current = backend.properties()
    earlier = backend.properties(datetime=current.last_update_date)
    assert earlier is not None and earlier.last_update_date < current.last_update_date
    assert earlier.qubits != current.qubits  # another day's values
    target = backend.target_history(current.last_update_date)
    assert target.num_qubits == backend.num_qubits


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.text(min_size=1, max_size=80))
def test_hostile_times_get_a_400_or_an_answer(api: httpx.Client, value: str) -> None:
    reply = api.get(f"/backends/{FALCON}/properties", params={"updated_before": value})
    assert reply.status_code in (200, 400), (value, reply.status_code, reply.text)
    if reply.status_code == 400:
        assert "updated_before" in reply.json()["errors"][0]["message"]
