"""A core Reply as a Discord embed: same information as Slack's blocks, Discord's look.

Replies may mark commands with `backticks`; everything else may hold text a person typed
(descriptions, project names), so it is escaped for markdown and mentions. Embeds never
ping, and every send also passes ``NO_PINGS`` so nothing can slip through.
"""

from __future__ import annotations

import re

import discord

from bot.replies import Field, Reply, Tone

NO_PINGS = discord.AllowedMentions.none()

# Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-limits).
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
TOTAL_MAX = 6000
INLINE_MAX = 30  # a field this short sits beside others (summary rows), longer ones get a row

COLOURS = {
    Tone.INFO: discord.Colour.blurple(),
    Tone.SUCCESS: discord.Colour.green(),
    Tone.WARNING: discord.Colour.gold(),
    Tone.ERROR: discord.Colour.red(),
}

_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def escape(text: str) -> str:
    """Escape markdown outside our `code spans` (which render literally) and all mentions."""
    parts = _CODE_SPAN.split(text)
    # split() with a group alternates: plain, code, plain, ... (odd indexes are code spans).
    escaped = (p if i % 2 else discord.utils.escape_markdown(p) for i, p in enumerate(parts))
    return discord.utils.escape_mentions("".join(escaped))


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def embed(reply: Reply, author: str = "") -> discord.Embed:
    """The embed for ``reply``; ``author`` names who shared a public post."""
    lines = [escape(line) for line in reply.lines]
    fields = list(reply.fields)
    if len(fields) > FIELDS_MAX:
        lines.append(f"…and {len(fields) - FIELDS_MAX + 1} more.")
        fields = fields[: FIELDS_MAX - 1]
    if reply.usage:
        lines.append(f"Usage: `{reply.usage.replace('`', '')}`")
    card = discord.Embed(
        title=cut(escape(reply.title), TITLE_MAX),
        description=cut("\n".join(lines), DESCRIPTION_MAX) or None,
        colour=COLOURS[reply.tone],
    )
    for field in fields:
        _add_field(card, field)
    if reply.footer:
        # Footers render as plain text: mentions are neutralised, markdown is not shown.
        card.set_footer(text=cut(discord.utils.escape_mentions(reply.footer), FOOTER_MAX))
    if author:
        card.set_author(name=cut(author, AUTHOR_MAX))
    return _within_total(card)


def _add_field(card: discord.Embed, field: Field) -> None:
    name = cut(escape(field.label), FIELD_NAME_MAX) or "\u200b"
    value = cut(escape(field.value), FIELD_VALUE_MAX) or "\u200b"
    inline = max(len(field.label), len(field.value)) <= INLINE_MAX
    card.add_field(name=name, value=value, inline=inline)


def _within_total(card: discord.Embed) -> discord.Embed:
    """Discord rejects an embed over 6000 characters in all: drop fields, then trim text."""
    while len(card) > TOTAL_MAX and card.fields:
        card.remove_field(len(card.fields) - 1)
    if len(card) > TOTAL_MAX and card.description:
        excess = len(card) - TOTAL_MAX
        card.description = cut(card.description, max(len(card.description) - excess, 1))
    return card
