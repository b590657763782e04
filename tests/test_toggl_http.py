"""Issue 20: Toggl requests go through aiohttp's pool under httpx's API, and a request
that may have reached Toggl is never repeated for a method that is not idempotent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from httpx_aiohttp import AiohttpTransport
from pydantic import SecretStr

from bot.errors import TogglUnavailable
from bot.testing.clock import ManualClock
from bot.toggl import Transport
from tests.core_fixtures import no_sleep

TOKEN = SecretStr("t" * 32)


@pytest.fixture
async def hangs_up() -> AsyncIterator[tuple[str, list[bytes]]]:
    """A server that reads each request and closes the connection without answering."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head.split(b" ", 1)[0])
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}/api/v9", seen


def test_the_default_client_runs_on_aiohttp(clock: ManualClock) -> None:
    transport = Transport("http://127.0.0.1:1/api/v9", clock=clock)
    assert isinstance(transport._http._transport, AiohttpTransport)


async def test_a_post_whose_connection_dropped_is_sent_once(
    hangs_up: tuple[str, list[bytes]], clock: ManualClock
) -> None:
    # httpx-aiohttp calls this a ConnectTimeout ("never sent"): we would create it twice.
    url, seen = hangs_up
    transport = Transport(url, clock=clock, sleep=no_sleep)
    try:
        with pytest.raises(TogglUnavailable) as caught:
            await transport.request(TOKEN, "POST", "/workspaces/1/time_entries", json={})
    finally:
        await transport.aclose()
    assert seen == [b"POST"]
    assert caught.value.maybe_applied


async def test_a_get_whose_connection_dropped_is_retried(
    hangs_up: tuple[str, list[bytes]], clock: ManualClock
) -> None:
    url, seen = hangs_up
    transport = Transport(url, clock=clock, sleep=no_sleep)
    try:
        with pytest.raises(TogglUnavailable):
            await transport.request(TOKEN, "GET", "/me")
    finally:
        await transport.aclose()
    # aiohttp itself also repeats an idempotent request once on a reused connection.
    assert set(seen) == {b"GET"} and len(seen) >= transport.policy.attempts
