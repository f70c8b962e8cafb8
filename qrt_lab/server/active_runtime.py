"""The async runtime client of the active account, built on demand and shared by all handlers.

The runtime URL always comes from the server-side account (or the local service's discovery
file), never from a request: there is no way for the browser to point the extension elsewhere.
The client package imports qiskit, so it is imported in a worker thread on first use and the
extension itself loads fast.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .account_book import LOCAL_ACCOUNT, AccountBook, AccountRef
from .cache import TtlCache
from .config import QrtLabConfig
from .lazy_runtime import ensure_runtime_imported

if TYPE_CHECKING:
    from ..runtime.api.connection import RuntimeConnection
    from ..runtime.api.discovery import LocalServiceInfo
    from ..runtime.api.rest import AsyncRuntimeRest


__all__ = ["ActiveRuntime", "RuntimeHub"]

#: Seconds the resolved active account is reused before the account files are read again.
RESOLVE_TTL = 2.0

TransportFactory = Callable[[AccountRef], Any]


@dataclass
class ActiveRuntime:
    """The active account and its async REST client.

    Attributes:
        ref: The account (no secret in its JSON form).
        rest: An ``AsyncRuntimeRest`` for it.
        secrets: API keys to redact from every message.
    """

    ref: AccountRef
    rest: AsyncRuntimeRest
    secrets: list[str] = field(default_factory=list, repr=False)


async def _import(name: str) -> Any:
    await ensure_runtime_imported()
    return importlib.import_module(name)


class RuntimeHub:
    """Builds and caches the REST client of the active account.

    Args:
        config: The extension's settings.
        book: Saved accounts and the active choice.
    """

    def __init__(self, config: QrtLabConfig, book: AccountBook) -> None:
        self.config = config
        self.book = book
        #: Tests set this to inject faults at the transport (``httpx.MockTransport`` wrappers).
        self.transport_factory: TransportFactory | None = None
        self._active: ActiveRuntime | None = None
        self._resolved_at = 0.0
        self._lock = asyncio.Lock()
        self.backends_cache = TtlCache(config.backends_cache_ttl)
        self.detail_cache = TtlCache(config.backend_detail_cache_ttl)
        self.session_cache = TtlCache(config.session_cache_ttl)
        self._inflight: dict[Hashable, asyncio.Future[Any]] = {}
        self.recent = TtlCache(config.read_coalesce_window, max_entries=512)
        #: The local service this server started (stopped again at shutdown), if any.
        self.started_service: LocalServiceInfo | None = None

    async def shared(self, key: Hashable, factory: Callable[[], Awaitable[Any]]) -> Any:
        """Run ``factory()`` once for all concurrent callers with the same ``key``.

        Many browser tabs (or one burst of requests) asking for the same runtime resource share
        one upstream request instead of multiplying the load on the runtime.
        """
        hit = self.recent.get(key)
        if hit is not None:
            return hit
        future = self._inflight.get(key)
        if future is None:
            future = asyncio.ensure_future(factory())
            self._inflight[key] = future
            future.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(future)

    def _settle(self, key: Hashable, done: asyncio.Future[Any]) -> None:
        self._inflight.pop(key, None)
        if not done.cancelled() and done.exception() is None and done.result() is not None:
            self.recent.put(key, done.result())

    def changed(self) -> None:
        """A write went to the runtime: forget coalesced reads so nobody sees the old state."""
        self.recent.clear()

    @property
    def local_state_dir(self) -> Path | None:
        """The configured local service state dir (None: discovery's default)."""
        return Path(self.config.local_state_dir) if self.config.local_state_dir else None

    async def active(self) -> ActiveRuntime:
        """The active account's client, re-reading the account files at most every 2 s."""
        current = self._active
        if current is not None and time.monotonic() - self._resolved_at < RESOLVE_TTL:
            return current
        await ensure_runtime_imported()
        async with self._lock:
            ref = await asyncio.to_thread(self.book.resolve)
            if self._active is not None and self._active.ref.key == ref.key:
                self._resolved_at = time.monotonic()
                return self._active
            runtime = await self._build(ref)
            old, self._active = self._active, runtime
            self._resolved_at = time.monotonic()
        if old is not None:
            await old.rest.aclose()
        self._clear_caches()
        return runtime

    async def _build(self, ref: AccountRef) -> ActiveRuntime:
        connection_mod = await _import("qrt_lab.runtime.api.connection")
        rest_mod = await _import("qrt_lab.runtime.api.rest")
        if ref.name == LOCAL_ACCOUNT:
            connection, secrets = await self._local_connection(connection_mod)
        else:
            assert ref.account is not None
            connection = connection_mod.RuntimeConnection.from_account(ref.account, ref.instance)
            secrets = [ref.account.token]
        transport = self.transport_factory(ref) if self.transport_factory else None
        return ActiveRuntime(ref, rest_mod.AsyncRuntimeRest(connection, transport), secrets)

    async def _local_connection(
        self, connection_mod: ModuleType
    ) -> tuple[RuntimeConnection, list[str]]:
        discovery = await _import("qrt_lab.runtime.api.discovery")
        info = await asyncio.to_thread(
            discovery.local_service, self.local_state_dir, self.config.local_autostart
        )
        if info.spawned:
            self.started_service = info
        account = info.account()
        return connection_mod.RuntimeConnection.from_account(account), [account.token]

    async def reset(self) -> ActiveRuntime:
        """Forget the client (after an account change) and build the new active one."""
        async with self._lock:
            old, self._active = self._active, None
        if old is not None:
            await old.rest.aclose()
        self._clear_caches()
        return await self.active()

    async def forget_if_local_moved(self, runtime: ActiveRuntime) -> None:
        """Drop the local client after a connection failure so a restarted service is found."""
        if runtime.ref.name == LOCAL_ACCOUNT and self._active is runtime:
            async with self._lock:
                if self._active is runtime:
                    self._active = None
            await runtime.rest.aclose()

    def secrets(self) -> list[str]:
        """API keys of the active client, for redaction."""
        return list(self._active.secrets) if self._active is not None else []

    def _clear_caches(self) -> None:
        self.recent.clear()
        self.backends_cache.clear()
        self.detail_cache.clear()
        self.session_cache.clear()

    async def close(self) -> None:
        """Close the client (server shutdown)."""
        if self._active is not None:
            await self._active.rest.aclose()
            self._active = None

    def stop_started_service(self) -> None:
        """Stop the local service if this server started it (blocking; run it in a thread)."""
        info, self.started_service = self.started_service, None
        if info is None:
            return
        from qrt_lab.runtime.api import discovery

        current = discovery.read_discovery(info.state_dir)
        if current is not None and current.get("pid") == info.pid:
            discovery.stop_service(info.state_dir, timeout=2.5)
