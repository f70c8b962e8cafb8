"""``IBMBackend``: a Qiskit ``BackendV2`` for one runtime backend (spec §8.3).

The configuration is fetched when the backend is created (as the official client does); the
properties document is fetched once, on the first ``target``/``properties()`` use, and cached.
``refresh()`` is the only way to fetch them again. There is no ``__getattr__`` network fallback:
configuration fields are read with :meth:`configuration`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from typing import TYPE_CHECKING, Any

from qiskit.circuit import QuantumCircuit
from qiskit.providers import BackendV2, Options
from qiskit.transpiler import CouplingMap, Target

from . import display
from .exceptions import IBMBackendError
from .properties import BackendProperties
from .target import build_target, faulty_edges, faulty_qubits

if TYPE_CHECKING:
    from .api.rest import RuntimeRest
    from .service import QiskitRuntimeService

__all__ = ["BackendConfiguration", "BackendStatus", "IBMBackend"]


class BackendConfiguration:
    """Read-only view of a configuration document: fields as attributes, ``to_dict()``.

    ``dt``/``dtm`` are returned in seconds and repetition delays in seconds, like the official
    client; ``to_dict()`` gives the document as sent (ns, microseconds).
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(f"Backend configuration has no field {name!r}") from None
        # SI units, as the official client: the document has ns and microseconds
        if name in ("dt", "dtm") and isinstance(value, (int, float)):
            return value * 1e-9
        if name in ("rep_times", "rep_delay_range") and isinstance(value, list):
            return [v * 1e-6 for v in value]
        if name == "default_rep_delay" and isinstance(value, (int, float)):
            return value * 1e-6
        return value

    def to_dict(self) -> dict[str, Any]:
        """The configuration document."""
        return dict(self._data)

    @property
    def num_qubits(self) -> int:
        """Number of qubits (``n_qubits``)."""
        return int(self._data["n_qubits"])

    def __repr__(self) -> str:
        return f"BackendConfiguration({self._data.get('backend_name')!r})"


class BackendStatus:
    """Backend status (spec §3.4): ``operational``, ``pending_jobs``, ``status_msg``..."""

    def __init__(self, name: str, data: Mapping[str, Any]) -> None:
        self.backend_name = name
        self.backend_version = str(data.get("backend_version") or "0.0.0")
        self.operational = bool(data.get("state"))
        self.pending_jobs = max(int(data.get("length_queue") or 0), 0)
        self.status_msg = str(data.get("status") or "")

    def to_dict(self) -> dict[str, Any]:
        """The status as a dict."""
        return dict(vars(self))

    def __repr__(self) -> str:
        return (
            f"BackendStatus(backend_name={self.backend_name!r}, operational={self.operational}, "
            f"pending_jobs={self.pending_jobs}, status_msg={self.status_msg!r})"
        )


