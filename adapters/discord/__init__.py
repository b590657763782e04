"""Discord adapter (discord.py): `/toggl` app commands. Not built yet."""

from __future__ import annotations

import sys

from bot.config import Settings


def run(settings: Settings) -> int:
    """Run the gateway client; returns the exit code."""
    print("togglbot discord: the Discord adapter is not built yet.", file=sys.stderr)
    return 1


def sync(settings: Settings, guild_id: int | None = None) -> int:
    """Register the command tree with Discord, globally or for one guild."""
    print("togglbot discord sync: the Discord adapter is not built yet.", file=sys.stderr)
    return 1
