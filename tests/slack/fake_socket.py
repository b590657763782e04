"""Slack's Socket Mode end: a WebSocket that says hello, sends envelopes, records acks.

Served by aiohttp in the test's own event loop (uvicorn here has no WebSocket library).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import WSMsgType, web


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.url = ""

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A1"}})

        async def pump() -> None:
            while True:
                await ws.send_json(await self.outbox.get())

        sender = asyncio.create_task(pump())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(message.data))
        finally:
            sender.cancel()
        return ws

    async def wait_for_ack(self, envelope_id: str, within: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for ack in self.acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            await asyncio.sleep(0.01)
        raise AssertionError(f"no ack for {envelope_id}; acks: {self.acks}")

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[FakeSocketMode]:
        app = web.Application()
        app.router.add_get("/link", self._link)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        self.url = f"ws://127.0.0.1:{port}/link"
        try:
            yield self
        finally:
            await runner.cleanup()
