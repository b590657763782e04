"""The Discord stand-in as pytest fixtures: discord.py's REST base pointed at it, `/toggl`
registered by `togglbot discord sync`'s own code, the `discord` process's client connected,
and every test checked for refusals, deprecated answers and a clean close (code 1000)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
from pydantic import SecretStr

from adapters.discord import _sync, gateway
from bot.core import Core
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
    sessions = discord_api.sessions
    await discord_api.wait_for(lambda: all(s.close_code for s in sessions), "closed the gateway")
    assert sessions[-1].close_code == 1000  # closed cleanly
    deprecated = {(ex.payload["type"], d) for ex in discord_api.exchanges.values()
                  for d in ex.deprecated}
    assert not deprecated, deprecated


def text(message: Message) -> str:
    embeds = message.body.get("embeds") or []
    parts = [message.body.get("content") or ""]
    for embed in embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields") or []]
        parts += [(embed.get("footer") or {}).get("text") or ""]
    return "\n".join(parts).strip()


def labels(message: Message) -> list[str]:
    return [c.get("label") or "" for row in message.body.get("components") or []
            for c in row["components"]]
