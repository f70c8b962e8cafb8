"""The service's API key and the IAM bearer tokens issued for it.

The API key is generated on first start and stored in the state directory with mode 0600. Tokens
are JWTs (HS256) with ``iat``/``exp`` claims, signed with a key derived from the API key, so tokens
issued before a restart stay valid and tokens for another key never verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["TokenIssuer", "load_or_create_api_key", "write_private_file"]

GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600 (temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_or_create_api_key(path: Path) -> str:
    """Return the API key stored at ``path``, generating and storing one if there is none."""
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if key:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)  # a key readable by others is tightened, not trusted as is
        return key
    key = "qrtlocal_" + secrets.token_urlsafe(32)
    write_private_file(path, key + "\n")
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    """Issues and verifies bearer tokens for one API key."""

    def __init__(self, api_key: str, ttl: int = 3600) -> None:
        self._api_key = api_key
        self._ttl = ttl
        self._signing_key = hmac.new(api_key.encode(), b"qrt-lab-local-jwt", "sha256").digest()

    def api_key_matches(self, candidate: str) -> bool:
        """True if ``candidate`` is the service's API key (constant-time comparison)."""
        return hmac.compare_digest(candidate.encode(), self._api_key.encode())

    def issue(self) -> dict[str, Any]:
        """Return an IAM token response: ``access_token`` (a JWT) and the standard fields."""
        now = int(time.time())
        header = {"alg": "HS256", "typ": "JWT", "kid": "qrt-lab-local"}
        claims = {
            "iss": "qrt-lab-local",
            "sub": "local-user",
            "iat": now,
            "exp": now + self._ttl,
            "jti": secrets.token_hex(8),
        }
        signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
        token = signing_input + "." + _b64(self._sign(signing_input))
        return {
            "access_token": token,
            "refresh_token": "not-supported",
            "token_type": "Bearer",
            "expires_in": self._ttl,
            "expiration": now + self._ttl,
            "scope": "ibm openid",
        }

    def verify(self, token: str) -> bool:
        """True if ``token`` was issued by this issuer and has not expired."""
        parts = token.split(".")
        if len(parts) != 3:
            return False
        try:
            signature = _unb64(parts[2])
        except ValueError:
            return False
        # the signature first: claims of a forged token are never parsed
        if not hmac.compare_digest(signature, self._sign(parts[0] + "." + parts[1])):
            return False
        try:
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, RecursionError):
            return False
        exp = claims.get("exp") if isinstance(claims, dict) else None
        return isinstance(exp, int) and exp > time.time()

    def _sign(self, signing_input: str) -> bytes:
        return hmac.new(self._signing_key, signing_input.encode(), hashlib.sha256).digest()
