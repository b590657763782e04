"""`/toggl digest at|join|leave|show|off`: the channel's daily digest."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

from adapters.discord.bridge import bridge_of
from adapters.discord.naming import GROUPS, describe, leaf
from adapters.discord.options import DigestDays, digest_at_command, timezone_choices
from bot import commands as c

Interaction = discord.Interaction[Any]


class DigestGroup(app_commands.Group, name="digest", description=GROUPS["digest"]):
    @app_commands.command(name=leaf("digest at"), description=describe("digest at"))
    @app_commands.rename(at="time", days="schedule")
    @app_commands.describe(
        at="24-hour HH:MM, e.g. 18:00",
        timezone="An IANA time zone such as Europe/Berlin (default: your Toggl time zone)",
        days="Every day (default), or weekdays only",
    )
    async def digest_at(
        self,
        interaction: Interaction,
        at: Range[str, 1, 10],
        timezone: Range[str, 1, 64] | None = None,
        days: DigestDays | None = None,
    ) -> None:
        await bridge_of(interaction).command(
            interaction, "digest at", lambda: digest_at_command(at, timezone, days)
        )

    @digest_at.autocomplete("timezone")
    async def _zone_names(self, interaction: Interaction, typed: str) -> list[Choice[str]]:
        return timezone_choices(typed)  # from the tz database: no core, no Toggl

    @app_commands.command(name=leaf("digest join"), description=describe("digest join"))
    async def digest_join(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest join", c.DigestJoin)

    @app_commands.command(name=leaf("digest leave"), description=describe("digest leave"))
    async def digest_leave(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest leave", c.DigestLeave)

    @app_commands.command(name=leaf("digest show"), description=describe("digest show"))
    async def digest_show(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest show", c.DigestShow)

    @app_commands.command(name=leaf("digest off"), description=describe("digest off"))
    async def digest_off(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest off", c.DigestOff)
