"""Accounts as the server sees them: saved, environment and local, and which one is active.

The saved accounts live in the official file shared with kernels
(:class:`qrt_lab.runtime.accounts.AccountStore`); the *active* choice (account + instance) is
server state kept in a small JSON file. Nothing here returns a token: :meth:`AccountBook.listing`
is what the browser sees. Blocking file I/O: call these methods through ``asyncio.to_thread``.
The runtime client is imported inside the methods because it imports qiskit.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .problems import ApiProblem

if TYPE_CHECKING:
    from qrt_lab.runtime.accounts import Account, AccountStore

__all__ = [
    "ENV_ACCOUNT",
    "LOCAL_ACCOUNT",
    "AccountBook",
    "AccountRef",
    "ActiveChoice",
    "check_instance",
]

LOCAL_ACCOUNT = "local"
ENV_ACCOUNT = "environment"
LOCAL_LABEL = "Local simulator"
_NAME = re.compile(r"^[A-Za-z0-9_.@+\-][A-Za-z0-9_.@+\- ]{0,63}$")
#: The location segment of a CRN becomes part of the runtime host name: letters, digits, '-'.
_CRN_LOCATION = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_INSTANCE_HINT = (
    "Copy the instance CRN from GET /qrt-lab/api/instances or the IBM Quantum dashboard."
)


def check_instance(instance: str | None) -> str | None:
    """Refuse an instance that could steer requests to another host (None passes).

    The client derives the runtime host from a CRN's location (``us-east`` →
    ``quantum.cloud.ibm.com``), so a request-supplied ``crn:...:evil.example/x?:...`` would
    otherwise send the bearer token to ``evil.example``.

    Raises:
        ApiProblem: 400 ``bad_request`` for a malformed CRN or instance name.
    """
    if instance is None:
        return None
    parts = instance.split(":")
    crn_ok = not instance.startswith("crn:") or (
        len(parts) >= 8 and _CRN_LOCATION.match(parts[5]) is not None
    )
    if not crn_ok or len(instance) > 512 or any(c.isspace() for c in instance):
        raise ApiProblem(
            400,
            "bad_request",
            f"'{instance[:80]}' is not a valid instance (a CRN or an instance name).",
            _INSTANCE_HINT,
        )
    return instance


@dataclass(frozen=True)
class ActiveChoice:
    """The account and instance the user picked (None: the default resolution)."""

    account: str | None = None
    instance: str | None = None


@dataclass(frozen=True)
class AccountRef:
    """The account the server currently talks to.

    Attributes:
        name: Saved-account name, ``"environment"`` or ``"local"``.
        label: What the UI shows ("Local simulator" for the local service).
        channel: The account channel (``"local"`` for the local service).
        instance: Instance CRN (or None to let the runtime decide).
        account: The client :class:`Account` (holds the token; never serialised), None for local.
    """

    name: str
    label: str
    channel: str
    instance: str | None
    account: Account | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        """A stable identity for caches and monitors (no secret in it)."""
        return f"{self.name}|{self.instance or ''}"

    def to_json(self) -> dict[str, Any]:
        """The browser's view: no token."""
        return {
            "name": self.name,
            "label": self.label,
            "channel": self.channel,
            "instance": self.instance,
            "local": self.channel == "local",
        }


