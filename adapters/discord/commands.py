"""The `/toggl` app commands, generated from the declarations in ``bot.commands``.

Every declaration becomes a subcommand where ``bot.dialects.syntax.discord_path`` puts it
(the `add …` and `digest …` families are groups, to stay under Discord's 25 per level);
every parameter's options become typed Discord options with their descriptions, choices
and autocomplete. The callback only collects the option values: the bridge hands them to
the core, which builds the command through the same validators as typed text.
"""

from __future__ import annotations

import inspect
import keyword
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

from adapters.discord.bridge import bridge_of
from adapters.discord.render import cut
from adapters.discord.track import NAME as TRACK_NAME
from bot.commands import DECLARATIONS
from bot.dialects.syntax import GROUPS, discord_options, discord_path
from bot.grammar.clock import zone_suggestions
from bot.grammar.declare import Declaration
from bot.grammar.params import Option
from bot.grammar.phrases import when_suggestions

Interaction = discord.Interaction[Any]
Complete = Any  # an autocomplete callback
DESCRIPTION_MAX = 100  # Discord's limit for command and option descriptions
CHOICES_MAX = 25  # ... for choices and autocomplete answers


def contexts() -> app_commands.AppCommandContext:
    """Servers, the DM with the bot, and (installed to one's account) any DM or group DM."""
    return app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)


def installs() -> app_commands.AppInstallationType:
    """Installable to a server, and to a person's own account (then usable everywhere)."""
    return app_commands.AppInstallationType(guild=True, user=True)


def toggl_group() -> app_commands.Group:
    """`/toggl` with every declared command: answers are private unless a command says."""
    root = app_commands.Group(
        name="toggl",
        description="Track time in your own Toggl",
        allowed_contexts=contexts(),
        allowed_installs=installs(),
    )
    groups: dict[str, app_commands.Group] = {}
    for decl in DECLARATIONS:
        *group, leaf = discord_path(decl).split(" ")
        parent = root
        if group:
            if group[0] not in groups:
                # A group made with a parent joins it by itself.
                groups[group[0]] = app_commands.Group(
                    name=group[0], description=GROUPS[group[0]], parent=root
                )
            parent = groups[group[0]]
        parent.add_command(subcommand(decl, leaf))
    return root


def describe(decl: Declaration) -> str:
    """The first sentence of the summary; one too long ends at its last comma that fits."""
    sentence = decl.summary.replace("`", "").split(". ")[0].rstrip(".")
    if len(sentence) >= DESCRIPTION_MAX:
        head, comma, _ = sentence[: DESCRIPTION_MAX - 1].rpartition(", ")
        sentence = head if comma else sentence
    return cut(sentence + ".", DESCRIPTION_MAX)


def subcommand(decl: Declaration, leaf: str) -> app_commands.Command[Any, ..., None]:
    """One declaration as a Discord subcommand whose options are its parameters'."""
    options = discord_options(decl)
    names = {_python_name(o.name): o.name for o in options}

    async def callback(interaction: Interaction, **values: Any) -> None:
        given = {names[k]: v for k, v in values.items() if v is not None}
        await bridge_of(interaction).command(interaction, decl, given)

    callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                           annotation=discord.Interaction)]
        + [_parameter(o) for o in options]
    )
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=leaf, description=describe(decl), callback=callback
    )
    app_commands.describe(**{_python_name(o.name): cut(o.help, DESCRIPTION_MAX)
                             for o in options})(command)
    renamed = {_python_name(o.name): o.name for o in options if _python_name(o.name) != o.name}
    if renamed:
        app_commands.rename(**renamed)(command)
    chosen = {_python_name(o.name): [Choice(name=c, value=c) for c in o.choices]
              for o in options if o.choices}
    if chosen:
        app_commands.choices(**chosen)(command)
    for option in options:
        if option.complete:
            command.autocomplete(_python_name(option.name))(_COMPLETERS[option.complete])
    return command


def _python_name(option: str) -> str:
    name = option.replace("-", "_")
    return f"{name}_" if keyword.iskeyword(name) else name


def _parameter(option: Option) -> inspect.Parameter:
    annotation: Any = bool if option.type == "bool" else Range[str, 1, option.max_length]
    return inspect.Parameter(
        _python_name(option.name), inspect.Parameter.KEYWORD_ONLY,
        annotation=annotation if option.required else annotation | None,
        default=inspect.Parameter.empty if option.required else None,
    )


async def _projects(interaction: Interaction, typed: str) -> list[Choice[str]]:
    return await bridge_of(interaction).suggest(interaction, "project", typed)


async def _clients(interaction: Interaction, typed: str) -> list[Choice[str]]:
    return await bridge_of(interaction).suggest(interaction, "client", typed)


async def _tags(interaction: Interaction, typed: str) -> list[Choice[str]]:
    """Complete the last tag of a comma-separated list, keeping the ones before it."""
    done, comma, last = typed.rpartition(",")
    before = f"{done}, " if comma else ""
    return await bridge_of(interaction).suggest(interaction, "tag", last.strip(), before)


async def _zones(interaction: Interaction, typed: str) -> list[Choice[str]]:
    return [Choice(name=z, value=z) for z in zone_suggestions(typed, CHOICES_MAX)]


async def _commands(interaction: Interaction, typed: str) -> list[Choice[str]]:
    """Commands for `/toggl help`, by their Discord path: 25 at most, the best first."""
    wanted = typed.casefold().strip()
    names = [d.name for d in DECLARATIONS if wanted in d.name or wanted in discord_path(d)]
    names.sort(key=lambda name: (not name.startswith(wanted), name))
    return [Choice(name=name, value=name) for name in names[:CHOICES_MAX]]


async def _moments(interaction: Interaction, typed: str) -> list[Choice[str]]:
    """`15m ago`, `at 09:30`…: what the `when` option reads (``bot.grammar.phrases``)."""
    return [Choice(name=p, value=p) for p in when_suggestions(typed, CHOICES_MAX)]


_COMPLETERS: dict[str, Complete] = {
    "project": _projects, "client": _clients, "tag": _tags, "zone": _zones,
    "command": _commands, "when": _moments,
}


def track_menu(
    contexts: app_commands.AppCommandContext, installs: app_commands.AppInstallationType
) -> app_commands.ContextMenu:
    """The message command (type 3) everyone sees under Apps on a message."""

    async def callback(interaction: discord.Interaction[Any], message: discord.Message) -> None:
        await bridge_of(interaction).track_message(interaction, message)

    return app_commands.ContextMenu(name=TRACK_NAME, callback=callback, allowed_contexts=contexts,
                                    allowed_installs=installs)
