"""One account: the fields of an entry of the saved-account file, validated (spec §1.1, §1.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlparse

from .exceptions import InvalidAccountError

__all__ = ["CHANNELS", "DEFAULT_CHANNEL", "DEFAULT_URL", "REGIONS", "Account"]

DEFAULT_URL = "https://cloud.ibm.com"
DEFAULT_CHANNEL = "ibm_quantum_platform"
CHANNELS = ("ibm_quantum_platform", "ibm_cloud")
REGIONS = ("us-east", "eu-de")


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
        saved_name: The name it was saved under, when it was read from the account file
            (never saved itself; errors use it to say which saved account to fix).
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
    saved_name: str | None = field(default=None, compare=False)

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
    def from_saved_format(cls, data: Mapping[str, Any], name: str | None = None) -> Account:
        """Build an account from one entry of the account file (saved as ``name``)."""
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
            saved_name=name,
        )

    def with_overrides(self, **changes: Any) -> Account:
        """Return a copy with the non-None ``changes`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
