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
from pathlib import Path
from typing import Any

from .account import CHANNELS, DEFAULT_CHANNEL, DEFAULT_URL, Account
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
_DEFAULT_NAMES = ("default", "default-ibm-quantum-platform", "default-ibm-cloud")


def default_account_name(channel: str | None) -> str:
    """Return the name ``save_account`` uses when none is given for ``channel``."""
    return "default-ibm-cloud" if channel == "ibm_cloud" else "default-ibm-quantum-platform"


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
        return Account.from_saved_format(entry, name)

    def delete(self, name: str) -> bool:
        """Remove the entry ``name``; return whether it existed."""
        with self._locked():
            data = self.read()
            if name not in data:
                return False
            del data[name]
            self._write(data)
            return True


def _default_entry(config: Mapping[str, dict[str, Any]], channel: str | None) -> str | None:
    """The name of the saved entry used for ``channel`` (any channel when None), or None."""
    if not channel:
        return next((n for n, e in config.items() if e.get("is_default_account")), None)
    named = any_of_channel = None
    for entry_name, entry in config.items():
        if entry.get("channel") != channel:
            continue
        if entry.get("is_default_account"):
            return entry_name
        if entry_name == default_account_name(channel):
            named = entry_name
        any_of_channel = entry_name
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
        entry = next((n for n in _DEFAULT_NAMES[1:] if n in config), None)
    if entry is None:
        raise AccountNotFoundError(
            "Unable to find account. Please make sure an account with the channel name "
            f"'{env_channel}' is saved (QiskitRuntimeService.save_account(token=...)), or set "
            "QISKIT_IBM_TOKEN, or pass token=..."
        )
    return Account.from_saved_format(config[entry], entry)


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
