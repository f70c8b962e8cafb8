"""``/qrt-lab/api/accounts``: list, add (key verified at IAM first), delete, choose active."""

from __future__ import annotations

import asyncio
import importlib
from typing import TYPE_CHECKING

from tornado import web

from ..account_book import AccountRef
from ..problems import ApiProblem, redact
from .runtime_base import RuntimeApiHandler

if TYPE_CHECKING:
    from ...runtime.account import Account


__all__ = ["AccountHandler", "AccountsHandler", "ActiveAccountHandler"]


class AccountsHandler(RuntimeApiHandler):
    """``GET`` every account without secrets; ``POST`` add one after verifying its key."""

    @web.authenticated
    async def get(self) -> None:
        """Return ``{"accounts": [...], "active": {...}}`` (never a token).

        Concurrent reads share one reading of the account files (a burst of 30 would otherwise
        queue 30 threads for the interpreter lock the event loop needs); an account change
        clears the shared answer.
        """
        book = self.qrt.book
        listing = await self.qrt.hub.shared(("accounts",), lambda: asyncio.to_thread(book.listing))
        self.write_encoded(self.qrt.encoded.body(("accounts",), (listing,), lambda: listing))

    @web.authenticated
    async def post(self) -> None:
        """Verify ``{name, channel, token, instance, url?, set_as_default?}`` at IAM, then save."""
        body = self.json_body()
        book = self.qrt.book
        name, account, set_default = await asyncio.to_thread(book.build_account, body)
        await self._verify(name, account)
        await asyncio.to_thread(book.save, name, account, set_default)
        await self.account_changed()
        listing = await asyncio.to_thread(book.listing)
        self.write_json({"saved": name, **listing}, status=201)

    async def _verify(self, name: str, account: Account) -> None:
        urls = importlib.import_module("qrt_lab.runtime.api.urls")
        auth = importlib.import_module("qrt_lab.runtime.api.auth")
        iam = urls.service_urls(account.url, account.instance, account.private_endpoint).iam
        factory = self.qrt.hub.transport_factory
        ref = AccountRef(name, name, account.channel, account.instance, account)
        transport = factory(ref) if factory else None
        try:
            await auth.averify_api_key(
                iam, account.token, verify=account.verify_tls, transport=transport
            )
        except Exception as exc:  # noqa: BLE001 - turned into a clear 4xx/502 below
            detail = redact(str(exc), [account.token])
            names = {cls.__name__ for cls in type(exc).__mro__}
            refused = getattr(exc, "status_code", None) in (400, 401, 403)
            if "IBMNotAuthorizedError" not in names and not refused:
                # IAM down (5xx), unreachable, or not an IAM at all: the key was not judged
                raise ApiProblem(
                    502,
                    "iam_unreachable",
                    f"IAM did not answer, so the account was not saved: {detail}",
                    "Check the account URL, your network and proxy settings, then try again.",
                ) from None
            raise ApiProblem(
                400,
                "invalid_api_key",
                "IAM rejected the API key, so the account was not saved.",
                "Copy the API key again from https://quantum.cloud.ibm.com (it is shown once "
                "when created) or create a new one.",
            ) from None


class AccountHandler(RuntimeApiHandler):
    """``DELETE /accounts/{name}``: remove a saved account."""

    @web.authenticated
    async def delete(self, name: str) -> None:
        """Delete the saved account ``name`` (404 if there is none)."""
        removed = await asyncio.to_thread(self.qrt.book.delete, name)
        if not removed:
            raise ApiProblem(
                404,
                "account_not_found",
                f"There is no saved account named '{name}'.",
                "GET /qrt-lab/api/accounts lists the saved accounts.",
            )
        await self.account_changed()
        self.write_json(await asyncio.to_thread(self.qrt.book.listing))


class ActiveAccountHandler(RuntimeApiHandler):
    """``PUT /accounts/active`` ``{name, instance?}``: choose the active account and instance."""

    @web.authenticated
    async def put(self) -> None:
        """Make the named account (``"local"`` for the local simulator) active."""
        body = self.json_body()
        name = body.get("name", body.get("account"))
        instance = body.get("instance")
        if not isinstance(name, str) or not name:
            raise ApiProblem(
                400,
                "bad_request",
                "Say which account to use.",
                'Send {"name": "<account>", "instance": "<crn or null>"}.',
            )
        if instance is not None and not isinstance(instance, str):
            raise ApiProblem(
                400,
                "bad_request",
                "'instance' must be a string or null.",
                "GET /qrt-lab/api/instances lists the instance CRNs of the active account.",
            )
        await asyncio.to_thread(self.qrt.book.choose, name, instance or None)
        await self.account_changed()
        self.write_json(await asyncio.to_thread(self.qrt.book.listing))