class AccountBook:
    """Saved accounts plus the active choice.

    Args:
        account_file: The saved-account file ("" for the default).
        active_file: Where the active choice is stored.
    """

    def __init__(self, account_file: str, active_file: Path) -> None:
        self.account_file = account_file or None
        self.active_file = active_file

    def _store(self) -> AccountStore:
        from qrt_lab.runtime.accounts import AccountStore

        return AccountStore(self.account_file)

    def read_choice(self) -> ActiveChoice:
        """The persisted active choice (empty when none or unreadable)."""
        try:
            data = json.loads(self.active_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ActiveChoice()
        if not isinstance(data, dict):
            return ActiveChoice()
        account, instance = data.get("account"), data.get("instance")
        return ActiveChoice(
            account if isinstance(account, str) else None,
            instance if isinstance(instance, str) else None,
        )

    def write_choice(self, choice: ActiveChoice) -> None:
        """Persist the active choice atomically."""
        self.active_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.active_file.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"account": choice.account, "instance": choice.instance}, out)
        os.replace(tmp, self.active_file)

    def _env_account(self) -> Account | None:
        from qrt_lab.runtime.accounts import DEFAULT_URL, Account

        token = os.environ.get("QISKIT_IBM_TOKEN")
        if not token:
            return None
        return Account(
            channel=os.environ.get("QISKIT_IBM_CHANNEL") or "ibm_quantum_platform",
            token=token,
            url=os.environ.get("QISKIT_IBM_URL") or DEFAULT_URL,
            instance=os.environ.get("QISKIT_IBM_INSTANCE") or None,
        )

    def _saved(self) -> dict[str, dict[str, Any]]:
        try:
            saved: dict[str, dict[str, Any]] = self._store().list()
        except Exception as exc:  # noqa: BLE001 - a broken file must not break the sidebar
            raise ApiProblem(
                409, "account_file_invalid", str(exc), "Fix or move the account file."
            ) from None
        return saved

    def resolve(self) -> AccountRef:
        """The account to use now: the active choice, else env/default saved, else local."""
        from qrt_lab.runtime.accounts import Account

        choice = self.read_choice()
        saved = self._saved()
        env = self._env_account()
        if choice.account == LOCAL_ACCOUNT:
            return local_ref()
        if choice.account == ENV_ACCOUNT and env is not None:
            return _ref(ENV_ACCOUNT, env, choice.instance)
        if choice.account and choice.account in saved:
            account = Account.from_saved_format(saved[choice.account])
            return _ref(choice.account, account, choice.instance)
        if env is not None:
            return _ref(ENV_ACCOUNT, env, None)
        default = next((n for n, e in saved.items() if e.get("is_default_account")), None)
        default = default or next(iter(saved), None)
        if default is not None:
            return _ref(default, Account.from_saved_format(saved[default]), None)
        return local_ref()

    def listing(self) -> dict[str, Any]:
        """Every account without secrets, and the active one."""
        active = self.resolve()
        rows = [
            {
                "name": name,
                "channel": entry.get("channel"),
                "url": entry.get("url"),
                "instance": entry.get("instance"),
                "is_default": bool(entry.get("is_default_account")),
                "source": "saved",
            }
            for name, entry in sorted(self._saved().items())
        ]
        env = self._env_account()
        if env is not None:
            rows.append(
                {
                    "name": ENV_ACCOUNT,
                    "channel": env.channel,
                    "url": env.url,
                    "instance": env.instance,
                    "is_default": False,
                    "source": "environment",
                }
            )
        rows.append(
            {
                "name": LOCAL_ACCOUNT,
                "channel": "local",
                "url": None,
                "instance": None,
                "is_default": False,
                "source": "local",
                "label": LOCAL_LABEL,
            }
        )
        return {"accounts": rows, "active": active.to_json()}

    def build_account(self, body: dict[str, Any]) -> tuple[str, Account, bool]:
        """Validate a POST body into ``(name, Account, set_as_default)`` (no I/O, no network).

        Raises:
            ApiProblem: 400 for a missing or invalid field (the token is never echoed).
        """
        from qrt_lab.runtime.accounts import DEFAULT_URL, Account

        name = body.get("name")
        token = body.get("token")
        if not isinstance(name, str) or not _NAME.match(name):
            raise ApiProblem(
                400,
                "bad_request",
                "The account needs a name of 1-64 letters, digits, spaces or . _ - @ +.",
                'Send {"name": "work", "channel": "ibm_quantum_platform", "token": ...}.',
            )
        # "active": DELETE /accounts/active is the active-choice route, so it could never be deleted
        if name in (LOCAL_ACCOUNT, ENV_ACCOUNT, "active"):
            raise ApiProblem(400, "bad_request", f"'{name}' is reserved.", "Pick another name.")
        if not isinstance(token, str) or not token.strip():
            raise ApiProblem(400, "bad_request", "The API key (token) is missing.", _KEY_HINT)
        fields = {k: body.get(k) for k in ("channel", "instance", "url")}
        for key, value in fields.items():
            if value is not None and not isinstance(value, str):
                raise ApiProblem(
                    400,
                    "bad_request",
                    f"'{key}' must be a string.",
                    "Send it as a string or omit it.",
                )
        set_default = body.get("set_as_default", False)
        if not isinstance(set_default, bool):
            raise ApiProblem(
                400,
                "bad_request",
                "'set_as_default' must be true or false.",
                "Send a JSON boolean or omit it.",
            )
        account = Account(
            channel=fields["channel"] or "ibm_quantum_platform",
            token=token.strip(),
            url=fields["url"] or DEFAULT_URL,
            instance=check_instance(fields["instance"] or None),
        )
        try:
            account.validate()
        except Exception as exc:  # noqa: BLE001 - the client's InvalidAccountError
            raise ApiProblem(400, "invalid_account", str(exc), "Fix the field and retry.") from None
        return name, account, set_default

    def save(self, name: str, account: Account, set_as_default: bool) -> None:
        """Write the account to the shared file (overwriting an entry of the same name)."""
        self._store().save(name, account, overwrite=True, set_as_default=set_as_default)

    def delete(self, name: str) -> bool:
        """Delete a saved account; a deleted active account falls back to the default."""
        removed = bool(self._store().delete(name))
        if removed and self.read_choice().account == name:
            self.write_choice(ActiveChoice())
        return removed

    def choose(self, account: str, instance: str | None) -> AccountRef:
        """Make ``account`` (and ``instance``) active.

        Raises:
            ApiProblem: 404 when no such account exists.
        """
        known = set(self._saved()) | {LOCAL_ACCOUNT}
        if self._env_account() is not None:
            known.add(ENV_ACCOUNT)
        if account not in known:
            raise ApiProblem(
                404,
                "account_not_found",
                f"There is no account named '{account}'.",
                "GET /qrt-lab/api/accounts lists the accounts you can choose.",
            )
        self.write_choice(ActiveChoice(account, check_instance(instance)))
        return self.resolve()


_KEY_HINT = "Create an API key at https://quantum.cloud.ibm.com and paste it as 'token'."


def local_ref() -> AccountRef:
    """The local runtime service as an account."""
    return AccountRef(LOCAL_ACCOUNT, LOCAL_LABEL, "local", None)


def _ref(name: str, account: Account, instance: str | None) -> AccountRef:
    return AccountRef(name, name, account.channel, instance or account.instance, account)
