"""The `/toggl` command group: Discord options in, typed core commands out.

Descriptions come from the grammar table (``bot.grammar.SPECS``), the one source of truth
for what each command does; options map one-to-one onto the fields of ``bot.commands``.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

from adapters.discord.bridge import bridge_of
from adapters.discord.options import (
    DigestDays,
    NamedPeriod,
    add_client_command,
    digest_at_command,
    login_command,
    split_tags,
    summary_command,
    timezone_choices,
)
from adapters.discord.render import cut
from bot import commands as c
from bot.grammar import MAX_CLIENT_NAME, MAX_DESCRIPTION, SPECS, clean, spec

Interaction = discord.Interaction[Any]
DESCRIPTION_MAX = 100  # Discord's limit for command and option descriptions


def describe(name: str) -> str:
    """A subcommand's description: the first sentence of its summary in the grammar table."""
    summary = spec(name).summary.replace("`", "")
    return cut(summary.split(". ")[0].rstrip(".") + ".", DESCRIPTION_MAX)


def subcommand_name(spec_name: str) -> str:
    """Discord subcommand names can't hold spaces: `add client` is `add-client`."""
    return spec_name.replace(" ", "-")


class TogglGroup(app_commands.Group, name="toggl", description="Track time in your own Toggl"):
    """`/toggl <command>`: answers are private, except digest changes the channel should see."""

    def __init__(self) -> None:
        super().__init__(
            # In servers and in a DM with the bot (both work with the usual server install).
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True),
        )

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

    @start.autocomplete("project")
    async def _project_names(self, interaction: Interaction, typed: str) -> list[Choice[str]]:
        return await bridge_of(interaction).suggest(interaction, "project", typed)

    @start.autocomplete("tags")
    async def _tag_names(self, interaction: Interaction, typed: str) -> list[Choice[str]]:
        # Complete the last tag of the comma-separated list, keeping the ones before it.
        done, comma, last = typed.rpartition(",")
        before = f"{done}, " if comma else ""
        return await bridge_of(interaction).suggest(interaction, "tag", last.strip(), before)

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

    @clients.autocomplete("name_filter")
    async def _client_names(self, interaction: Interaction, typed: str) -> list[Choice[str]]:
        return await bridge_of(interaction).suggest(interaction, "client", typed)

    @app_commands.command(name="projects", description=describe("projects"))
    @app_commands.describe(status="Which projects (default: active)")
    async def projects(self, interaction: Interaction, status: c.Status = "active") -> None:
        await bridge_of(interaction).command(
            interaction, "projects", lambda: c.ListProjects(status)
        )

    @app_commands.command(name=subcommand_name("add client"), description=describe("add client"))
    @app_commands.describe(name="The new client's name")
    async def add_client(
        self, interaction: Interaction, name: Range[str, 1, MAX_CLIENT_NAME]
    ) -> None:
        await bridge_of(interaction).command(
            interaction, "add client", lambda: add_client_command(name)
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

    @app_commands.command(name=subcommand_name("digest at"), description=describe("digest at"))
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

    @app_commands.command(name=subcommand_name("digest join"), description=describe("digest join"))
    async def digest_join(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest join", c.DigestJoin)

    @app_commands.command(
        name=subcommand_name("digest leave"), description=describe("digest leave")
    )
    async def digest_leave(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest leave", c.DigestLeave)

    @app_commands.command(name=subcommand_name("digest show"), description=describe("digest show"))
    async def digest_show(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest show", c.DigestShow)

    @app_commands.command(name=subcommand_name("digest off"), description=describe("digest off"))
    async def digest_off(self, interaction: Interaction) -> None:
        await bridge_of(interaction).command(interaction, "digest off", c.DigestOff)

    @app_commands.command(name="help", description=describe("help"))
    @app_commands.describe(command="One command in detail")
    @app_commands.choices(command=[Choice(name=s.name, value=s.name) for s in SPECS])
    async def help(self, interaction: Interaction, command: Choice[str] | None = None) -> None:
        topic = command.value if command is not None else ""
        await bridge_of(interaction).command(interaction, "help", lambda: c.Help(topic))
