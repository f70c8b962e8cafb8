"""The backends of a service: the ``GET /backends`` list, cached configurations and filters."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .backend import IBMBackend
from .exceptions import IBMInputValueError, RequestsApiError
from .target import FRACTIONAL_GATES, strip_fractional

if TYPE_CHECKING:
    from .api.rest import RuntimeRest
    from .service import QiskitRuntimeService

__all__ = ["BackendCatalog"]

logger = logging.getLogger(__name__)
BackendFilter = Callable[[IBMBackend], bool]


class BackendCatalog:
    """Builds and caches ``IBMBackend`` objects for one service.

    Args:
        service: The owning service (backends point back to it).
        client: Returns the REST client of an instance CRN.
    """

    def __init__(self, service: QiskitRuntimeService, client: Callable[[str], RuntimeRest]) -> None:
        self._service = service
        self._client = client
        self._configs: dict[tuple[str, str | None], dict[str, Any]] = {}
        self._backends: dict[tuple[str, bool | None, str | None], IBMBackend] = {}

    def devices(self, crn: str, include_mocks: bool = False) -> list[dict[str, Any]]:
        """``GET /backends`` of the instance (always fresh: it carries queue lengths)."""
        data = self._client(crn).backends() or {}
        devices = data.get("devices", []) if isinstance(data, dict) else []
        listed = [d if isinstance(d, dict) else {"name": d} for d in devices]
        return [d for d in listed if include_mocks or d.get("class") != "mock"]

    def _configuration(
        self, name: str, crn: str, calibration_id: str | None
    ) -> dict[str, Any] | None:
        key = (name, calibration_id)
        if key not in self._configs:
            try:
                conf = self._client(crn).backend_configuration(name, calibration_id=calibration_id)
            except RequestsApiError as err:
                if err.status_code == 404:
                    return None
                raise
            if not isinstance(conf, dict) or "backend_name" not in conf or "n_qubits" not in conf:
                logger.warning("Backend %s has an invalid configuration; skipped.", name)
                return None
            self._configs[key] = conf
        return self._configs[key]

    def get(
        self, name: str, crn: str, fractional: bool | None, calibration_id: str | None
    ) -> IBMBackend | None:
        """The backend ``name`` (configuration fetched once), or None if the service lacks it.

        Raises:
            IBMInputValueError: ``fractional`` is True but the backend has no fractional gates.
        """
        key = (name, fractional, calibration_id)
        if key not in self._backends:
            conf = self._configuration(name, crn, calibration_id)
            if conf is None:
                return None
            if fractional is True and not FRACTIONAL_GATES & set(conf.get("basis_gates", [])):
                raise IBMInputValueError(
                    f"Backend {name} does not support fractional gates; "
                    "use use_fractional_gates=False."
                )
            if fractional is False:
                conf = strip_fractional(conf)
            self._backends[key] = IBMBackend(
                conf, self._service, self._client(crn), instance=crn, calibration_id=calibration_id
            )
        return self._backends[key]

    def select(
        self,
        crn: str,
        *,
        name: str | None,
        min_num_qubits: int | None,
        dynamic_circuits: bool | None,
        filters: BackendFilter | None,
        fractional: bool | None,
        calibration_id: str | None,
        include_mocks: bool,
        wanted: Mapping[str, Any],
    ) -> list[IBMBackend]:
        """The backends of ``crn`` that pass every filter (spec §8.1)."""
        result = []
        for device in self.devices(crn, include_mocks):
            if name is not None and device["name"] != name:
                continue
            backend = self.get(str(device["name"]), crn, fractional, calibration_id)
            if backend is None:
                continue
            conf = backend.configuration().to_dict()
            if min_num_qubits is not None and backend.num_qubits < min_num_qubits:
                continue
            if dynamic_circuits is not None:
                features = set(conf.get("supported_features") or [])
                if bool({"qasm3", "dynamic_circuits"} & features) != dynamic_circuits:
                    continue
            if not _matches(backend, conf, wanted) or (filters and not filters(backend)):
                continue
            result.append(backend)
        return result

    def online_by_queue(self, crn: str, min_num_qubits: int | None) -> list[dict[str, Any]]:
        """Online devices with enough qubits, shortest queue first (spec §8.2)."""
        devices = [
            d
            for d in self.devices(crn)
            if (d.get("status") or {}).get("name", "online") == "online"
        ]
        if min_num_qubits is not None:
            devices = [d for d in devices if int(d.get("qubits") or 0) >= min_num_qubits]
        return sorted(devices, key=lambda d: int(d.get("queue_length") or 0))


def _matches(backend: IBMBackend, conf: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    status = None
    for key, value in wanted.items():
        if key in conf:
            if conf[key] != value:
                return False
        else:
            status = status or backend.status().to_dict()
            if status.get(key) != value:
                return False
    return True
