"""API key storage and bearer tokens of the local service (no server needed)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

from qrt_lab.local.iam import TokenIssuer, load_or_create_api_key, write_private_file


def test_api_key_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "state" / "api_key"
    key = load_or_create_api_key(path)
    assert len(key) > 30 and path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_api_key(path) == key
    path.chmod(0o644)
    assert load_or_create_api_key(path) == key and path.stat().st_mode & 0o777 == 0o600


def test_private_files_are_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    write_private_file(path, "one")
    write_private_file(path, "two")
    assert path.read_text() == "two" and path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]


def test_tokens_verify_only_for_their_key_and_until_expiry() -> None:
    issuer = TokenIssuer("key-one", ttl=3600)
    token = issuer.issue()["access_token"]
    assert issuer.verify(token)
    assert TokenIssuer("key-one").verify(token)
    assert not TokenIssuer("key-two").verify(token)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["exp"] += 1000
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert not issuer.verify(f"{header}.{forged}.{signature}")
    assert not issuer.verify("garbage") and not issuer.verify("a.b.c")
    expired = TokenIssuer("key-one", ttl=-1).issue()["access_token"]
    assert not issuer.verify(expired)
    assert claims["iat"] <= time.time()


def test_api_key_comparison() -> None:
    issuer = TokenIssuer("secret-key")
    assert issuer.api_key_matches("secret-key") and not issuer.api_key_matches("secret-kez")
