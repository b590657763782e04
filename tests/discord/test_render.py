"""Replies as embeds: escaped, never pinging, within Discord's limits, coloured by tone."""

from __future__ import annotations

import discord
import pytest

from adapters.discord import render
from adapters.discord.client import TogglBot
from bot.domain import UserKey
from bot.replies import Field, Reply, Tone
from tests.discord.conftest import Tree
from tests.discord.fakes import colour_of, slash


def pings_nobody(mentions: discord.AllowedMentions | None) -> bool:
    return mentions is not None and mentions.to_dict() == {"parse": []}


class TestNoPings:
    async def test_everyone_in_a_description_is_escaped_and_mentions_are_off(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey
    ) -> None:
        # Quoted, as in Slack: a bare @ would name a project.
        typed = '"@everyone" stand-up with <@123456789012345678> **now**'
        started = await tree(slash(discord_bot, "start", description=typed))
        stopped = await tree(slash(discord_bot, "stop"))
        for answer in started.sent + stopped.sent:
            assert pings_nobody(answer.allowed_mentions)
            assert answer.embed is not None and answer.embed.title is not None
            assert "@everyone" not in answer.embed.title
            assert "@\u200beveryone" in answer.embed.title
            assert "<@123456789012345678>" not in answer.embed.title
            assert "\\*\\*now\\*\\*" in answer.embed.title

    def test_our_code_spans_stay_code_and_the_rest_is_escaped(self) -> None:
        text = "Type `help <command>` for *more* @here"
        assert render.escape(text) == "Type `help <command>` for \\*more\\* @\u200bhere"

    def test_the_client_never_pings_by_default(self, discord_bot: TogglBot) -> None:
        assert pings_nobody(discord_bot.allowed_mentions)


class TestLimits:
    def test_a_huge_reply_fits_discords_embed_limits(self) -> None:
        reply = Reply(
            title="T" * 400,
            lines=tuple("line " + "x" * 200 for _ in range(60)),
            fields=tuple(Field(f"name {n} " + "n" * 300, "v" * 2000) for n in range(40)),
            footer="f" * 3000,
            usage="start <description>",
        )
        card = render.embed(reply)
        assert len(card) <= render.TOTAL_MAX
        assert len(card.title or "") <= 256
        assert len(card.description or "") <= 4096
        assert len(card.fields) <= 25
        assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in card.fields)
        assert len(card.footer.text or "") <= 2048

    def test_more_than_25_fields_say_how_many_are_left_out(self) -> None:
        reply = Reply(title="Projects", fields=tuple(Field(f"P{n}", "1h") for n in range(30)))
        card = render.embed(reply)
        assert len(card.fields) == 24
        assert "…and 6 more." in (card.description or "")

    def test_short_fields_sit_inline_and_long_ones_get_a_row(self) -> None:
        card = render.embed(Reply(title="x", fields=(
            Field("Website · Acme", "1h 05m"), Field("`start <description> [@project]`", "y" * 60)
        )))
        assert [f.inline for f in card.fields] == [True, False]


class TestLook:
    @pytest.mark.parametrize("tone", list(Tone))
    def test_colour_follows_the_tone(self, tone: Tone) -> None:
        assert colour_of(render.embed(Reply(title="x", tone=tone))) is tone

    def test_lines_usage_and_footer(self) -> None:
        card = render.embed(Reply(title="Oops", lines=("one", "two"), usage="stop",
                                  footer="⚠ 3 Toggl requests left this hour."))
        assert card.description == "one\ntwo\nUsage: `stop`"
        assert card.footer.text == "⚠ 3 Toggl requests left this hour."
