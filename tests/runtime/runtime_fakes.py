"""Transport-level fakes of the IBM cloud for fault injection (httpx.MockTransport only)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from qrt_lab.runtime.accounts import Account
from qrt_lab.runtime.api.connection import RuntimeConnection
from qrt_lab.runtime.api.transport import RetryPolicy

BASE = "http://fake.test:9999"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst-1::"
API_KEY = "secret-api-key-0123456789"


def make_jwt(lifetime: int = 3600, iat: int | None = None, marker: str = "") -> str:
    """A syntactically valid JWT with ``iat``/``exp`` claims and a junk signature."""
    iat = int(time.time()) if iat is None else iat

    def seg(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    header = seg({"alg": "RS256", "typ": "JWT"})
    return f"{header}.{seg({'iat': iat, 'exp': iat + lifetime, 'm': marker})}.c2ln"


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeCloud:
    """Serves IAM; every runtime request goes to ``handler``; records what it saw."""

    handler: Handler
    lifetime: int = 3600
    requests: list[httpx.Request] = field(default_factory=list)
    tokens_issued: int = 0
    valid_tokens: set[str] = field(default_factory=set)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/identity/token":
            form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
            if form.get("apikey") != API_KEY:
                return httpx.Response(
                    400, json={"errorMessage": "Provided API key could not be found."}
                )
            self.tokens_issued += 1
            token = make_jwt(self.lifetime, marker=str(self.tokens_issued))
            self.valid_tokens.add(token)
            return httpx.Response(200, json={"access_token": token, "token_type": "Bearer"})
        return self.handler(request)

    def runtime_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.startswith("/api/v1")]


def connection(**kwargs: Any) -> RuntimeConnection:
    """A connection to the fake cloud with fast retries."""
    account = Account(channel="ibm_quantum_platform", token=API_KEY, url=BASE, instance=CRN)
    kwargs.setdefault(
        "retry", RetryPolicy(backoff_factor=0.01, max_backoff=0.02, retry_after_cap=0.2)
    )
    return RuntimeConnection.from_account(account, **kwargs)
