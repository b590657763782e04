"""Discord adapter (discord.py): `/toggl` app commands, buttons and a token form.

``run`` is the `discord` process; ``sync`` registers the commands with Discord, which is
done on purpose and rarely (Discord rate-limits it), never on every start.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

import aiohttp
import discord
from pydantic import SecretStr

from bot.config import Settings

if TYPE_CHECKING:
    from adapters.discord.bridge import Bridge
    from bot.app import App
    from bot.core import Core

log = logging.getLogger(__name__)

NOT_CONFIGURED = (
    "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
    "(Bot → Reset Token) and export DISCORD_TOKEN; see README's Discord section."
)
REJECTED = "Discord rejected DISCORD_TOKEN (reset it in the developer portal's Bot page)."
# Seconds commands in flight get to answer when the process stops (service managers send
# SIGKILL about 10 s after SIGTERM).
STOP_GRACE = 8.0
# What "Discord can't be reached or won't let us in" looks like from discord.py and aiohttp.
UNREACHABLE = (
    aiohttp.ClientError, OSError, TimeoutError, discord.HTTPException, discord.GatewayNotFound,
    discord.ConnectionClosed, discord.PrivilegedIntentsRequired,
)


def run(settings: Settings) -> int:
    """Run the gateway client until SIGTERM/SIGINT; returns the exit code."""
    token = _token(settings)
    if token is None:
        return _fail(NOT_CONFIGURED, 2)

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        return await _serve(settings, token, stop)

    return asyncio.run(main())


async def serve(settings: Settings, stop: asyncio.Event, app: App | None = None) -> int:
    """The gateway client as a coroutine, for `togglbot run` beside other servers."""
    token = _token(settings)
    if token is None:
        return _fail(NOT_CONFIGURED, 2)
    return await _serve(settings, token, stop, app)


def sync(settings: Settings, guild_id: int | None = None) -> int:
    """Register the command tree with Discord, globally or for one guild."""
    token = _token(settings)
    if token is None:
        return _fail(NOT_CONFIGURED, 2)
    return asyncio.run(_sync(token, guild_id))


def _token(settings: Settings) -> SecretStr | None:
    token = settings.DISCORD_TOKEN
    return token if token is not None and token.get_secret_value().strip() else None


def _fail(message: str, code: int) -> int:
    print(f"togglbot discord: {message}", file=sys.stderr)
    return code


async def _serve(
    settings: Settings, token: SecretStr, stop: asyncio.Event, app: App | None = None
) -> int:
    """Until ``stop`` is set, on ``app`` (opened here when None)."""
    from bot.app import open_app

    async with AsyncExitStack() as stack:
        if app is None:
            app = await stack.enter_async_context(open_app(settings))
        return await gateway(app.core, token, stop)


async def gateway(core: Core, token: SecretStr, stop: asyncio.Event | None = None) -> int:
    """The gateway client for ``core`` until ``stop`` is set or the task is cancelled: then
    the commands in flight answer and the gateway closes with code 1000.

    A failure to start is one line on stderr and a non-zero exit, never a traceback.
    """
    from adapters.discord.bridge import Bridge
    from adapters.discord.client import TogglBot

    bridge = Bridge(core)
    stop = stop or asyncio.Event()
    async with TogglBot(bridge) as client:
        running = asyncio.create_task(client.start(token.get_secret_value().strip()))
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            stop.set()  # cancelled (as `togglbot run` may): stop the same way, then re-raise
            await _close(bridge, client, running)
            raise
        finally:
            stopping.cancel()
        if not running.done():
            await _close(bridge, client, running)
        try:
            await running
        except discord.LoginFailure:
            return _fail(REJECTED, 2)
        except (*UNREACHABLE, asyncio.CancelledError) as exc:
            if stop.is_set():
                return 0  # asked to stop while connecting: not a failure
            return _fail(f"could not connect to Discord ({_cause(exc)}).", 1)
    return 0


async def _close(bridge: Bridge, client: discord.Client, running: asyncio.Task[None]) -> None:
    # The answers need the HTTP client: they go first, then the gateway closes (1000).
    if await bridge.in_flight.drain(STOP_GRACE):
        log.warning("stopped with commands still running")
    await client.close()
    await asyncio.gather(running, return_exceptions=True)


def _cause(exc: BaseException) -> str:
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return "the bot asks for an intent not enabled in the developer portal"
    if isinstance(exc, discord.HTTPException):
        return f"HTTP {exc.status}"
    return type(exc).__name__


async def _sync(token: SecretStr, guild_id: int | None) -> int:
    from adapters.discord.client import TogglBot

    guild = discord.Object(id=guild_id) if guild_id is not None else None
    async with TogglBot() as client:
        try:
            await client.login(token.get_secret_value().strip())  # HTTP only, no gateway
        except discord.LoginFailure:
            return _fail(REJECTED, 2)
        except UNREACHABLE as exc:
            return _fail(f"could not reach Discord ({_cause(exc)}).", 1)
        if guild is not None:
            # Guild commands appear at once (global ones can take a while): for trying out.
            client.tree.copy_global_to(guild=guild)
        synced = await client.tree.sync(guild=guild)
    where = f"server {guild_id}" if guild_id is not None else "all servers and DMs"
    print(f"synced /toggl ({len(synced[0].options) if synced else 0} subcommands) to {where}")
    return 0
