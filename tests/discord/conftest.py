"""Fixtures: the real Discord client and bridge around the real core on the fake Toggl."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands
from pydantic import SecretStr

from adapters.discord.bridge import Bridge
from adapters.discord.client import TogglBot
from bot.commands import Login
from bot.core import Core
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from tests.discord.fakes import ADA, FakeInteraction


class Tree:
    """Runs interactions through the client's command tree; failures fail the test."""

    def __init__(self, client: TogglBot) -> None:
        self.client = client
        self.errors: list[app_commands.AppCommandError] = []

        async def record(interaction: object, error: app_commands.AppCommandError) -> None:
            self.errors.append(error)

        client.tree.on_error = record  # type: ignore[method-assign]

    async def __call__(self, interaction: FakeInteraction) -> FakeInteraction:
        await self.client.tree._call(interaction)
        if self.errors:
            raise self.errors[0]
        return interaction


@pytest.fixture
def discord_bot(core: Core) -> TogglBot:
    """Never connects: no gateway, no HTTP session. Only the bot's own user is filled in."""
    client = TogglBot(Bridge(core))
    bot_user = {"id": "1", "username": "togglbot", "discriminator": "0", "avatar": None,
                "bot": True}
    client._connection.user = discord.ClientUser(state=client._connection, data=bot_user)
    return client


@pytest.fixture
def tree(discord_bot: TogglBot) -> Tree:
    return Tree(discord_bot)


@pytest.fixture
async def ada_on_discord(core: Core, toggl_token: str, fake_toggl: TogglEmulator) -> UserKey:
    """Ada connected from Discord; the fake's request log starts empty."""
    key = UserKey("discord", "discord", str(ADA))
    reply = await core.execute(key, Login(SecretStr(toggl_token)))
    assert reply.title.startswith("Connected"), reply.text()
    fake_toggl.reset_log()
    return key
