"""Autocomplete for name options, from the core's cache (no Toggl call)."""

from __future__ import annotations

from typing import Any

import discord
from discord.app_commands import Choice

from adapters.discord.bridge import bridge_of
from bot.grammar import SPECS

MAX_CHOICES = 25  # Discord's limit for autocomplete answers and fixed choices alike

Interaction = discord.Interaction[Any]


async def project_names(interaction: Interaction, typed: str) -> list[Choice[str]]:
    return await bridge_of(interaction).suggest(interaction, "project", typed)


async def client_names(interaction: Interaction, typed: str) -> list[Choice[str]]:
    return await bridge_of(interaction).suggest(interaction, "client", typed)


async def tag_names(interaction: Interaction, typed: str) -> list[Choice[str]]:
    """Complete the last tag of a comma-separated list, keeping the ones before it."""
    done, comma, last = typed.rpartition(",")
    before = f"{done}, " if comma else ""
    return await bridge_of(interaction).suggest(interaction, "tag", last.strip(), before)


async def command_names(interaction: Interaction, typed: str) -> list[Choice[str]]:
    """Commands for `/toggl help`: Discord allows 25 choices, the grammar has more."""
    wanted = typed.casefold().strip()
    names = [s.name for s in SPECS if wanted in s.name]
    names.sort(key=lambda name: (not name.startswith(wanted), name))
    return [Choice(name=name, value=name) for name in names[:MAX_CHOICES]]
