""""Track this message" on Discord: the message context-menu command and its form.

Like Slack's shortcut: the form is prefilled with the message as plain text and the
channel's default project and tags; an empty duration starts the timer now, ``30m`` or
``1h30`` adds an entry that long, ending now. The core reads the values (``Track``).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol, cast

import discord

from adapters.discord.render import embed
from bot.channels import ChannelDefault
from bot.commands import MAX_DESCRIPTION, Track
from bot.replies import Reply, Tone

log = logging.getLogger(__name__)

NAME = "Track this message"
MAX_INPUT = 4000  # Discord's limit for a text input's value
_CUSTOM_EMOJI = re.compile(r"<a?:([A-Za-z0-9_]+):[0-9]+>")
_TIMESTAMP = re.compile(r"<t:[0-9]+(?::[tTdDfFR])?>")
_EMOJI_CODE = re.compile(r":[a-z0-9_+-]+:", re.IGNORECASE)


class Tracker(Protocol):
    """What the form hands back to the adapter (the bridge implements it)."""

    async def submit_track(self, interaction: discord.Interaction[Any], track: Track) -> None:
        ...


def plain_text(message: discord.Message) -> str:
    """The message as a description: mentions as names (discord.py's ``clean_content``),
    no custom emoji, timestamps or markdown, trimmed."""
    text = _CUSTOM_EMOJI.sub("", message.clean_content)
    text = _TIMESTAMP.sub("", text)
    text = _EMOJI_CODE.sub("", discord.utils.remove_markdown(text))
    return " ".join(text.split())[:MAX_DESCRIPTION]


def _field(label: str, value: str, *, hint: str, max_length: int, required: bool = False,
           long: bool = False) -> discord.ui.Label[TrackModal]:
    return discord.ui.Label(
        text=label, description=hint,
        component=discord.ui.TextInput(
            default=value[:max_length] or None, required=required, max_length=max_length,
            style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        ),
    )


class TrackModal(discord.ui.Modal, title=NAME):
    """Description, project, tags and how long (empty: start now)."""

    def __init__(self, text: str, default: ChannelDefault | None) -> None:
        super().__init__(timeout=600)
        self.description = _field("Description", text, hint="What you worked on",
                                  max_length=MAX_DESCRIPTION, long=True)
        self.project = _field("Project", default.project if default else "",
                              hint="Its name or the start of it", max_length=255)
        self.tags = _field("Tags", ", ".join(default.tags) if default else "",
                           hint="Separated by commas", max_length=500)
        self.duration = _field("How long", "", hint="Empty: start a timer now. 30m, 1h30: "
                               "add an entry that long, ending now", max_length=20)
        for item in (self.description, self.project, self.tags, self.duration):
            self.add_item(item)

    def track(self) -> Track:
        def value(label: discord.ui.Label[TrackModal]) -> str:
            return cast(discord.ui.TextInput[TrackModal], label.component).value.strip()

        tags = tuple(t.strip().lstrip("#") for t in value(self.tags).split(",") if t.strip())
        return Track(value(self.description), value(self.project), tags, value(self.duration))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        tracker = cast(Tracker, getattr(interaction.client, "bridge", None))
        await tracker.submit_track(interaction, self.track())

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        log.error("track form failed: %s", type(error).__name__)  # never the input
        if not interaction.response.is_done():
            oops = Reply(title="Something went wrong on our side. Try again in a moment.",
                         tone=Tone.ERROR)
            await interaction.response.send_message(embed=embed(oops), ephemeral=True)
