"""Discord adapter (discord.py): `/toggl` app commands, buttons and a token form.

``run`` is the `discord` process; ``sync`` registers the commands with Discord, which is
done on purpose and rarely (Discord rate-limits it), never on every start.
"""

from __future__ import annotations

import asyncio
import sys

import aiohttp
import discord
from pydantic import SecretStr

from bot.config import Settings

NOT_CONFIGURED = (
    "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
    "(Bot → Reset Token) and export DISCORD_TOKEN; see README's Discord section."
)
REJECTED = "Discord rejected DISCORD_TOKEN (reset it in the developer portal's Bot page)."


def run(settings: Settings) -> int:
    """Run the gateway client until stopped; returns the exit code."""
    token = _token(settings)
    if token is None:
        return _fail(NOT_CONFIGURED, 2)
    return asyncio.run(_serve(settings, token))


async def serve(settings: Settings) -> int:
    """The gateway client as a coroutine, for `togglbot run` beside other servers."""
    token = _token(settings)
    if token is None:
        return _fail(NOT_CONFIGURED, 2)
    return await _serve(settings, token)


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


async def _serve(settings: Settings, token: SecretStr) -> int:
    from adapters.discord.bridge import Bridge
    from adapters.discord.client import TogglBot
    from bot.app import open_app

    async with open_app(settings) as app, TogglBot(Bridge(app.core)) as client:
        try:
            await client.start(token.get_secret_value().strip())
        except discord.LoginFailure:
            return _fail(REJECTED, 2)
    return 0


async def _sync(token: SecretStr, guild_id: int | None) -> int:
    from adapters.discord.client import TogglBot

    guild = discord.Object(id=guild_id) if guild_id is not None else None
    async with TogglBot() as client:
        try:
            await client.login(token.get_secret_value().strip())  # HTTP only, no gateway
        except discord.LoginFailure:
            return _fail(REJECTED, 2)
        except (aiohttp.ClientError, discord.HTTPException) as exc:
            return _fail(f"could not reach Discord ({type(exc).__name__}).", 1)
        if guild is not None:
            # Guild commands appear at once (global ones can take a while): for trying out.
            client.tree.copy_global_to(guild=guild)
        synced = await client.tree.sync(guild=guild)
    where = f"server {guild_id}" if guild_id is not None else "all servers and DMs"
    print(f"synced /toggl ({len(synced[0].options) if synced else 0} subcommands) to {where}")
    return 0
