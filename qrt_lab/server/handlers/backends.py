"""``/qrt-lab/api/backends``: the list, one backend's detail, and its calibration as CSV."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

from tornado import web

from ...plots.coupling import coupling_layout
from ...runtime.summaries.backends import BackendSummary, backend_detail
from ...runtime.summaries.calibration import calibration_csv, parse_calibration
from ..encoded_body import EncodedBody
from ..problems import ApiProblem
from .runtime_base import RuntimeApiHandler

if TYPE_CHECKING:
    from ...runtime.api.rest import AsyncRuntimeRest


__all__ = ["BackendHandler", "BackendsHandler", "CalibrationCsvHandler"]

#: Not all dots: the name goes into the runtime URL path, where ".." would climb out of it.
_NAME = re.compile(r"^(?!\.+$)[A-Za-z0-9_.\-]{1,64}$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ApiProblem(
            400,
            "bad_backend_name",
            "Backend names are 1-64 letters, digits, '.', '_' or '-'.",
            "GET /qrt-lab/api/backends lists the names.",
        )
    return name


class BackendsHandler(RuntimeApiHandler):
    """Every backend of the active instance from one ``GET /backends``."""

    @web.authenticated
    async def get(self) -> None:
        """Return ``{"backends": [BackendSummary...]}`` (cached for ``backends_cache_ttl``)."""
        runtime = await self.runtime()
        cached = self.qrt.hub.backends_cache.get(runtime.ref.key)
        if cached is None:
            _, body = await self.call("backends", lambda rest: rest.backends(), "backends")
            devices = (body or {}).get("devices", []) if isinstance(body, dict) else body or []
            cached = [BackendSummary.from_api(d).to_json() for d in devices]
            self.qrt.hub.backends_cache.put(runtime.ref.key, cached)
        rows = cached
        self.write_encoded(
            self.qrt.encoded.body(
                ("backends", runtime.ref.key),
                (rows, runtime.ref),
                lambda: {"account": runtime.ref.to_json(), "backends": rows},
            )
        )


async def _documents(handler: RuntimeApiHandler, name: str) -> tuple[dict[str, Any], Any]:
    """Configuration and properties of ``name``, cached for ``backend_detail_cache_ttl``."""
    runtime = await handler.runtime()
    key = (runtime.ref.key, name)
    cached = handler.qrt.hub.detail_cache.get(key)
    if cached is not None:
        conf_cached, props_cached = cached
        return conf_cached, props_cached

    async def fetch(rest: AsyncRuntimeRest) -> tuple[Any, Any]:
        conf = await rest.backend_configuration(name)
        props = None
        if isinstance(conf, dict) and not conf.get("simulator"):
            props = await rest.backend_properties(name)
        return conf, props

    _, (conf, props) = await handler.call(f"backend '{name}'", fetch, ("backend", name))
    if not isinstance(conf, dict):
        raise ApiProblem(
            502,
            "runtime_error",
            f"The runtime sent no configuration for {name}.",
            "Try again later, or pick another backend.",
        )
    handler.qrt.hub.detail_cache.put(key, (conf, props))
    return conf, props


class BackendHandler(RuntimeApiHandler):
    """One backend: configuration summary, calibration arrays, coupling-map coordinates."""

    @web.authenticated
    async def get(self, name: str) -> None:
        """Return the backend detail (computed in a worker thread, reused while cached)."""
        runtime = await self.runtime()
        key = ("detail-json", runtime.ref.key, _check_name(name))
        body: EncodedBody | None = self.qrt.hub.detail_cache.get(key)
        if body is None:
            conf, props = await _documents(self, name)
            body = await asyncio.to_thread(_detail_body, name, conf, props)
            self.qrt.hub.detail_cache.put(key, body)
        self.write_encoded(body)


def _detail_body(name: str, conf: dict[str, Any], props: Any) -> EncodedBody:
    """The serialised detail; the calibration age is frozen while cached (it says when)."""
    detail = backend_detail(conf, props or None)
    coupling = detail["coupling_map"]
    n = int(detail["configuration"]["num_qubits"] or 0)
    # the client draws nothing: the coordinates of the coupling map are the server's to add
    layout = coupling_layout(n, coupling["edges"])
    coupling["x"] = [layout[q][0] for q in range(n)]
    coupling["y"] = [layout[q][1] for q in range(n)]
    return EncodedBody.of({"name": name, **detail})


class CalibrationCsvHandler(RuntimeApiHandler):
    """``GET /backends/{name}/calibration.csv``: one row per qubit."""

    @web.authenticated
    async def get(self, name: str) -> None:
        """Return the calibration as a CSV download."""
        conf, props = await _documents(self, _check_name(name))
        if not props:
            raise ApiProblem(
                404,
                "no_calibration",
                f"{name} has no calibration data (simulators have none).",
                "Pick a hardware backend.",
            )
        n = int(conf.get("n_qubits") or 0)
        text = await asyncio.to_thread(lambda: calibration_csv(parse_calibration(props, n)))
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}-calibration.csv"')
        self.finish(text)
