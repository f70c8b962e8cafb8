"""Shared plumbing of the runtime-facing handlers: state, active client, JSON bodies, errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from ..account_book import LOCAL_ACCOUNT
from ..active_runtime import ActiveRuntime
from ..lazy_runtime import ensure_runtime_imported
from ..problems import ApiProblem, is_unreachable, problem_from_exception, redact
from ..state import SETTINGS_KEY, QrtLabState
from .base import QrtApiHandler, parse_json

if TYPE_CHECKING:
    from ...runtime.api.rest import AsyncRuntimeRest


__all__ = ["RuntimeApiHandler"]

T = TypeVar("T")


class RuntimeApiHandler(QrtApiHandler):
    """A qrt-lab handler that talks to the active runtime; errors are ``{code, message, hint}``."""

    async def prepare(self) -> None:  # type: ignore[override]
        """Authenticate (jupyter_server), then make sure the runtime client is imported."""
        await super().prepare()
        if self.current_user is not None:
            await ensure_runtime_imported()

    @property
    def qrt(self) -> QrtLabState:
        """The extension's shared state."""
        state: QrtLabState = self.settings[SETTINGS_KEY]
        return state

    async def runtime(self) -> ActiveRuntime:
        """The active account's client, or an :class:`ApiProblem` explaining why there is none."""
        try:
            return await self.qrt.hub.active()
        except Exception as exc:  # noqa: BLE001 - mapped to a clear JSON error
            raise problem_from_exception(exc, "the active account") from None

    async def call(
        self,
        what: str,
        fn: Callable[[AsyncRuntimeRest], Awaitable[T]],
        share: Hashable | None = None,
    ) -> tuple[ActiveRuntime, T]:
        """Run ``fn(rest)`` against the active runtime, mapping its errors for the user.

        Args:
            what: What is being accessed, for error messages ("job abc").
            fn: Receives the ``AsyncRuntimeRest`` and returns an awaitable.
            share: For read-only calls, a key under which concurrent identical requests share
                one upstream call (the answer must then not be mutated).
        """
        runtime = await self.runtime()
        try:
            if share is None:
                try:
                    return runtime, await fn(runtime.rest)
                finally:
                    if self.request.method != "GET":
                        self.qrt.hub.changed()
            key = (runtime.ref.key, share)
            return runtime, await self.qrt.hub.shared(key, lambda: fn(runtime.rest))
        except ApiProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped to a clear JSON error
            if is_unreachable(exc):
                await self.qrt.hub.forget_if_local_moved(runtime)
            problem = problem_from_exception(exc, what, local=runtime.ref.name == LOCAL_ACCOUNT)
            problem.message = redact(problem.message, runtime.secrets)
            raise problem from None

    async def account_changed(self) -> None:
        """Rebuild the client for the new active account and wake the monitor.

        A failure here (e.g. the local service cannot start) is reported by the next request.
        """
        try:
            await self.qrt.hub.reset()
        except Exception as exc:  # noqa: BLE001 - the change itself succeeded
            self.log.warning("qrt-lab: active account not reachable yet: %s", type(exc).__name__)
        self.qrt.monitor.nudge()

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object within the parsing limits, or a 4xx problem."""
        body = parse_json(self.request.body or b"{}")
        if not isinstance(body, dict):
            raise ApiProblem(
                400, "bad_json", "The request body must be a JSON object.", "Send a JSON object."
            )
        return body

    def known_secrets(self) -> list[str]:
        """API keys of the active client, blanked out of every error message."""
        return self.qrt.hub.secrets()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Log user mistakes in one line (no traceback); real bugs with their traceback."""
        if isinstance(value, ApiProblem):
            message = redact(value.message, self.known_secrets())
            self.log.info("qrt-lab %s %s: %s", value.status, value.code, message)
            return
        super().log_exception(typ, value, tb)
