"""`/toggl entries|edit|delete|tag`: time entries by the short ids `entries` shows.

Free functions, made afresh for each `/toggl` group (``TogglGroup`` adds them).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range

from adapters.discord.bridge import bridge_of
from adapters.discord.complete import project_names, tag_names
from adapters.discord.entry_options import delete_command, edit_command, tag_command
from adapters.discord.naming import describe, subcommand_name
from adapters.discord.options import NamedPeriod, period_option
from bot import commands as c
from bot.grammar import MAX_DESCRIPTION, spec

Interaction = discord.Interaction[Any]
Command = app_commands.Command[Any, ..., None]
Ref = Range[str, 1, 20]
Day = Range[str, 1, 10]
Clock = Range[str, 1, 10]
Tags = Range[str, 1, 500]
ENTRY = "last, or an id from /toggl entries"
PERIODS = {"period": "A named period (default: today)",
           "first": "First day, YYYY-MM-DD (instead of a period)",
           "last": "Last day, YYYY-MM-DD (default: the first day)"}


def entry_commands() -> list[Command]:
    @app_commands.command(name=subcommand_name("entries"), description=describe("entries"))
    @app_commands.rename(first="from", last="to")
    @app_commands.describe(**PERIODS)
    async def entries(
        interaction: Interaction, period: NamedPeriod | None = None, first: Day | None = None,
        last: Day | None = None,
    ) -> None:
        await bridge_of(interaction).command(interaction, "entries", lambda: c.ListEntries(
            period_option(period, first, last, spec("entries").usage)
        ))

    @app_commands.command(name=subcommand_name("edit"), description=describe("edit"))
    @app_commands.rename(ref="entry", no_project="no-project", add_tags="add-tags",
                         remove_tags="remove-tags")
    @app_commands.describe(
        ref=ENTRY, description="A new description", project="A new project (or its start)",
        no_project="Remove the project", add_tags="Tags to add, separated by commas",
        remove_tags="Tags to remove, separated by commas",
        start="New start time, HH:MM in your Toggl time zone", stop="New stop time, HH:MM",
        billable="Billable or not",
    )
    async def edit(
        interaction: Interaction, ref: Ref,
        description: Range[str, 1, MAX_DESCRIPTION] | None = None,
        project: Range[str, 1, 200] | None = None, no_project: bool = False,
        add_tags: Tags | None = None, remove_tags: Tags | None = None,
        start: Clock | None = None, stop: Clock | None = None, billable: bool | None = None,
    ) -> None:
        await bridge_of(interaction).command(interaction, "edit", lambda: edit_command(
            ref, description, project, no_project, add_tags, remove_tags, start, stop, billable
        ))

    @app_commands.command(name=subcommand_name("delete"), description=describe("delete"))
    @app_commands.rename(ref="entry")
    @app_commands.describe(ref=ENTRY + " (you confirm with a button)")
    async def delete(interaction: Interaction, ref: Ref) -> None:
        await bridge_of(interaction).command(interaction, "delete", lambda: delete_command(ref))

    @app_commands.command(name=subcommand_name("tag"), description=describe("tag"))
    @app_commands.rename(ids="entries", first="from", last="to", add_tags="add-tags",
                         remove_tags="remove-tags")
    @app_commands.describe(
        ids="Ids from /toggl entries, separated by spaces (instead of a period)",
        add_tags="Tags to add, separated by commas",
        remove_tags="Tags to remove, separated by commas", **PERIODS,
    )
    async def tag(
        interaction: Interaction, add_tags: Tags | None = None, remove_tags: Tags | None = None,
        ids: Range[str, 1, 4000] | None = None, period: NamedPeriod | None = None,
        first: Day | None = None, last: Day | None = None,
    ) -> None:
        await bridge_of(interaction).command(interaction, "tag", lambda: tag_command(
            ids, period, first, last, add_tags, remove_tags
        ))

    edit.autocomplete("project")(project_names)
    for command, option in ((edit, "add_tags"), (edit, "remove_tags"), (tag, "add_tags"),
                            (tag, "remove_tags")):
        command.autocomplete(option)(tag_names)
    return [entries, edit, delete, tag]