class IBMBackend(BackendV2):  # type: ignore[misc]  # qiskit ships no type hints
    """A runtime backend: target, status, properties and configuration.

    Args:
        configuration: The configuration document.
        service: The service that listed the backend.
        rest: The REST client of the backend's instance.
        instance: The instance CRN.
        calibration_id: Calibration the configuration/properties were fetched for.
    """

    def __init__(
        self,
        configuration: Mapping[str, Any],
        service: QiskitRuntimeService,
        rest: RuntimeRest,
        instance: str | None = None,
        calibration_id: str | None = None,
    ) -> None:
        online = configuration.get("online_date")
        super().__init__(
            provider=None,
            name=str(configuration["backend_name"]),
            description=configuration.get("description"),
            online_date=dt.datetime.fromisoformat(online) if isinstance(online, str) else None,
            backend_version=configuration.get("backend_version"),
        )
        self._configuration = BackendConfiguration(configuration)
        self._service = service
        self._rest = rest
        self._instance = instance
        self.calibration_id = calibration_id
        self._properties: dict[str, Any] | None = None
        self._target: Target | None = None
        self._earlier: dict[dt.datetime, dict[str, Any] | None] = {}

    def __repr__(self) -> str:
        return f"<IBMBackend('{self.name}')>"

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, Any]:
        """Rich display (see :mod:`qrt_lab.runtime.display`); plain ``repr`` by default."""
        return display.mimebundle(self, "backend", include, exclude)

    @property
    def service(self) -> QiskitRuntimeService:
        """The service this backend belongs to."""
        return self._service

    @property
    def instance(self) -> str | None:
        """The instance CRN used to reach this backend."""
        return self._instance

    @property
    def simulator(self) -> bool:
        """Whether the backend is a simulator (from the configuration)."""
        return bool(self._configuration._data.get("simulator", False))

    @classmethod
    def _default_options(cls) -> Options:
        return Options(shots=4000)

    @property
    def max_circuits(self) -> None:
        """None: runtime backends take any number of PUBs per job."""
        return None

    @property
    def num_qubits(self) -> int:
        """Number of qubits (from the configuration; no network call)."""
        return self._configuration.num_qubits

    @property
    def coupling_map(self) -> CouplingMap:
        """The configuration's coupling map (no network call)."""
        return CouplingMap(self._configuration._data.get("coupling_map") or [])

    @property
    def target(self) -> Target:
        """The transpilation target (the first use fetches the properties, once)."""
        if self._target is None:
            self._target = build_target(self._configuration.to_dict(), self._load_properties())
        return self._target

    def _load_properties(self) -> dict[str, Any] | None:
        if self._properties is None and not self.simulator:
            data = self._rest.backend_properties(self.name, calibration_id=self.calibration_id)
            self._properties = data or None
        return self._properties

    def _properties_before(self, when: dt.datetime) -> dict[str, Any] | None:
        """The properties in effect before ``when`` (one request).

        An answer about a time up to the current calibration's update cannot change any more,
        so it is kept (the advisor asks for the same earlier calibrations at every ranking).
        """
        if when in self._earlier:
            return self._earlier[when]
        data = self._rest.backend_properties(self.name, updated_before=when) or None
        current = _update_time(self._properties)
        if when.tzinfo is not None and current is not None and when <= current:
            self._earlier[when] = data
        return data

    def configuration(self) -> BackendConfiguration:
        """The configuration (cached; no network call)."""
        return self._configuration

    def properties(
        self, refresh: bool = False, datetime: dt.datetime | None = None
    ) -> BackendProperties | None:
        """The calibration data, fetched once and cached (None for simulators).

        Args:
            refresh: Fetch it again.
            datetime: Return the properties in effect before this time (not cached).
        """
        if datetime is not None:
            data = self._properties_before(datetime)
            return BackendProperties(data) if data else None
        if refresh:
            self._properties = None
            self._target = None
        data = self._load_properties()
        return BackendProperties(data) if data else None

    def target_history(self, datetime: dt.datetime | None = None) -> Target:
        """The target built from the properties in effect before ``datetime`` (one request)."""
        if datetime is None:
            return self.target
        return build_target(self._configuration.to_dict(), self._properties_before(datetime))

    def refresh(self) -> None:
        """Fetch the configuration and properties again and rebuild the target."""
        conf = self._rest.backend_configuration(self.name, calibration_id=self.calibration_id)
        self._configuration = BackendConfiguration(conf)
        self._properties = None
        self._target = None
        self._load_properties()

    def status(self) -> BackendStatus:
        """``GET /backends/{name}/status`` (always a network call)."""
        return BackendStatus(self.name, self._rest.backend_status(self.name))

    def check_faulty(self, circuit: QuantumCircuit) -> None:
        """Raise ``ValueError`` if ``circuit`` uses a faulty qubit or edge."""
        props = self._load_properties()
        bad_qubits, bad_edges = faulty_qubits(props), faulty_edges(props)
        for instruction in circuit.data:
            qubits = tuple(circuit.find_bit(q).index for q in instruction.qubits)
            for q in qubits:
                if q in bad_qubits:
                    raise ValueError(
                        f"Circuit {circuit.name} contains instruction {instruction.operation.name} "
                        f"operating on a faulty qubit {q}; transpile again for {self.name}."
                    )
            if qubits in bad_edges:
                raise ValueError(
                    f"Circuit {circuit.name} contains instruction {instruction.operation.name} "
                    f"operating on a faulty edge {qubits}; transpile again for {self.name}."
                )

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Not supported: use SamplerV2 or EstimatorV2."""
        raise IBMBackendError(
            "backend.run() is not supported; use SamplerV2(mode=backend) or "
            "EstimatorV2(mode=backend) instead."
        )


def _update_time(properties: Mapping[str, Any] | None) -> dt.datetime | None:
    """The ``last_update_date`` of a properties document (timezone-aware), or None."""
    stamp = (properties or {}).get("last_update_date")
    try:
        when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")) if stamp else None
    except ValueError:
        return None
    return when if when is not None and when.tzinfo is not None else None
