"""`digest at` on Discord: can the bot post digests in this channel? Is the app here?

Discord sends the bot's permissions in the channel with every interaction
(``app_permissions``), so the check costs no request. It matters because an answer to a
slash command is posted even where the bot itself may not post: the digest is not.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.digest.model import Channel
from bot.digest.ports import Announcement, Refusal
from bot.replies import Reply

# What a digest needs: the embed is its text, the chart an attached file.
NEEDED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
}
IN_THREADS = {**NEEDED, "send_messages_in_threads": "Send Messages in Threads"}
del IN_THREADS["send_messages"]


class DiscordChannelAccess:
    """A ChannelAccess for one interaction, from the permissions Discord sent with it."""

    def __init__(self, permissions: discord.Permissions, in_thread: bool = False) -> None:
        self._permissions = permissions
        self._in_thread = in_thread

    @classmethod
    def of(cls, interaction: discord.Interaction[Any]) -> DiscordChannelAccess:
        thread = isinstance(interaction.channel, discord.Thread)
        return cls(interaction.app_permissions, in_thread=thread)

    async def announce(self, channel: Channel, notice: Reply) -> Announcement:
        needed = IN_THREADS if self._in_thread else NEEDED
        missing = [label for name, label in needed.items()
                   if not getattr(self._permissions, name)]
        if not missing:
            return Announcement()  # the command's public answer is the notice
        return Announcement(refusal=Refusal(
            "Missing Permissions",
            f"togglbot needs {_listed(missing)} here: Edit Channel → Permissions "
            "(or its role in Server Settings).",
        ))


def _listed(names: list[str]) -> str:
    if len(names) == 1:
        return f"the {names[0]} permission"
    return "the " + ", ".join(names[:-1]) + f" and {names[-1]} permissions"


def installed_here(interaction: discord.Interaction[Any]) -> bool:
    """Whether the app is in this place for everyone: a server that added it, or the DM
    with the bot. Not so for a person's own install used in someone's server or a DM."""
    return interaction.is_guild_integration() or interaction.context.dm_channel
