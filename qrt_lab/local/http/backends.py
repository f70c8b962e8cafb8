"""Backend routes (spec §3.1 to 3.4): list, configuration, properties, status."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import cache
from typing import Any

from qrt_lab.local.devices.calibrations import MAX_CALIBRATION_ID_LENGTH
from qrt_lab.local.devices.catalog import Device
from qrt_lab.local.devices.performance import performance_metrics
from qrt_lab.local.errors import ApiError

from .base import RuntimeHandler

__all__ = ["BackendDocumentHandler", "BackendStatusHandler", "BackendsHandler"]

NAMES_ONLY_BEFORE = "2025-01-01"


@cache
def _metrics(device: Device) -> dict[str, Any] | None:
    return performance_metrics(device.properties)


@cache
def _document_text(device: Device, document: str) -> str:
    if document == "configuration":
        return json.dumps(device.configuration)
    return json.dumps(device.properties or {})


class _BackendHandler(RuntimeHandler):
    def device(self, name: str) -> Device:
        device = self.service.catalog.get(name)
        if device is None:
            names = ", ".join(self.service.catalog.names())
            raise ApiError.not_found(
                f"Backend {name!r} was not found. Available: {names}.",
                code="backend_not_found",
            )
        return device


class BackendsHandler(_BackendHandler):
    """``GET /backends``: every device; names only for ``IBM-API-Version`` before 2025-01-01.

    With ``?include_mocks=true`` (what the official client asks when it looks a backend up)
    the devices' mock twins for ``dry_run`` follow, marked ``"class": "mock"``; without it, and
    in the names-only form, which cannot mark them, they are left out, as IBM does.
    """

    def get(self) -> None:
        """List devices with queue lengths and metrics."""
        devices = self.service.catalog.all()
        version = (self.request.headers.get("IBM-API-Version") or "").strip()
        if version and version < NAMES_ONLY_BEFORE:
            self.write_json({"devices": [d.name for d in devices]})
            return
        queues = self.service.store.queue_lengths()
        entries = []
        flag = (self.get_query_argument("include_mocks", "") or "").strip().lower()
        if flag in ("true", "1"):
            devices += self.service.catalog.mocks()
        for device in devices:
            entry = device.summary(queue_length=queues.get(device.name, 0))
            entry["performance_metrics"] = _metrics(device)
            entries.append(entry)
        self.write_json({"devices": entries})


class BackendDocumentHandler(_BackendHandler):
    """``GET /backends/{name}/configuration`` and ``/properties`` (``?calibration_id=``,
    ``?updated_before=``)."""

    def get(self, name: str, document: str) -> None:
        """Serve the stored document; properties of a simulator are ``{}``.

        With ``calibration_id``, the properties of that calibration (404 when the device has no
        calibration with that id); the configuration is the same for every calibration. With
        ``updated_before`` (and no id), the properties of the newest calibration updated before
        that time, ``{}`` if none (what ``backend.properties(datetime=...)`` asks).
        """
        device = self.device(name)
        wanted = self.get_query_argument("calibration_id", None, strip=False)
        before = self.get_query_argument("updated_before", None, strip=False)
        if not wanted and before and document == "properties":
            self.write_json(device.properties_before(_checked_time(before)) or {})
            return
        if not wanted:
            self.write_json_text(_document_text(device, document))
            return
        properties = device.properties_for(_checked_calibration_id(wanted))
        if properties is None:
            known = [p["calibration_id"] for p in (device.properties, *device.past_properties) if p]
            raise ApiError.not_found(
                f"Calibration {wanted!r} of backend {name!r} was not found. "
                + (
                    f"Known calibrations, newest first: {', '.join(known)}."
                    if known
                    else "This backend has no calibrations (it is a simulator)."
                ),
                code="calibration_not_found",
            )
        if document == "configuration":
            self.write_json_text(_document_text(device, document))
        else:
            self.write_json(properties)


def _checked_time(value: str) -> datetime:
    """``?updated_before=``: an ISO 8601 time (UTC when it names no zone)."""
    try:
        if len(value) > 64:
            raise ValueError(value)
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError.bad_request(
            "'updated_before' must be an ISO 8601 time such as 2026-12-07T10:00:00Z; "
            "the properties of the newest calibration before it are returned."
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _checked_calibration_id(value: str) -> str:
    if len(value) > MAX_CALIBRATION_ID_LENGTH or not value.isprintable():
        raise ApiError.bad_request(
            f"'calibration_id' must be at most {MAX_CALIBRATION_ID_LENGTH} printable characters; "
            "use an id from a properties document's 'calibration_id'."
        )
    return value


class BackendStatusHandler(_BackendHandler):
    """``GET /backends/{name}/status``."""

    def get(self, name: str) -> None:
        """Report the device as active with its queue length."""
        device = self.device(name)
        online = device.status == "online"
        self.write_json(
            {
                "state": online,
                "status": "active" if online else device.status,
                "message": "available" if online else device.status,
                "length_queue": self.service.store.queue_lengths().get(name, 0),
                "backend_version": str(device.configuration.get("backend_version", "1.0.0")),
            }
        )
