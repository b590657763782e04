"""One pooled httpx client for every user, with Toggl's errors, quota and retry rules.

Retries: a request that provably never reached Toggl (connect failure) is always safe to
repeat; 5xx, read timeouts and dropped connections are repeated only for idempotent
methods, because a POST that timed out may already have created the entry.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import httpx
from pydantic import SecretStr

from bot.clock import Clock
from bot.domain import Quota
from bot.errors import (
    PremiumRequired,
    QuotaExhausted,
    RateLimited,
    TogglRejected,
    TogglSlow,
    TogglUnavailable,
    TogglUnreachable,
    TokenRejected,
)
from bot.toggl.http import toggl_http

log = logging.getLogger(__name__)

IDEMPOTENT = frozenset({"GET", "PUT", "PATCH", "DELETE", "HEAD"})
QUOTA_REMAINING = "X-Toggl-Quota-Remaining"
QUOTA_RESETS_IN = "X-Toggl-Quota-Resets-In"
MAX_RESET_SECONDS = 86_400.0  # Toggl's quota window is an hour; a day is plenty of slack
MAX_QUOTA = 1_000_000
Sleep = Callable[[float], Awaitable[None]]
Api = Literal["v9", "reports"]


def reports_url_for(api_url: str) -> str:
    """Toggl serves Reports v3 beside API v9: ``…/api/v9`` -> ``…/reports/api/v3``."""
    base = api_url.rstrip("/")
    root = base[: -len("/api/v9")] if base.endswith("/api/v9") else base
    return root + "/reports/api/v3"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3  # first try included
    backoff: float = 0.2  # seconds, doubled each time, full jitter
    max_rate_limit_wait: float = 2.0  # a longer Retry-After goes back to the user
    timeout: float = 5.0  # per attempt, whole request


class Transport:
    """Sends one logical Toggl request for a given token; shared by all users."""

    def __init__(
        self,
        base_url: str,
        *,
        reports_url: str | None = None,
        http: httpx.AsyncClient | None = None,
        policy: RetryPolicy | None = None,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._bases: dict[Api, str] = {
            "v9": base_url.rstrip("/"),
            "reports": (reports_url or reports_url_for(base_url)).rstrip("/"),
        }
        self._http = http or toggl_http(self.policy.timeout)
        self._clock = clock
        self._sleep = sleep

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        token: SecretStr,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        on_quota: Callable[[Quota], None] | None = None,
        api: Api = "v9",
        headers_out: dict[str, str] | None = None,
    ) -> Any:
        """Send, retrying within the policy; return decoded JSON or raise a TogglError.

        ``headers_out``, when given, receives the answer's headers (Reports pages by them).
        """
        policy = self.policy
        rate_limited_once = False
        for attempt in range(1, policy.attempts + 1):
            last = attempt == policy.attempts
            try:
                async with asyncio.timeout(policy.timeout):
                    response = await self._http.request(
                        method,
                        self._bases[api] + path,
                        params=params,
                        json=json,
                        auth=(token.get_secret_value(), "api_token"),
                    )
                    body = await response.aread()
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Never reached Toggl: safe to repeat any method.
                if last:
                    cause = connect_cause(exc)
                    log.warning("cannot reach Toggl at %s: %s", self._bases[api], cause)
                    raise TogglUnreachable(cause) from None
                await self._backoff(attempt)
                continue
            except httpx.PoolTimeout:
                # Every connection busy: nothing was sent, safe to repeat any method.
                if last:
                    log.warning("Toggl requests queued too long: every connection is busy")
                    raise TogglSlow("PoolTimeout") from None
                await self._backoff(attempt)
                continue
            except (httpx.TimeoutException, TimeoutError) as exc:
                if last or method not in IDEMPOTENT:
                    log.warning("Toggl did not answer within %.0f s", policy.timeout)
                    raise TogglSlow(
                        type(exc).__name__, maybe_applied=method not in IDEMPOTENT
                    ) from None
                await self._backoff(attempt)
                continue
            except httpx.TransportError as exc:
                if last or method not in IDEMPOTENT:
                    log.warning("Toggl connection failed: %s", type(exc).__name__)
                    raise _unavailable(type(exc).__name__, method) from None
                await self._backoff(attempt)
                continue

            quota = self._quota(response)
            if on_quota is not None and quota is not None:
                on_quota(quota)
            status = response.status_code
            if status < 300:
                if headers_out is not None:
                    headers_out.update(response.headers)
                return _decode(body, method)
            if status == 429:
                wait = _retry_after(response)
                if not rate_limited_once and wait <= policy.max_rate_limit_wait:
                    rate_limited_once = True
                    await self._sleep(wait)
                    continue
                raise RateLimited(wait)
            if status >= 500:
                if last or method not in IDEMPOTENT:
                    raise _unavailable(f"HTTP {status}", method)
                await self._backoff(attempt)
                continue
            raise self._client_error(status, body, quota)
        raise TogglUnavailable("retries exhausted")  # pragma: no cover - loop always returns

    async def _backoff(self, attempt: int) -> None:
        log.info("Toggl request failed on attempt %d of %d; retrying", attempt,
                 self.policy.attempts)
        await self._sleep(random.uniform(0, self.policy.backoff * 2 ** (attempt - 1)))  # noqa: S311

    def _quota(self, response: httpx.Response) -> Quota | None:
        remaining = _count(response.headers.get(QUOTA_REMAINING))
        resets_in = _seconds(response.headers.get(QUOTA_RESETS_IN))
        if remaining is None and resets_in is None:
            return None
        resets_at = self._clock() + timedelta(seconds=resets_in) if resets_in is not None else None
        return Quota(remaining=remaining, resets_at=resets_at)

    def _client_error(self, status: int, body: bytes, quota: Quota | None) -> Exception:
        text = _detail(body)
        if status == 401 or (status == 403 and _is_auth_failure(text)):
            return TokenRejected()
        if status == 402:
            # A premium-only refusal can carry quota headers too; only 0 left is the quota.
            if quota is not None and quota.remaining is not None and quota.remaining <= 0:
                return QuotaExhausted(quota.resets_at)
            return PremiumRequired()
        return TogglRejected(status, text)


def _count(header: str | None) -> int | None:
    """A quota count, or None when absent or absurd."""
    try:
        value = int(header) if header is not None else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= MAX_QUOTA else None


def _seconds(header: str | None) -> float | None:
    """Seconds until the quota resets, or None when absent or absurd (1e20, inf, nan, < 0):
    the window is an hour, so a value past a day is not a time we can show or wait for."""
    try:
        value = float(header) if header is not None else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= MAX_RESET_SECONDS else None


def connect_cause(exc: BaseException) -> str:
    """Why a connection failed, in an operator's words: DNS, refused, TLS or timeout."""
    seen: BaseException | None = exc
    for _ in range(8):  # the chain: httpx -> httpcore -> OSError -> the socket's own error
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return f"DNS lookup failed ({seen.strerror or seen})"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, ssl.SSLError):
            # aiohttp's wrapper is an SSLError too, without a reason: its cause has one.
            reason = getattr(seen, "reason", None)
            if reason is None and isinstance(seen.__cause__, ssl.SSLError):
                seen = seen.__cause__
                continue
            return f"TLS failed ({reason or type(seen).__name__})"
        if isinstance(seen, httpx.ConnectTimeout | TimeoutError):
            return "connect timeout"
        seen = seen.__cause__ or seen.__context__
    return f"connection failed ({type(exc).__name__})"


def _unavailable(detail: str, method: str) -> TogglUnavailable:
    return TogglUnavailable(detail, maybe_applied=method not in IDEMPOTENT)


def _decode(body: bytes, method: str) -> Any:
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        raise _unavailable("malformed JSON", method) from None


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def _detail(body: bytes) -> str:
    """Toggl's error text, trimmed; it never contains credentials."""
    text = body.decode("utf-8", "replace").strip().strip('"')
    return " ".join(text.split())[:200]


def _is_auth_failure(text: str) -> bool:
    lowered = text.lower()
    return not lowered or any(w in lowered for w in ("password", "token", "auth", "login"))
