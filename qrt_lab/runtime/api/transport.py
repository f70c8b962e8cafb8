"""Retries in one place: an httpx transport wrapper for sync and async clients (spec §9.3).

* Connection failures (refused, reset, broken before a response) and HTTP 500, 502, 503, 504,
  520-524 are retried with exponential backoff and full jitter, on every method except PATCH
  (IBM documents POST /jobs as safe to retry on these codes).
* 429 is retried on every method, POST included, waiting ``Retry-After`` (seconds or an HTTP
  date, capped) or the backoff when the header is missing.
* Other 4xx are returned at once. Read timeouts are not retried: a slow server would otherwise
  stall the caller several times over.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from dataclasses import dataclass

import httpx

__all__ = ["AsyncRetryTransport", "RetryPolicy", "RetryTransport"]

logger = logging.getLogger(__name__)

_RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524})
_CONNECTION_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How many times and how long to retry.

    Attributes:
        max_retries: Retries after the first attempt.
        backoff_factor: Backoff base in seconds: retry n waits up to ``factor·2^(n-1)``.
        max_backoff: Upper bound of one backoff wait.
        retry_after_cap: Upper bound of one ``Retry-After`` wait.
    """

    max_retries: int = 5
    backoff_factor: float = 0.5
    max_backoff: float = 8.0
    retry_after_cap: float = 30.0

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry ``attempt`` (1-based): full jitter, first one immediate."""
        if attempt <= 1:
            return 0.0
        ceiling = min(self.max_backoff, self.backoff_factor * 2 ** (attempt - 2))
        return random.uniform(0.5 * ceiling, ceiling)

    def retry_after(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait after a 429/503 response, from ``Retry-After`` when present."""
        header = response.headers.get("Retry-After")
        if header:
            try:
                seconds = float(header)
            except ValueError:
                try:
                    seconds = email.utils.parsedate_to_datetime(header).timestamp() - time.time()
                except (TypeError, ValueError):
                    seconds = self.backoff(attempt)
            return max(0.0, min(seconds, self.retry_after_cap))
        return max(self.backoff(attempt), min(self.backoff_factor, self.retry_after_cap))

    def status_delay(
        self, request: httpx.Request, response: httpx.Response, attempt: int
    ) -> float | None:
        """Wait before retrying after ``response``, or None when it must not be retried."""
        if attempt > self.max_retries:
            return None
        if response.status_code == 429:
            return self.retry_after(response, attempt)
        if response.status_code in _RETRY_STATUSES and request.method != "PATCH":
            if response.status_code == 503 and "Retry-After" in response.headers:
                return self.retry_after(response, attempt)
            return self.backoff(attempt)
        return None

    def error_delay(self, request: httpx.Request, attempt: int) -> float | None:
        """Wait before retrying after a connection error, or None when it must not be retried."""
        if attempt > self.max_retries or request.method == "PATCH":
            return None
        return self.backoff(attempt)


def _log_retry(request: httpx.Request, reason: str, delay: float, attempt: int) -> None:
    logger.info(
        "Retrying %s %s in %.2fs after %s (retry %d)",
        request.method,
        request.url.copy_with(query=None),
        delay,
        reason,
        attempt,
    )


class RetryTransport(httpx.BaseTransport):
    """Wrap a sync transport with :class:`RetryPolicy`."""

    def __init__(self, inner: httpx.BaseTransport, policy: RetryPolicy | None = None) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying as the policy says."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.inner.handle_request(request)
            except _CONNECTION_ERRORS as err:
                delay = self.policy.error_delay(request, attempt)
                if delay is None:
                    raise
                _log_retry(request, type(err).__name__, delay, attempt)
                time.sleep(delay)
                continue
            delay = self.policy.status_delay(request, response, attempt)
            if delay is None:
                return response
            response.close()
            _log_retry(request, f"HTTP {response.status_code}", delay, attempt)
            time.sleep(delay)

    def close(self) -> None:
        """Close the wrapped transport."""
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Wrap an async transport with :class:`RetryPolicy`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, policy: RetryPolicy | None = None) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying as the policy says."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self.inner.handle_async_request(request)
            except _CONNECTION_ERRORS as err:
                delay = self.policy.error_delay(request, attempt)
                if delay is None:
                    raise
                _log_retry(request, type(err).__name__, delay, attempt)
                await asyncio.sleep(delay)
                continue
            delay = self.policy.status_delay(request, response, attempt)
            if delay is None:
                return response
            await response.aclose()
            _log_retry(request, f"HTTP {response.status_code}", delay, attempt)
            await asyncio.sleep(delay)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
