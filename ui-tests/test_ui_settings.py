"""The qrt-lab settings schema reaches JupyterLab's settings registry."""

from __future__ import annotations

from labserver import Lab


def test_settings_schema_is_served(lab: Lab) -> None:
    with lab.api() as client:
        response = client.get("/lab/api/settings/qrt-lab:plugin")
    assert response.status_code == 200
    schema = response.json()["schema"]
    interval = schema["properties"]["pollInterval"]
    assert interval["default"] == 30
    assert interval["minimum"] == 5
    assert interval["maximum"] == 3600
    assert schema["title"] == "Qiskit Runtime"
