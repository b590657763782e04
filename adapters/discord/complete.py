"""Autocomplete for name options, from the core's cache (no Toggl call)."""

from __future__ import annotations

from typing import Any

import discord
from discord.app_commands import Choice

from adapters.discord.bridge import bridge_of

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
