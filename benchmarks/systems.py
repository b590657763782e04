"""The operations every system performs, and togglbot as one of those systems.

A system is a synchronous object bound to one Toggl token: ``run(op, n)`` performs one
operation (``n`` makes names unique, e.g. for ``add client``) and returns True when it
succeeded. It raises ``Unsupported`` when it cannot do the operation at all; any other
exception counts as a failed operation.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Protocol

import httpx
from pydantic import SecretStr

from adapters.console.repl import ConsoleBot
from bot.app import build_core
from bot.config import Settings
from bot.core import Core
from bot.crypto import TokenCipher
from bot.replies import Reply, Tone

OPS: tuple[str, ...] = (
    "login",
    "start",
    "current",
    "stop",
    "continue",
    "add client",
    "summary today",
    "summary week",
    "list clients",
)

# What a person types into togglbot for each operation (login goes the private way).
COMMANDS: dict[str, str] = {
    "start": "start Benchmark task",
    "current": "current",
    "stop": "stop",
    "continue": "continue",
    "add client": "add client Bench client {n}",
    "summary today": "summary today",
    "summary week": "summary week",
    "list clients": "clients",
}
FAILED_TONES = frozenset({Tone.ERROR, Tone.WARNING})


class Unsupported(Exception):
    """The system has no way to do this operation; the message says why."""


class PeerUnavailable(Exception):
    """A peer library cannot be used at all (e.g. not installed); the message says why."""


class System(Protocol):
    name: str
    how: str

    def run(self, op: str, n: int) -> bool: ...

    def close(self) -> None: ...


@asynccontextmanager
async def togglbot_core(
    database_url: str,
    api_url: str,
    *,
    http: httpx.AsyncClient | None = None,
) -> AsyncIterator[Core]:
    """togglbot's Core as the app builds it (``build_core``), aimed at ``api_url``.

    The only changes: no per-token pacing of Toggl requests (the emulator has no
    per-second limit, and a paced sleep would be measured as if it were work), and no
    runaway guard (one driver fires hundreds of commands a second for one person: exactly
    what the guard stops, so it would answer "slow down" instead of doing the work).
    """
    settings = Settings(
        DATABASE_URL=database_url,
        TOKEN_ENCRYPTION_KEY=SecretStr(TokenCipher.generate_key()),
        TOGGL_API_URL=api_url,
    )
    async with build_core(settings, toggl_http=http, toggl_pace=None, one_person=True) as core:
        yield core


def succeeded(reply: Reply) -> bool:
    return reply.tone not in FAILED_TONES


async def send(bot: ConsoleBot, op: str, token: str, n: int = 0) -> Reply:
    """One operation through the console adapter, as a person would type it."""
    if op == "login":
        return await bot.login(token)
    return await bot.send(COMMANDS[op].format(n=n))


class TogglbotSystem:
    """togglbot's core behind the console adapter, driven from synchronous code."""

    name = "togglbot"

    def __init__(
        self, base_url: str, token: str, database_url: str
    ) -> None:
        api_url = f"{base_url}/api/v9"
        self.how = f"its own setting TOGGL_API_URL={api_url}"
        self.token = token
        self.last_reply: Reply | None = None
        self._runner = asyncio.Runner()
        self._stack = AsyncExitStack()
        core = self._runner.run(
            self._stack.enter_async_context(togglbot_core(database_url, api_url))
        )
        self.bot = ConsoleBot(core, user_id=f"bench-{token}")

    def run(self, op: str, n: int) -> bool:
        self.last_reply = self._runner.run(send(self.bot, op, self.token, n))
        return succeeded(self.last_reply)

    def close(self) -> None:
        try:
            self._runner.run(self._stack.aclose())
        finally:
            self._runner.close()
