"""Saved accounts: the official ``~/.qiskit/qiskit-ibm.json`` file, and account resolution.

The file format, default names and resolution order follow spec §1 so that accounts saved by
either client work in the other. Writes are atomic (temp file + rename), mode 0600, and
serialised across processes with an ``fcntl`` lock on a sidecar ``.lock`` file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .exceptions import (
    AccountAlreadyExistsError,
    AccountNotFoundError,
    InvalidAccountError,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_ACCOUNT_FILE",
    "DEFAULT_URL",
    "Account",
    "AccountStore",
    "default_account_name",
    "resolve_account",
]

logger = logging.getLogger(__name__)

DEFAULT_ACCOUNT_FILE = "~/.qiskit/qiskit-ibm.json"
DEFAULT_URL = "https://cloud.ibm.com"
DEFAULT_CHANNEL = "ibm_quantum_platform"
CHANNELS = ("ibm_quantum_platform", "ibm_cloud")
REGIONS = ("us-east", "eu-de")
_DEFAULT_NAMES = ("default", "default-ibm-quantum-platform", "default-ibm-cloud")


def default_account_name(channel: str | None) -> str:
    """Return the name ``save_account`` uses when none is given for ``channel``."""
    return "default-ibm-cloud" if channel == "ibm_cloud" else "default-ibm-quantum-platform"


def _check_str_list(name: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidAccountError(
            f"Invalid `{name}` value {value!r}: expected a list of strings, e.g. ['open']."
        )


def _check_proxies(proxies: Mapping[str, Any] | None) -> None:
    if proxies is None:
        return
    if not isinstance(proxies, Mapping):
        raise InvalidAccountError(
            "Invalid `proxies`: expected a dict such as {'urls': {'https': 'http://proxy:8080'}}."
        )
    unknown = set(proxies) - {"urls", "username_ntlm", "password_ntlm"}
    if unknown:
        raise InvalidAccountError(
            f"Invalid `proxies` keys {sorted(unknown)}: allowed keys are 'urls', "
            "'username_ntlm' and 'password_ntlm'."
        )
    urls = proxies.get("urls")
    if urls is not None and not isinstance(urls, Mapping):
        raise InvalidAccountError("Invalid `proxies['urls']`: expected a dict of scheme to URL.")
    if (proxies.get("username_ntlm") is None) != (proxies.get("password_ntlm") is None):
        raise InvalidAccountError(
            "Invalid `proxies`: give both 'username_ntlm' and 'password_ntlm', or neither."
        )


@dataclass(frozen=True)
class Account:
    """One IBM Quantum Platform account (or a custom/local server reached the same way).

    The token is never shown by ``repr``; NTLM proxy passwords are hidden too.

    Attributes:
        channel: ``ibm_quantum_platform``, ``ibm_cloud`` or ``local``.
        token: The IBM Cloud API key.
        url: The platform URL (``https://cloud.ibm.com``) or a compatible server's base URL.
        instance: An instance CRN, an instance name, ``"auto"`` or None.
        proxies: ``{"urls": {...}, "username_ntlm": ..., "password_ntlm": ...}`` or None.
        verify: Whether to verify TLS certificates (None = not set, which means True).
        private_endpoint: Use the private IBM Cloud endpoints.
        region: ``us-east`` or ``eu-de`` instance preference.
        plans_preference: Instance plans in order of preference.
        tags: Instance tags every selected instance must carry.
    """

    channel: str = DEFAULT_CHANNEL
    token: str = field(default="", repr=False)
    url: str = DEFAULT_URL
    instance: str | None = None
    proxies: Mapping[str, Any] | None = field(default=None, repr=False)
    verify: bool | None = None
    private_endpoint: bool = False
    region: str | None = None
    plans_preference: list[str] | None = None
    tags: list[str] | None = None

    def __repr__(self) -> str:
        proxy = "None" if self.proxies is None else "{...}"
        return (
            f"Account(channel={self.channel!r}, url={self.url!r}, instance={self.instance!r}, "
            f"token='***', proxies={proxy}, verify={self.verify!r}, "
            f"private_endpoint={self.private_endpoint!r}, region={self.region!r}, "
            f"plans_preference={self.plans_preference!r}, tags={self.tags!r})"
        )

    @property
    def verify_tls(self) -> bool:
        """Whether TLS certificates are verified (``verify`` left unset means yes)."""
        return self.verify is not False

    def validate(self) -> Account:
        """Check every field; return ``self``.

        Raises:
            InvalidAccountError: A field is invalid; the message says which and how to fix it.
        """
        if self.channel not in (*CHANNELS, "local"):
            raise InvalidAccountError(
                f"Invalid `channel` value. Expected one of {list(CHANNELS)}, got '{self.channel}'."
            )
        if not isinstance(self.token, str) or not self.token:
            raise InvalidAccountError(
                "Invalid `token`: expected a non-empty API key string. Create one at "
                "https://quantum.cloud.ibm.com (API key) and pass token=..."
            )
        parsed = urlparse(self.url) if isinstance(self.url, str) else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InvalidAccountError(
                f"Invalid `url` value {self.url!r}: expected an http(s) URL such as {DEFAULT_URL}."
            )
        if self.instance is not None and not isinstance(self.instance, str):
            raise InvalidAccountError(
                f"Invalid `instance` value {self.instance!r}: expected a CRN or an instance name."
            )
        if self.region is not None and self.region not in REGIONS:
            raise InvalidAccountError(
                f"Invalid `region` value. Expected `us-east` or `eu-de`, got '{self.region}'."
            )
        if self.verify is not None and not isinstance(self.verify, bool):
            raise InvalidAccountError(f"Invalid `verify` value {self.verify!r}: expected a bool.")
        _check_str_list("plans_preference", self.plans_preference)
        _check_str_list("tags", self.tags)
        _check_proxies(self.proxies)
        return self

    def to_saved_format(self) -> dict[str, Any]:
        """Return the dict written to the account file (null values omitted)."""
        data: dict[str, Any] = {
            "channel": self.channel,
            "url": self.url,
            "token": self.token,
            "instance": self.instance,
            "proxies": (
                {k: v for k, v in self.proxies.items() if v is not None} if self.proxies else None
            ),
            "verify": self.verify,
            "private_endpoint": self.private_endpoint,
            "region": self.region,
            "plans_preference": self.plans_preference,
            "tags": self.tags,
        }
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_saved_format(cls, data: Mapping[str, Any]) -> Account:
        """Build an account from one entry of the account file."""
        return cls(
            channel=data.get("channel") or DEFAULT_CHANNEL,
            token=data.get("token") or "",
            url=data.get("url") or DEFAULT_URL,
            instance=data.get("instance"),
            proxies=data.get("proxies") or None,
            verify=data.get("verify"),
            private_endpoint=bool(data.get("private_endpoint", False)),
            region=data.get("region"),
            plans_preference=data.get("plans_preference"),
            tags=data.get("tags"),
        )

    def with_overrides(self, **changes: Any) -> Account:
        """Return a copy with the non-None ``changes`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


class AccountStore:
    """The saved-account file (official format, spec §1.1).

    Args:
        filename: Path of the file; ``~`` is expanded. Defaults to ``~/.qiskit/qiskit-ibm.json``.
    """

    def __init__(self, filename: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(os.path.expanduser(str(filename or DEFAULT_ACCOUNT_FILE)))

    def __repr__(self) -> str:
        return f"AccountStore({str(self.path)!r})"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def read(self) -> dict[str, dict[str, Any]]:
        """Return the whole file as ``{name: saved entry}`` ({} when it does not exist).

        Raises:
            InvalidAccountError: The file is not a JSON object of objects. It is left untouched.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        if not text.strip():
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InvalidAccountError(
                f"The account file {self.path} is not valid JSON ({err}). Fix it by hand or move "
                "it away and save your accounts again; it was not modified."
            ) from None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise InvalidAccountError(
                f"The account file {self.path} must hold a JSON object mapping account names to "
                "objects. Fix it by hand or move it away; it was not modified."
            )
        return data

    def _write(self, data: Mapping[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, sort_keys=True, indent=4)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def save(
        self,
        name: str,
        account: Account,
        overwrite: bool = False,
        set_as_default: bool | None = None,
    ) -> None:
        """Validate ``account`` and store it under ``name`` (spec §1.3).

        Raises:
            InvalidAccountError: The account is invalid, or ``channel`` is ``local``.
            AccountAlreadyExistsError: The name (or another default account) exists and
                ``overwrite`` is false.
        """
        account.validate()
        if account.channel == "local":
            raise InvalidAccountError(
                "The 'local' channel is never saved: use QiskitRuntimeService(channel='local')."
            )
        with self._locked():
            data = self.read()
            if data.get(name) and not overwrite:
                raise AccountAlreadyExistsError(
                    f"Named account ({name}) already exists. Set overwrite=True to overwrite."
                )
            entry = account.to_saved_format()
            if set_as_default:
                entry["is_default_account"] = True
                for other_name, other in data.items():
                    if other_name != name and other.get("is_default_account"):
                        if not overwrite:
                            raise AccountAlreadyExistsError(
                                f"default_account ({other_name}) already exists. "
                                "Set overwrite=True to overwrite."
                            )
                        del other["is_default_account"]
            data[name] = entry
            self._write(data)

    def list(
        self,
        default: bool | None = None,
        channel: str | None = None,
        name: str | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Return saved entries filtered as in spec §1.4 (legacy ``ibm_quantum`` skipped)."""
        result = {}
        for entry_name, entry in self.read().items():
            if entry.get("channel") == "ibm_quantum":
                continue
            if channel is not None and entry.get("channel") != channel:
                continue
            if name is not None and entry_name != name:
                continue
            if default is not None and (entry_name in _DEFAULT_NAMES) != default:
                continue
            result[entry_name] = entry
        return result

    def get(self, name: str) -> Account:
        """Return the account saved under ``name``.

        Raises:
            AccountNotFoundError: No such entry.
        """
        entry = self.read().get(name)
        if not entry:
            raise AccountNotFoundError(
                f"Account with the name {name} does not exist on disk ({self.path}). "
                "List saved accounts with QiskitRuntimeService.saved_accounts()."
            )
        return Account.from_saved_format(entry)

    def delete(self, name: str) -> bool:
        """Remove the entry ``name``; return whether it existed."""
        with self._locked():
            data = self.read()
            if name not in data:
                return False
            del data[name]
            self._write(data)
            return True


def _default_entry(
    config: Mapping[str, dict[str, Any]], channel: str | None
) -> dict[str, Any] | None:
    if not channel:
        return next((e for e in config.values() if e.get("is_default_account")), None)
    named = any_of_channel = None
    for entry_name, entry in config.items():
        if entry.get("channel") != channel:
            continue
        if entry.get("is_default_account"):
            return entry
        if entry_name == default_account_name(channel):
            named = entry
        any_of_channel = entry
    return named or any_of_channel


def _env_account(channel: str) -> Account | None:
    token = os.getenv("QISKIT_IBM_TOKEN")
    if not token:
        return None
    return Account(
        channel=channel,
        token=token,
        url=os.getenv("QISKIT_IBM_URL") or DEFAULT_URL,
        instance=os.getenv("QISKIT_IBM_INSTANCE") or None,
    )


def _saved_or_env(store: AccountStore, channel: str | None) -> Account:
    env_channel = channel or os.getenv("QISKIT_IBM_CHANNEL") or DEFAULT_CHANNEL
    env = _env_account(env_channel)
    if env is not None:
        return env
    config = store.list()
    entry = _default_entry(config, channel) or _default_entry(config, env_channel)
    if entry is None:
        entry = next((config[n] for n in _DEFAULT_NAMES[1:] if n in config), None)
    if entry is None:
        raise AccountNotFoundError(
            "Unable to find account. Please make sure an account with the channel name "
            f"'{env_channel}' is saved (QiskitRuntimeService.save_account(token=...)), or set "
            "QISKIT_IBM_TOKEN, or pass token=..."
        )
    return Account.from_saved_format(entry)


def resolve_account(
    *,
    channel: str | None = None,
    token: str | None = None,
    url: str | None = None,
    filename: str | None = None,
    name: str | None = None,
    instance: str | None = None,
    proxies: Mapping[str, Any] | None = None,
    verify: bool | None = None,
    private_endpoint: bool | None = None,
    region: str | None = None,
    plans_preference: list[str] | None = None,
    tags: list[str] | None = None,
) -> Account:
    """Pick the account ``QiskitRuntimeService(...)`` uses (spec §1.8 steps 1-6).

    Returns:
        The validated account (instance names are not resolved here).

    Raises:
        AccountNotFoundError: No saved, named or environment account is available.
        InvalidAccountError: The resolved account is invalid.
        ValueError: ``url`` given alone, or an unknown channel.
    """
    store = AccountStore(filename)
    if name:
        if channel or token or url:
            warnings.warn(
                "Loading account with the given name. Ignoring channel, token and url.",
                stacklevel=3,
            )
        account = store.get(name)
    elif channel:
        if channel not in CHANNELS:
            raise ValueError(
                f"'channel' can only be 'ibm_cloud', 'ibm_quantum_platform' or 'local', "
                f"got {channel!r}."
            )
        if token:
            account = Account(channel=channel, token=token, url=url or DEFAULT_URL)
        else:
            account = _saved_or_env(store, channel)
    elif token:
        account = Account(channel=DEFAULT_CHANNEL, token=token, url=url or DEFAULT_URL)
    elif url:
        raise ValueError(
            "'url' was given without a token or channel: pass token=... (and channel=...) too, "
            "or save an account with save_account(url=...)."
        )
    else:
        account = _saved_or_env(store, None)
    account = account.with_overrides(
        instance=instance,
        proxies=proxies,
        verify=verify,
        private_endpoint=private_endpoint,
        region=region,
        plans_preference=plans_preference,
        tags=tags,
    )
    return account.validate()
