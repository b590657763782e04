"""Slow and half-sent requests, over raw TCP against the real web app under uvicorn.

The server is built exactly as `togglbot web` builds it (create_web_app + uvicorn_options),
with short limits so the deadlines pass quickly. No assertion is about time: each test
waits, with a generous timeout, for what the server must eventually do (answer, close).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn

from adapters.edge import WebLimits, uvicorn_options
from adapters.web import create_web_app
from bot import migrate
from bot.app import open_app
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack import FakeSlack

LIMITS = WebLimits(header_seconds=0.5, body_seconds=0.5, max_header_bytes=8 * 1024,
                   max_connections=20)
EVENTUALLY = 20.0  # seconds: far past every deadline above; only a hang reaches it
Address = tuple[str, int]


@pytest.fixture
async def server(
    fake_slack: FakeSlack, fake_toggl: TogglEmulator, clock: ManualClock, sqlite_url: str,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Address]:
    limits = getattr(request, "param", LIMITS)
    migrate.upgrade(sqlite_url)
    toggl = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
    app = create_web_app(slack_settings(fake_slack, sqlite_url), limits=limits,
                         build=lambda s: open_app(
            s, toggl_http=toggl, clock=clock, toggl_pace=None))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                            **uvicorn_options(limits))
    web = uvicorn.Server(config)
    task = asyncio.create_task(web.serve())
    while not web.started:
        assert not task.done(), "the web app did not start"
        await asyncio.sleep(0.02)
    host, port = web.servers[0].sockets[0].getsockname()[:2]
    try:
        yield host, port
    finally:
        web.should_exit = True
        await task
        await toggl.aclose()


async def connect(address: Address, data: bytes = b"") -> tuple[asyncio.StreamReader,
                                                                asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(*address)
    if data:
        writer.write(data)
        await writer.drain()
    return reader, writer


async def until_closed(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends before it closes the connection."""
    return await asyncio.wait_for(reader.read(), EVENTUALLY)


async def healthz(address: Address) -> bytes:
    reader, writer = await connect(address, b"GET /healthz HTTP/1.1\r\nHost: t\r\n"
                                            b"Connection: close\r\n\r\n")
    try:
        return await until_closed(reader)
    finally:
        writer.close()


HALF_HEADERS = b"POST /slack/events HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www"


async def test_half_sent_headers_are_dropped_while_healthz_answers(
    server: Address, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    slow = [await connect(server, HALF_HEADERS) for _ in range(10)]
    assert (await healthz(server)).startswith(b"HTTP/1.1 200")
    for reader, writer in slow:
        assert (await until_closed(reader)).startswith(b"HTTP/1.1 408")
        writer.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "togglbot.edge"]
    assert lines.count(f"refused - -, {len(HALF_HEADERS)} bytes: headers not complete "
                       "within 0.5 s") == 10


async def test_an_idle_connection_is_closed_without_a_word(server: Address) -> None:
    reader, writer = await connect(server)
    assert await until_closed(reader) == b""
    writer.close()


async def test_headers_past_the_limit_are_refused(server: Address) -> None:
    reader, writer = await connect(server, b"GET /healthz HTTP/1.1\r\nX-Pad: "
                                           + b"a" * 9000)
    assert (await until_closed(reader)).startswith(b"HTTP/1.1 431")
    writer.close()


async def test_a_body_that_stops_coming_is_refused(server: Address) -> None:
    reader, writer = await connect(server, b"POST /slack/events HTTP/1.1\r\nHost: t\r\n"
                                           b"Content-Length: 500\r\n\r\ncommand=%2Ftoggl")
    assert (await until_closed(reader)).startswith(b"HTTP/1.1 408")
    writer.close()


async def test_a_body_trickling_after_the_answer_is_cut_off(server: Address) -> None:
    """/healthz answers without reading the body; the rest must not hold the connection."""
    reader, writer = await connect(server, b"POST /healthz HTTP/1.1\r\nHost: t\r\n"
                                           b"Content-Length: 100000\r\n\r\nx")
    assert (await until_closed(reader)).startswith(b"HTTP/1.1 405")
    writer.close()


async def test_an_oversized_body_is_refused_before_it_is_sent(server: Address) -> None:
    reader, writer = await connect(server, b"POST /slack/events HTTP/1.1\r\nHost: t\r\n"
                                           b"Content-Length: 100000000\r\n\r\n")
    assert (await until_closed(reader)).startswith(b"HTTP/1.1 413")
    writer.close()


PATIENT = WebLimits(header_seconds=3600, body_seconds=3600, max_connections=10)


@pytest.mark.parametrize("server", [PATIENT], indirect=True)
async def test_past_the_connection_cap_the_longest_waiting_are_dropped(
    server: Address,
) -> None:
    """With deadlines far away, only the cap can free a slot: healthz still gets in."""
    first = [await connect(server, HALF_HEADERS) for _ in range(5)]
    later = [await connect(server, HALF_HEADERS) for _ in range(5)]
    newest = [await connect(server, HALF_HEADERS) for _ in range(5)]
    for reader, _ in first:
        assert await until_closed(reader) == b""
    assert (await healthz(server)).startswith(b"HTTP/1.1 200")
    assert await until_closed(later[0][0]) == b""  # made room for healthz
    assert not [reader for reader, _ in later[1:] + newest if reader.at_eof()]
    for _, writer in first + later + newest:
        writer.close()
