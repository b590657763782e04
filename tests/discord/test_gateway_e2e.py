"""End to end through discord.py's real HTTP and gateway code, against a local Discord.

The stand-in (tests/discord/stand_in) serves Discord's REST API and gateway as Discord's
published API description says; the bot process (``adapters.discord.gateway``) runs the
real core on the Toggl emulator. Commands are registered the way `togglbot discord sync`
does it, and every interaction is built from what was registered.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
from pydantic import SecretStr

from adapters.discord import _sync, gateway
from bot.core import Core
from bot.domain import UserKey
from bot.testing.fake_toggl import FakeToggl
from tests.discord.fakes import ADA
from tests.discord.stand_in import BOT_TOKEN, DiscordStandIn, Message


@pytest.fixture
async def discord_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordStandIn]:
    """The stand-in, with discord.py's REST base pointed at it and /toggl registered."""
    stand_in = DiscordStandIn()
    await stand_in.start()
    monkeypatch.setattr(discord.http.Route, "BASE", stand_in.api)
    try:
        assert await _sync(SecretStr(BOT_TOKEN), None) == 0  # `togglbot discord sync`
        yield stand_in
    finally:
        await stand_in.close()
    assert not stand_in.faults, stand_in.faults


@pytest.fixture
async def bot(core: Core, discord_api: DiscordStandIn) -> AsyncIterator[asyncio.Task[int]]:
    """The `discord` process's client, connected; stopped (as `togglbot run` does) after."""
    running = asyncio.create_task(gateway(core, SecretStr(BOT_TOKEN)))
    await discord_api.connected()
    yield running
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    assert discord_api.refusals == []


def text(message: Message) -> str:
    embeds = message.body.get("embeds") or []
    parts = [message.body.get("content") or ""]
    for embed in embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
        parts += [(embed.get("footer") or {}).get("text") or ""]
    return "\n".join(parts)


def labels(message: Message) -> list[str]:
    return [c.get("label") or "" for row in message.body.get("components") or []
            for c in row["components"]]


async def test_not_connected_answers_privately(
    bot: asyncio.Task[int], discord_api: DiscordStandIn
) -> None:
    done = await discord_api.slash("toggl current", user_id=ADA)
    assert done.last.ephemeral
    assert "not connected" in text(done.last).lower(), text(done.last)
