"""The HTTP client under the Toggl transport: httpx's API over an aiohttp connection pool.

httpcore's pool bookkeeping cost ~2.3 ms of CPU per Toggl request in the `web` process and
grows with requests in flight (encode/httpcore#1035); aiohttp's connector does the same work
for a fraction. httpx stays the interface (``httpx.AsyncClient``), so errors, timeouts and
tests are unchanged; only the transport under it differs.

httpx-aiohttp maps every ``aiohttp.ClientConnectionError`` to ``httpx.ConnectTimeout``,
which our retry rules read as "never reached Toggl": a POST whose connection dropped after
it was sent would be sent again. ``_Transport`` maps by what happened instead.
"""

from __future__ import annotations

import urllib.request

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

MAX_CONNECTIONS = 200
KEEPALIVE_S = 15.0


def toggl_http(timeout: float, user_agent: str = "togglbot") -> httpx.AsyncClient:
    """The client every Toggl request goes through; ``timeout`` is per attempt."""
    options: dict[str, object] = {
        # Connecting takes milliseconds when Toggl is reachable: a connect that outlasts
        # this is "can't reach Toggl", told apart from a slow answer.
        "timeout": httpx.Timeout(timeout, connect=timeout / 2),
        "headers": {"User-Agent": user_agent},
    }
    if _proxied():
        # aiohttp would need the proxy spelled out per request: let httpx handle it.
        return httpx.AsyncClient(
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=50),
            **options,  # type: ignore[arg-type]
        )
    return httpx.AsyncClient(transport=_Transport(), **options)  # type: ignore[arg-type]


def _proxied() -> bool:
    return bool({"http", "https", "all"} & set(urllib.request.getproxies()))


class _Transport(AiohttpTransport):
    """httpx-aiohttp with errors mapped by whether the request could have been sent."""

    def __init__(self) -> None:
        super().__init__(
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, keepalive_expiry=KEEPALIVE_S),
            trust_env=False,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except httpx.TransportError as exc:
            raise _remap(exc) from exc.__cause__


def _remap(exc: httpx.TransportError) -> httpx.TransportError:
    cause = exc.__cause__
    message = str(exc)
    if isinstance(cause, aiohttp.ClientConnectorError):
        # DNS, refused, TLS handshake: the request never left.
        return httpx.ConnectError(message)
    if isinstance(cause, aiohttp.ConnectionTimeoutError):
        # Waiting for a free connection or for the TCP connect: nothing was sent.
        return httpx.ConnectTimeout(message)
    if isinstance(cause, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError(message)
    if isinstance(cause, aiohttp.ClientConnectionError):
        # Reset or broken while sending or reading: the request may have arrived.
        return httpx.ReadError(message)
    return exc
