"""``QiskitRuntimeService``: accounts, instances, backends and jobs (spec §1, §3, §8).

Construction resolves the account and lists instances (IAM + Global Search + Catalog, as the
official client), but makes no runtime or per-backend request. Configurations are cached per
service; ``backend.refresh()`` re-fetches them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Container, Mapping, Sequence
from datetime import datetime
from typing import Any

from qiskit.providers.exceptions import QiskitBackendNotFoundError

from . import display
from .accounts import Account, AccountStore, default_account_name, resolve_account
from .api.connection import RuntimeConnection
from .api.discovery import default_state_dir, local_account
from .api.instances import list_instances
from .api.local_restart import LocalRestartTransport
from .api.reachability import naming_saved_account
from .api.rest import RuntimeRest
from .api.urls import is_crn
from .backend import IBMBackend
from .backend_catalog import BackendCatalog
from .exceptions import (
    IBMInputValueError,
    IBMRuntimeError,
    RequestsApiError,
    RuntimeJobNotFound,
    RuntimeUnreachableError,
)
from .instance_selection import select_instances
from .job import RuntimeJobV2
from .job_listing import refresh_jobs
from .job_pages import JobPager, LazyList

__all__ = ["QiskitRuntimeService"]

UrlResolver = Callable[..., str]


class QiskitRuntimeService:
    """Entry point to the Qiskit Runtime service (same signature as qiskit-ibm-runtime's).

    ``channel="local"`` connects to the local runtime service of this machine (found, or started,
    through :mod:`qrt_lab.runtime.api.discovery`) with no token. Any ``url`` that is not on IBM
    Cloud is the base URL of a compatible server (runtime at ``<url>/api/v1``, IAM and instance
    search on the same host and port).

    Raises:
        AccountNotFoundError: No account could be resolved.
        InvalidAccountError: The account is invalid, or instances could not be listed.
        IBMInputValueError: The instance is not available to the API key.
    """

    def __init__(
        self,
        channel: str | None = None,
        token: str | None = None,
        url: str | None = None,
        filename: str | None = None,
        name: str | None = None,
        instance: str | None = None,
        proxies: Mapping[str, Any] | None = None,
        verify: bool | None = None,
        private_endpoint: bool | None = None,
        url_resolver: UrlResolver | None = None,
        region: str | None = None,
        plans_preference: list[str] | None = None,
        tags: list[str] | None = None,
        **connection_options: Any,
    ) -> None:
        self._transport = connection_options.pop("transport", None)
        self._connection_options = connection_options
        if channel == "local":
            self._account = local_account(instance=instance)
            # a service started on demand exits when unused: follow it across restarts
            self._transport = LocalRestartTransport(
                self._account.url, default_state_dir(), self._transport
            )
        else:
            self._account = resolve_account(
                channel=channel, token=token, url=url, filename=filename, name=name,
                instance=instance, proxies=proxies, verify=verify,
                private_endpoint=private_endpoint, region=region,
                plans_preference=plans_preference, tags=tags,
            )  # fmt: skip
        self._url_resolver = url_resolver
        try:
            self._all_instances = self._list_instances()
        except RuntimeUnreachableError as err:
            if self._account.saved_name is None:
                raise
            raise naming_saved_account(err, self._account.saved_name, self._account.url) from None
        self._instances = select_instances(
            self._all_instances,
            self._account.instance,
            self._account.region,
            self._account.plans_preference,
            self._account.tags,
        )
        self._clients: dict[str, RuntimeRest] = {}
        self._catalog = BackendCatalog(self, self._client)

    def _list_instances(self) -> list[dict[str, Any]]:
        account = self._account
        if os.environ.get("QISKIT_FUNCTIONS_EXPERIMENTAL"):
            if not is_crn(account.instance):
                raise IBMInputValueError(
                    "Instance listing is disabled (QISKIT_FUNCTIONS_EXPERIMENTAL is set): pass "
                    "instance=<CRN>."
                )
            return [
                {"crn": account.instance, "plan": "plan", "name": "name", "tags": [],
                 "pricing_type": "unknown"}
            ]  # fmt: skip
        return list_instances(self._connection(None), transport=self._transport)

    def _connection(self, crn: str | None) -> RuntimeConnection:
        connection = RuntimeConnection.from_account(
            self._account, instance=crn, **self._connection_options
        )
        if self._url_resolver is not None:
            runtime = self._url_resolver(
                self._account.url, crn, self._account.private_endpoint, self._account.channel
            )
            urls = dataclasses.replace(connection.urls, runtime=runtime.rstrip("/"))
            connection = dataclasses.replace(connection, urls=urls)
        return connection

    def _client(self, crn: str | None = None) -> RuntimeRest:
        crn = crn or self.active_instance()
        if crn not in self._clients:
            self._clients[crn] = RuntimeRest(self._connection(crn), transport=self._transport)
        return self._clients[crn]

    def __repr__(self) -> str:
        return (
            f"<QiskitRuntimeService(channel={self._account.channel!r}, "
            f"url={self._account.url!r}, instance={self.active_instance()!r})>"
        )

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, Any]:
        """Rich display (see :mod:`qrt_lab.runtime.display`); plain ``repr`` by default."""
        return display.mimebundle(self, "service", include, exclude)

    # --- account and instances
    @property
    def channel(self) -> str:
        """The channel of the account."""
        return self._account.channel

    def active_account(self) -> dict[str, Any]:
        """The account in use, without its token."""
        data = self._account.to_saved_format()
        data.pop("token", None)
        return data

    def active_instance(self) -> str:
        """The CRN of the default instance."""
        return str(self._instances[0]["crn"])

    def instances(self) -> list[dict[str, Any]]:
        """The instances of the API key: ``crn``, ``plan``, ``name``, ``tags``, ``pricing_type``."""
        return [dict(i) for i in self._all_instances]

    def usage(self) -> dict[str, Any]:
        """``GET /instances/usage`` plus ``usage_remaining_seconds`` when a limit is known."""
        data = dict(self._client().usage() or {})
        limit = data.get("usage_limit_seconds") or data.get("usage_allocation_seconds")
        if limit is not None:
            consumed = float(data.get("usage_consumed_seconds") or 0)
            data["usage_remaining_seconds"] = max(float(limit) - consumed, 0)
        return data

    # --- backends
    def backends(
        self,
        name: str | None = None,
        min_num_qubits: int | None = None,
        instance: str | None = None,
        dynamic_circuits: bool | None = None,
        filters: Callable[[IBMBackend], bool] | None = None,
        *,
        use_fractional_gates: bool | None = False,
        calibration_id: str | None = None,
        include_mocks: bool = False,
        **kwargs: Any,
    ) -> list[IBMBackend]:
        """Return the backends matching the filters (spec §8.1).

        Args:
            name: Backend name.
            min_num_qubits: Minimum number of qubits.
            instance: Instance CRN or name (default: the active instance).
            dynamic_circuits: Keep backends that (do not) support dynamic circuits.
            filters: A callable ``backend -> bool``.
            use_fractional_gates: Keep fractional gates (True), strip them (False), or keep
                everything (None).
            calibration_id: Fetch configurations for this calibration.
            include_mocks: Also list devices the service marks with ``class: "mock"``.
            **kwargs: Equality filters on configuration fields (e.g. ``simulator=False``) or, for
                keys not in the configuration, on ``backend.status()`` fields.
        """
        return self._catalog.select(
            self._crn(instance),
            name=name,
            min_num_qubits=min_num_qubits,
            dynamic_circuits=dynamic_circuits,
            filters=filters,
            fractional=use_fractional_gates,
            calibration_id=calibration_id,
            include_mocks=include_mocks,
            wanted=kwargs,
        )

    def backend(
        self,
        name: str,
        instance: str | None = None,
        use_fractional_gates: bool | None = False,
        calibration_id: str | None = None,
    ) -> IBMBackend:
        """Return the backend called ``name`` (one configuration request, then cached).

        Raises:
            QiskitBackendNotFoundError: No such backend on the instance.
        """
        crn = self._crn(instance)
        backend = self._catalog.get(name, crn, use_fractional_gates, calibration_id)
        if backend is None:
            raise QiskitBackendNotFoundError(
                f"No backend matches the criteria: {name!r} is not available on instance {crn}. "
                "List the available ones with service.backends()."
            )
        return backend

    def least_busy(
        self,
        min_num_qubits: int | None = None,
        instance: str | None = None,
        filters: Callable[[IBMBackend], bool] | None = None,
        use_fractional_gates: bool | None = False,
        **kwargs: Any,
    ) -> IBMBackend:
        """The online backend with the shortest queue (one ``GET /backends``, spec §8.2).

        Raises:
            QiskitBackendNotFoundError: No online backend matches.
        """
        crn = self._crn(instance)
        devices = self._catalog.online_by_queue(crn, min_num_qubits)
        if filters or kwargs:
            allowed = {
                b.name
                for b in self.backends(
                    instance=crn,
                    filters=filters,
                    use_fractional_gates=use_fractional_gates,
                    **kwargs,
                )
            }
            devices = [d for d in devices if d["name"] in allowed]
        for device in devices:
            backend = self._catalog.get(str(device["name"]), crn, use_fractional_gates, None)
            if backend is not None:
                return backend
        raise QiskitBackendNotFoundError(
            f"No backend matches the criteria: no online backend on instance {crn} has at least "
            f"{min_num_qubits or 0} qubits and passes the filters. List the available ones with "
            "service.backends() and relax the criteria."
        )

    def _crn(self, instance: str | None) -> str:
        if instance is None:
            return self.active_instance()
        if is_crn(instance):
            return instance
        return str(select_instances(self._all_instances, instance)[0]["crn"])

    # --- jobs
    def job(self, job_id: str) -> RuntimeJobV2:
        """Return the job ``job_id`` (one request; other instances are tried on 404).

        Raises:
            RuntimeJobNotFound: No instance knows the job.
        """
        for crn in [self.active_instance()] + [str(i["crn"]) for i in self._instances[1:]]:
            try:
                data = self._client(crn).job(job_id)
            except RequestsApiError as err:
                if err.status_code == 404:
                    continue
                raise
            return self._job_from(data, self._client(crn))
        raise RuntimeJobNotFound(f"Job not found: {job_id}. Check the id with service.jobs().")

    def _job_from(self, data: Mapping[str, Any], rest: RuntimeRest) -> RuntimeJobV2:
        program = data.get("program") or {}
        return RuntimeJobV2(
            str(data["id"]),
            rest,
            service=self,
            backend=data.get("backend"),
            program_id=program.get("id") if isinstance(program, Mapping) else None,
            session_id=data.get("session_id"),
            data=data,
        )

    def jobs(
        self,
        limit: int | None = 10,
        skip: int = 0,
        backend_name: str | None = None,
        pending: bool | None = None,
        program_id: str | None = None,
        instance: str | None = None,
        job_tags: list[str] | None = None,
        session_id: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        descending: bool = True,
        include_mocks: bool = False,
    ) -> list[RuntimeJobV2]:
        """List jobs, newest first unless ``descending=False``, following pages (spec §3.6).

        ``include_mocks`` is accepted for compatibility; the service decides what it lists.

        The returned jobs carry the listed status, so ``job.cached_status()`` needs no request.
        Pages follow the creation date (a job submitted meanwhile never repeats or hides one).
        With ``limit=None`` the list is lazy: a ``for`` loop fetches each page of 200 as it
        reaches it (breaking early fetches no more); ``len``, indexing and every other list
        operation fetch all pages first, as qiskit-ibm-runtime's eager list would.
        """
        rest = self._client(self._crn(instance))
        pager = JobPager(
            rest, skip=skip, backend=backend_name, pending=pending,
            program=program_id, tags=job_tags, session_id=session_id,
            created_after=created_after, created_before=created_before, descending=descending,
        )  # fmt: skip
        if limit is None:
            return LazyList([self._job_from(data, rest) for data in page] for page in pager.pages())
        return [self._job_from(data, rest) for data in pager.take(limit)]

    def refresh_jobs(self, jobs: Sequence[RuntimeJobV2]) -> list[str]:
        """Refresh the status of many jobs with a few ``GET /jobs`` list requests.

        Jobs already final are skipped; jobs the listing does not reach are fetched one by one.

        Returns:
            The statuses, in the order of ``jobs``.
        """
        return refresh_jobs(jobs)

    def delete_job(self, job_id: str) -> None:
        """Delete a finished job.

        Raises:
            RuntimeJobNotFound: No such job.
            IBMRuntimeError: The service refused (e.g. the job is not final yet) or failed.
        """
        try:
            self._client().delete_job(job_id)
        except RequestsApiError as err:
            if err.status_code == 404:
                raise RuntimeJobNotFound(f"Job not found: {job_id}.") from None
            raise IBMRuntimeError(f"Failed to delete job: {err}") from None

    def close(self) -> None:
        """Close the HTTP connections."""
        for client in self._clients.values():
            client.close()

    # --- saved accounts
    @staticmethod
    def save_account(
        token: str | None = None,
        url: str | None = None,
        instance: str | None = None,
        channel: str | None = None,
        filename: str | None = None,
        name: str | None = None,
        proxies: Mapping[str, Any] | None = None,
        verify: bool | None = None,
        overwrite: bool | None = False,
        set_as_default: bool | None = None,
        private_endpoint: bool | None = False,
        region: str | None = None,
        plans_preference: list[str] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Save an account to ``~/.qiskit/qiskit-ibm.json`` (spec §1.3)."""
        channel = channel or os.getenv("QISKIT_IBM_CHANNEL") or "ibm_quantum_platform"
        account = Account(
            channel=channel, token=token or "", url=url or "https://cloud.ibm.com",
            instance=instance, proxies=proxies, verify=verify,
            private_endpoint=bool(private_endpoint), region=region,
            plans_preference=plans_preference, tags=tags,
        )  # fmt: skip
        AccountStore(filename).save(
            name or default_account_name(channel), account, bool(overwrite), set_as_default
        )

    @staticmethod
    def saved_accounts(
        default: bool | None = None,
        channel: str | None = None,
        filename: str | None = None,
        name: str | None = None,
    ) -> dict[str, Any]:
        """Saved accounts as ``{name: saved fields}`` (spec §1.4)."""
        return AccountStore(filename).list(default=default, channel=channel, name=name)

    @staticmethod
    def delete_account(
        filename: str | None = None, name: str | None = None, channel: str | None = None
    ) -> bool:
        """Delete a saved account; return whether it existed (spec §1.5)."""
        return AccountStore(filename).delete(name or default_account_name(channel))
