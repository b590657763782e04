"""The gateway client: the `/toggl` tree, persistent buttons and error reporting."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord.bridge import Bridge
from adapters.discord.commands import contexts, installs, toggl_group, track_menu
from adapters.discord.render import NO_PINGS, embed
from adapters.discord.views import ActionButton
from bot.replies import error

log = logging.getLogger(__name__)

OOPS = error("Something went wrong on our side. Try again in a moment.")


def intents() -> discord.Intents:
    """Slash commands, buttons and forms arrive whatever the intents. Only GUILDS: the
    servers the bot is in (discord.py's cache of them); no messages, typing, reactions,
    voice or polls, which the bot never reads."""
    return discord.Intents(guilds=True)


def _quiet_gateway_log() -> None:
    """At DEBUG, discord.py logs each gateway event whole, including what a person types
    into the token form (or a command option): that logger never goes below INFO."""
    gateway_log = logging.getLogger("discord.gateway")
    gateway_log.setLevel(max(logging.INFO, gateway_log.getEffectiveLevel()))


class TogglTree(app_commands.CommandTree["TogglBot"]):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        # The type and command only: an exception's text could quote what was typed.
        name = interaction.command.qualified_name if interaction.command else "?"
        log.error("/%s failed: %s", name, type(getattr(error, "original", error)).__name__)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(
                    embed=embed(OOPS), ephemeral=True, allowed_mentions=NO_PINGS
                )
            else:
                await interaction.response.send_message(
                    embed=embed(OOPS), ephemeral=True, allowed_mentions=NO_PINGS
                )
        except discord.HTTPException:
            log.warning("could not tell the user about the failure (interaction expired)")


class TogglBot(discord.AutoShardedClient):
    """Carries the bridge to the core; ``bridge`` is None when only syncing commands."""

    def __init__(self, bridge: Bridge | None = None) -> None:
        _quiet_gateway_log()
        super().__init__(intents=intents(), allowed_mentions=NO_PINGS)
        self.bridge = bridge
        self.tree = TogglTree(self)
        self.tree.add_command(toggl_group())
        self.tree.add_command(track_menu(contexts(), installs()))

    async def setup_hook(self) -> None:
        # Buttons from before a restart still work: their custom_id says what to run for whom.
        self.add_dynamic_items(ActionButton)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d server(s)", self.user, len(self.guilds))
