"""The `/toggl` command group: Discord options in, typed core commands out.

Descriptions come from the grammar table (``bot.grammar.SPECS``), the one source of truth
for what each command does; options map one-to-one onto the fields of ``bot.commands``.
Where each command lives is ``naming.subcommand_name``; the `add …` and `digest …` groups
and the client and entry commands are declared in their own modules and added here.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range

from adapters.discord.add_commands import AddGroup
from adapters.discord.bridge import bridge_of
from adapters.discord.client_commands import client_commands
from adapters.discord.complete import client_names, command_names, project_names, tag_names
from adapters.discord.digest_commands import DigestGroup
from adapters.discord.entry_commands import entry_commands
from adapters.discord.naming import describe, subcommand_name
from adapters.discord.options import (
    NamedPeriod,
    help_command,
    login_command,
    split_tags,
    summary_command,
)
from bot import commands as c
from bot.grammar import MAX_DESCRIPTION, clean

__all__ = ["TogglGroup", "describe", "subcommand_name"]

Interaction = discord.Interaction[Any]


class TogglGroup(app_commands.Group, name="toggl", description="Track time in your own Toggl"):
    """`/toggl <command>`: answers are private, except digest changes the channel should see."""

    def __init__(self) -> None:
        super().__init__(
            # In servers and in a DM with the bot (both work with the usual server install).
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True),
        )
        more: list[app_commands.Command[Any, ..., Any] | app_commands.Group] = [
            AddGroup(), DigestGroup(), *client_commands(), *entry_commands()
        ]
        for command in more:
            self.add_command(command)

    @app_commands.command(name="start", description=describe("start"))
    @app_commands.describe(
        description="What you're working on",
        project="Project name (or the start of it)",
        tags="Tags, separated by commas",
        billable="Mark the entry billable",
    )
    async def start(
        self,
        interaction: Interaction,
        description: Range[str, 1, MAX_DESCRIPTION] | None = None,
        project: Range[str, 1, 200] | None = None,
        tags: Range[str, 1, 500] | None = None,
        billable: bool = False,
    ) -> None:
        await bridge_of(interaction).command(interaction, "start", lambda: c.Start(
            description=clean(description or ""),
            project=clean(project or "") or None,
            tags=split_tags(tags),
            billable=billable,
        ))

    start.autocomplete("project")(project_names)
    start.autocomplete("tags")(tag_names)

    @app_commands.command(name="stop", description=describe("stop"))
    async def stop(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "stop", c.Stop)

    @app_commands.command(name="current", description=describe("current"))
    async def current(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "current", c.Current)

    @app_commands.command(name="continue", description=describe("continue"))
    async def continue_(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "continue", c.Continue)

    @app_commands.command(name="summary", description=describe("summary"))
    @app_commands.rename(first="from", last="to")
    @app_commands.describe(
        period="A named period (default: today)",
        first="First day, YYYY-MM-DD (instead of a period)",
        last="Last day, YYYY-MM-DD (default: the first day)",
    )
    async def summary(
        self,
        interaction: Interaction,
        period: NamedPeriod | None = None,
        first: Range[str, 1, 10] | None = None,
        last: Range[str, 1, 10] | None = None,
    ) -> None:
        await bridge_of(interaction).command(
            interaction, "summary", lambda: summary_command(period, first, last)
        )

    @app_commands.command(name="clients", description=describe("clients"))
    @app_commands.rename(name_filter="filter")
    @app_commands.describe(status="Which clients (default: active)", name_filter="Part of a name")
    async def clients(
        self,
        interaction: Interaction,
        status: c.Status = "active",
        name_filter: Range[str, 1, 100] | None = None,
    ) -> None:
        await bridge_of(interaction).command(
            interaction, "clients", lambda: c.ListClients(status, clean(name_filter or ""))
        )

    clients.autocomplete("name_filter")(client_names)

    @app_commands.command(name="projects", description=describe("projects"))
    @app_commands.describe(status="Which projects (default: active)")
    async def projects(self, interaction: Interaction, status: c.Status = "active") -> None:
        await bridge_of(interaction).command(
            interaction, "projects", lambda: c.ListProjects(status)
        )

    @app_commands.command(name="quota", description=describe("quota"))
    async def quota(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "quota", c.QuotaStatus)

    @app_commands.command(name="refresh", description=describe("refresh"))
    async def refresh(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "refresh", c.Refresh)

    @app_commands.command(name="login", description=describe("login"))
    @app_commands.describe(token="Leave empty to paste it into a private form (recommended)")  # noqa: S106
    async def login(
        self, interaction: Interaction, token: Range[str, 1, 200] | None = None
    ) -> None:
        await bridge_of(interaction).command(interaction, "login", lambda: login_command(token))

    @app_commands.command(name="logout", description=describe("logout"))
    async def logout(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "logout", c.Logout)

    @app_commands.command(name="help", description=describe("help"))
    @app_commands.describe(command="One command in detail")
    @app_commands.autocomplete(command=command_names)
    async def help(self, interaction: Interaction, command: str | None = None) -> None:
        await bridge_of(interaction).command(interaction, "help", lambda: help_command(command))
