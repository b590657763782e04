"""One aiohttp session for every response_url follow-up of the process.

Bolt's ``respond`` opens a new aiohttp session, and so a new TCP (and TLS) connection, for
each follow-up: ~11% of the `web` process's CPU per command, and a slower answer. While
``followup_session`` is open, follow-ups share one session and its kept-alive connections.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

TIMEOUT_S = 30  # slack_sdk's own default for response_url
# Per event loop: tests run many loops in one process, and a session belongs to its loop.
_SESSIONS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = (
    weakref.WeakKeyDictionary()
)


@asynccontextmanager
async def followup_session() -> AsyncIterator[aiohttp.ClientSession]:
    """Share one session for follow-ups on this event loop until the block ends."""
    loop = asyncio.get_running_loop()
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=30),
        timeout=aiohttp.ClientTimeout(total=TIMEOUT_S),
    )
    _SESSIONS[loop] = session
    try:
        yield session
    finally:
        if _SESSIONS.get(loop) is session:
            del _SESSIONS[loop]
        await session.close()


def shared_session() -> aiohttp.ClientSession | None:
    session = _SESSIONS.get(asyncio.get_running_loop())
    return session if session is not None and not session.closed else None


async def respond_with(respond: AsyncRespond, payload: dict[str, Any]) -> WebhookResponse:
    """What ``respond(**payload)`` does, on the shared session when there is one."""
    session = shared_session()
    if session is None or respond.response_url is None:
        return await respond(**payload)
    client = AsyncWebhookClient(
        url=respond.response_url, proxy=respond.proxy, ssl=respond.ssl, session=session,
        timeout=TIMEOUT_S,
    )
    return await client.send_dict(_build_message(**payload))
