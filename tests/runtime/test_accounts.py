"""Saved accounts: official file format, interop with qiskit-ibm-runtime, locking, resolution."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from qrt_lab.runtime.accounts import Account, AccountStore, resolve_account
from qrt_lab.runtime.exceptions import (
    AccountAlreadyExistsError,
    AccountNotFoundError,
    InvalidAccountError,
)

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst-1::"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_URL", "QISKIT_IBM_INSTANCE", "QISKIT_IBM_CHANNEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def test_save_writes_official_format_0600(tmp_path: Path) -> None:
    path = tmp_path / "acc.json"
    store = AccountStore(path)
    store.save(
        "work", Account(channel="ibm_cloud", token="KEY", region="eu-de", plans_preference=["open"])
    )
    data = json.loads(path.read_text())
    assert data == {
        "work": {
            "channel": "ibm_cloud",
            "plans_preference": ["open"],
            "private_endpoint": False,
            "region": "eu-de",
            "token": "KEY",
            "url": "https://cloud.ibm.com",
        }
    }
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text() == json.dumps(data, sort_keys=True, indent=4)


def test_overwrite_and_default_rules(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "acc.json")
    store.save("a", Account(token="K1"), set_as_default=True)
    with pytest.raises(AccountAlreadyExistsError, match="overwrite=True"):
        store.save("a", Account(token="K2"))
    with pytest.raises(AccountAlreadyExistsError):
        store.save("b", Account(token="K2"), set_as_default=True)
    assert "b" not in store.read(), "nothing is written when the default conflicts"
    store.save("b", Account(token="K2"), set_as_default=True, overwrite=True)
    data = store.read()
    assert "is_default_account" not in data["a"] and data["b"]["is_default_account"] is True
    assert store.delete("a") is True and store.delete("a") is False


def test_list_filters(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "acc.json")
    store.save("default-ibm-cloud", Account(channel="ibm_cloud", token="K"))
    store.save("mine", Account(token="K"))
    raw = store.read() | {"legacy": {"channel": "ibm_quantum", "token": "x"}}
    (tmp_path / "acc.json").write_text(json.dumps(raw))
    assert set(store.list()) == {"default-ibm-cloud", "mine"}
    assert set(store.list(default=True)) == {"default-ibm-cloud"}
    assert set(store.list(default=False)) == {"mine"}
    assert set(store.list(channel="ibm_quantum_platform")) == {"mine"}


def test_corrupted_file_is_reported_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "acc.json"
    path.write_text("{not json")
    store = AccountStore(path)
    with pytest.raises(InvalidAccountError, match=str(path)):
        store.save("x", Account(token="K"))
    assert path.read_text() == "{not json"
    path.write_text("[1, 2]")
    with pytest.raises(InvalidAccountError, match="JSON object"):
        store.list()


def test_validation_errors_are_specific() -> None:
    with pytest.raises(InvalidAccountError, match="channel"):
        Account(channel="ibm_quantum", token="K").validate()
    with pytest.raises(InvalidAccountError, match="region"):
        Account(token="K", region="mars").validate()
    with pytest.raises(InvalidAccountError, match="token"):
        Account(token="").validate()
    with pytest.raises(InvalidAccountError, match="url"):
        Account(token="K", url="ftp//x").validate()
    with pytest.raises(InvalidAccountError, match="tags"):
        Account(token="K", tags="a").validate()  # type: ignore[arg-type]
    with pytest.raises(InvalidAccountError, match="username_ntlm"):
        Account(token="K", proxies={"username_ntlm": "u"}).validate()


def test_repr_never_shows_secrets() -> None:
    account = Account(
        token="TOPSECRET", proxies={"urls": {}, "username_ntlm": "u", "password_ntlm": "PW"}
    )
    assert "TOPSECRET" not in repr(account) and "PW" not in repr(account)
    assert "TOPSECRET" not in str(account)


def _save_one(args: tuple[str, int]) -> None:
    AccountStore(args[0]).save(f"acct-{args[1]}", Account(token=f"K{args[1]}"))


def test_ten_processes_lose_no_account(tmp_path: Path) -> None:
    path = str(tmp_path / "acc.json")
    with multiprocessing.get_context("fork").Pool(10) as pool:
        pool.map(_save_one, [(path, i) for i in range(10)])
    assert set(AccountStore(path).read()) == {f"acct-{i}" for i in range(10)}


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "acc.json")
    store = AccountStore(path)
    with pytest.raises(AccountNotFoundError, match="save_account"):
        resolve_account(filename=path)
    store.save("default-ibm-cloud", Account(channel="ibm_cloud", token="CLOUD"))
    store.save("other", Account(token="OTHER"))
    # no flagged default: any account of the default channel wins over another channel's default
    assert resolve_account(filename=path).token == "OTHER"
    store.save("fav", Account(token="FAV"), set_as_default=True)
    assert resolve_account(filename=path).token == "FAV"
    assert resolve_account(filename=path, channel="ibm_cloud").token == "CLOUD"
    assert resolve_account(filename=path, name="other").token == "OTHER"
    with pytest.raises(AccountNotFoundError):
        resolve_account(filename=path, name="missing")
    monkeypatch.setenv("QISKIT_IBM_TOKEN", "ENV")
    monkeypatch.setenv("QISKIT_IBM_INSTANCE", CRN)
    env = resolve_account(filename=path)
    assert (env.token, env.instance, env.channel) == ("ENV", CRN, "ibm_quantum_platform")
    assert resolve_account(filename=path, token="ARG").token == "ARG"
    assert resolve_account(filename=path, instance="x", region="us-east").instance == "x"
    with pytest.raises(ValueError, match="url"):
        resolve_account(filename=path, url="http://x")
    with pytest.raises(ValueError, match="channel"):
        resolve_account(filename=path, channel="ibm_quantum")


def test_official_client_reads_our_accounts(tmp_path: Path) -> None:
    from qiskit_ibm_runtime import QiskitRuntimeService as Official

    path = str(tmp_path / "acc.json")
    AccountStore(path).save(
        "ours",
        Account(token="OURS", instance=CRN, tags=["t"], region="us-east"),
        set_as_default=True,
    )
    saved = Official.saved_accounts(filename=path)
    assert saved["ours"]["token"] == "OURS" and saved["ours"]["instance"] == CRN
    from qiskit_ibm_runtime.accounts import AccountManager

    account = AccountManager.get(filename=path)
    assert account.token == "OURS" and account.tags == ["t"]


def test_we_read_official_accounts(tmp_path: Path) -> None:
    from qiskit_ibm_runtime import QiskitRuntimeService as Official

    path = str(tmp_path / "acc.json")
    Official.save_account(token="THEIRS", instance=CRN, filename=path, plans_preference=["open"])
    Official.save_account(
        token="C", channel="ibm_cloud", filename=path, name="c", set_as_default=True
    )
    ours = resolve_account(filename=path)
    assert ours.token == "C" and ours.channel == "ibm_cloud"
    named = resolve_account(filename=path, name="default-ibm-quantum-platform")
    assert named.token == "THEIRS" and named.plans_preference == ["open"]
    assert AccountStore(path).read() == json.loads(Path(path).read_text())
