"""`/toggl rename-client|archive-client|restore-client|delete-client|tags`.

Free functions, made afresh for each `/toggl` group (``TogglGroup`` adds them), so the
group's own module stays small.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range

from adapters.discord.bridge import bridge_of
from adapters.discord.complete import client_names
from adapters.discord.naming import describe, subcommand_name
from adapters.discord.options import named
from bot import commands as c
from bot.catalog_grammar import MAX_CLIENT_NAME

Interaction = discord.Interaction[Any]
Command = app_commands.Command[Any, ..., None]
ClientName = Range[str, 1, MAX_CLIENT_NAME]


def client_commands() -> list[Command]:
    @app_commands.command(name=subcommand_name("rename client"),
                          description=describe("rename client"))
    @app_commands.describe(name="The client's name now", new_name="Its new name")
    @app_commands.rename(new_name="new-name")
    async def rename_client(interaction: Interaction, name: ClientName, new_name: ClientName
                            ) -> None:
        await bridge_of(interaction).command(interaction, "rename client", lambda: c.RenameClient(
            named(name, "rename client"), named(new_name, "rename client")
        ))

    @app_commands.command(name=subcommand_name("archive client"),
                          description=describe("archive client"))
    @app_commands.describe(name="The client to archive, with its projects")
    async def archive_client(interaction: Interaction, name: ClientName) -> None:
        await bridge_of(interaction).command(
            interaction, "archive client", lambda: c.ArchiveClient(named(name, "archive client"))
        )

    @app_commands.command(name=subcommand_name("restore client"),
                          description=describe("restore client"))
    @app_commands.describe(name="The archived client",
                           with_projects="Restore its projects too (default: no)")
    @app_commands.rename(with_projects="with-projects")
    async def restore_client(
        interaction: Interaction, name: ClientName, with_projects: bool = False
    ) -> None:
        await bridge_of(interaction).command(interaction, "restore client", lambda: (
            c.RestoreClient(named(name, "restore client"), with_projects=with_projects)
        ))

    @app_commands.command(name=subcommand_name("delete client"),
                          description=describe("delete client"))
    @app_commands.describe(name="The client to delete (you confirm with a button)")
    async def delete_client(interaction: Interaction, name: ClientName) -> None:
        # Never a `confirm` here: only the core's button carries one.
        await bridge_of(interaction).command(
            interaction, "delete client", lambda: c.DeleteClient(named(name, "delete client"))
        )

    @app_commands.command(name=subcommand_name("tags"), description=describe("tags"))
    async def tags(interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "tags", c.ListTags)

    named_by_client: list[Command] = [rename_client, archive_client, restore_client, delete_client]
    for command in named_by_client:
        command.autocomplete("name")(client_names)
    return [*named_by_client, tags]
