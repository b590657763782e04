"""`/toggl add entry|client|project|tag`: the grammar's `add …` commands."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range

from adapters.discord.bridge import bridge_of
from adapters.discord.complete import client_names, project_names, tag_names
from adapters.discord.entry_options import add_entry_command
from adapters.discord.naming import GROUPS, describe, leaf
from adapters.discord.options import add_client_command, named
from bot import commands as c
from bot.catalog_grammar import MAX_CLIENT_NAME, MAX_PROJECT_NAME, MAX_TAG_NAME
from bot.grammar import MAX_DESCRIPTION, clean

Interaction = discord.Interaction[Any]


class AddGroup(app_commands.Group, name="add", description=GROUPS["add"]):
    @app_commands.command(name=leaf("add"), description=describe("add"))
    @app_commands.describe(
        description="What you worked on",
        start="Start time, 24-hour HH:MM in your Toggl time zone",
        stop="Stop time, HH:MM",
        day="today (default), yesterday or YYYY-MM-DD",
        project="Project name (or the start of it)",
        tags="Tags, separated by commas",
        billable="Mark the entry billable",
    )
    async def entry(
        self,
        interaction: Interaction,
        description: Range[str, 1, MAX_DESCRIPTION],
        start: Range[str, 1, 10],
        stop: Range[str, 1, 10],
        day: Range[str, 1, 10] | None = None,
        project: Range[str, 1, 200] | None = None,
        tags: Range[str, 1, 500] | None = None,
        billable: bool = False,
    ) -> None:
        await bridge_of(interaction).command(interaction, "add", lambda: add_entry_command(
            description, start, stop, day, project, tags, billable
        ))

    entry.autocomplete("project")(project_names)
    entry.autocomplete("tags")(tag_names)

    @app_commands.command(name=leaf("add client"), description=describe("add client"))
    @app_commands.describe(name="The new client's name")
    async def client(
        self, interaction: Interaction, name: Range[str, 1, MAX_CLIENT_NAME]
    ) -> None:
        await bridge_of(interaction).command(
            interaction, "add client", lambda: add_client_command(name)
        )

    @app_commands.command(name=leaf("add project"), description=describe("add project"))
    @app_commands.describe(name="The new project's name", client="Its client (optional)")
    async def project(
        self,
        interaction: Interaction,
        name: Range[str, 1, MAX_PROJECT_NAME],
        client: Range[str, 1, MAX_CLIENT_NAME] | None = None,
    ) -> None:
        await bridge_of(interaction).command(interaction, "add project", lambda: c.AddProject(
            named(name, "add project", "project"), clean(client or "") or None
        ))

    project.autocomplete("client")(client_names)

    @app_commands.command(name=leaf("add tag"), description=describe("add tag"))
    @app_commands.describe(name="The new tag's name")
    async def tag(self, interaction: Interaction, name: Range[str, 1, MAX_TAG_NAME]) -> None:
        await bridge_of(interaction).command(interaction, "add tag", lambda: c.AddTag(
            named(clean(name).removeprefix("#"), "add tag", "tag")
        ))
