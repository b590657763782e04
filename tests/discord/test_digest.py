"""`/toggl digest …`: options become digest commands for the channel they were typed in.

A core with the SQL digest store (SQLite here; both backends are covered in tests/digest).
Setting a digest up or stopping it is posted for the channel to see; the rest stay private.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time
from typing import Any

import discord
import httpx
import pytest

from adapters.discord.bridge import NOT_IN_DMS
from adapters.discord.client import TogglBot
from bot import commands as c
from bot.commands import declaration
from bot.core import Core
from bot.dialects.options import from_options
from bot.digest.model import Channel, Digest
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.errors import UsageError
from bot.grammar.clock import zone_suggestions
from bot.replies import Tone
from bot.store.accounts import SqlAccountStore
from bot.store.digests import SqlDigestStore
from bot.testing.clock import ManualClock
from bot.toggl import RetryPolicy, TogglClient, Transport
from tests.core_fixtures import API, no_sleep
from tests.discord.conftest import Tree
from tests.discord.fakes import (
    ADA,
    BOB,
    CHANNEL,
    INVITED,
    Sent,
    colour_of,
    slash,
    text_of,
    typing,
)
from tests.discord.test_autocomplete import values
from tests.discord.test_render import pings_nobody

USAGE = "digest at HH:MM [Area/City] [weekdays|daily]"


@pytest.fixture
async def core(
    fake_toggl: TogglEmulator, clock: ManualClock, sqlite_store: SqlAccountStore
) -> AsyncIterator[Core]:
    """Replaces the in-memory core: digests need the SQL store their members join through."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
    transport = Transport(API, http=http, clock=clock, sleep=no_sleep,
                          policy=RetryPolicy(timeout=0.5))
    yield Core(sqlite_store, TogglClient(transport, clock), clock=clock,
               digests=SqlDigestStore(sqlite_store.engine))
    await http.aclose()


async def digest_in(core: Core, channel: int = CHANNEL) -> Digest | None:
    assert core.digests is not None
    return await core.digests.find(Channel("discord", "discord", str(channel)))


def private(sent: Sent) -> bool:
    return sent.ephemeral and sent.via == "response"


def public(sent: Sent) -> bool:
    """In the channel, answered at once (never after a private defer), pinging nobody."""
    return not sent.ephemeral and sent.via == "response" and pings_nobody(sent.allowed_mentions)


class TestTranslation:
    def test_time_zone_and_schedule_make_the_typed_command(self) -> None:
        assert digest_at({"time": "18:00", "timezone": "europe/berlin",
                          "schedule": "weekdays"}) == c.DigestAt(
            time(18, 0), "Europe/Berlin", weekdays_only=True
        )
        assert digest_at({"time": " 9:30 "}) == c.DigestAt(time(9, 30), None, False)
        assert digest_at({"time": "9:30", "timezone": "  ", "schedule": "daily"}) == c.DigestAt(
            time(9, 30), None, False
        )

    @pytest.mark.parametrize(("at", "zone"), [("6pm", None), ("24:00", None),
                                              ("18:00", "Mars/Olympus")])
    def test_bad_options_are_usage_errors(self, at: str, zone: str | None) -> None:
        with pytest.raises(UsageError) as raised:
            digest_at({"time": at} | ({"timezone": zone} if zone else {}))
        assert raised.value.command == "digest at"


class TestDigestAt:
    async def test_options_reach_the_core_for_this_channel_and_the_channel_sees_it(
        self, tree: Tree, discord_bot: TogglBot, core: Core, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "digest at", time="18:00",
                                timezone="Europe/Berlin", schedule="weekdays"))
        assert done.fake_response.deferred is None and public(done.only)
        assert done.only.embed is not None
        assert done.only.embed.title == "Daily digest: 18:00 Europe/Berlin, weekdays"
        assert colour_of(done.only.embed) is Tone.SUCCESS
        assert done.only.view is None
        digest = await digest_in(core)
        assert digest is not None and digest.enabled
        assert (digest.schedule.at, digest.schedule.timezone) == (time(18, 0), "Europe/Berlin")
        assert digest.schedule.weekdays_only
        assert await digest_in(core, CHANNEL + 1) is None
        assert fake_toggl.count() == 0

    async def test_without_a_zone_it_uses_their_toggl_zone(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey
    ) -> None:
        done = await tree(slash(discord_bot, "digest at", time="9:30"))
        assert done.only.embed is not None
        assert done.only.embed.title == "Daily digest: 09:30 Europe/Berlin, every day"
        digest = await digest_in(core)
        assert digest is not None and not digest.schedule.weekdays_only

    @pytest.mark.parametrize(("options", "says"), [
        ({"time": "6pm", "timezone": "UTC"}, "is not a time"),
        ({"time": "18:00", "timezone": "Mars/Olympus"}, "is not a time zone I know"),
        ({"time": "18:00"}, "Add a time zone"),  # not logged in: no Toggl zone to use
    ])
    async def test_mistakes_are_answered_privately_and_set_nothing_up(
        self, tree: Tree, discord_bot: TogglBot, core: Core, options: dict[str, Any], says: str
    ) -> None:
        done = await tree(slash(discord_bot, "digest at", **options))
        assert private(done.only) and colour_of(done.only.embed) is Tone.ERROR
        assert says in text_of(done.only.embed)
        assert await digest_in(core) is None

    async def test_in_a_dm_it_is_refused_clearly(
        self, tree: Tree, discord_bot: TogglBot, core: Core
    ) -> None:
        done = await tree(slash(discord_bot, "digest at", guild=None, time="18:00",
                                timezone="UTC"))
        assert private(done.only) and colour_of(done.only.embed) is Tone.ERROR
        assert NOT_IN_DMS in text_of(done.only.embed)
        assert await digest_in(core) is None


class TestWhereTheBotMayPost:
    """A command's answer shows even where the bot may not post; the digest wouldn't."""

    @pytest.mark.parametrize(("taken", "named"), [
        ("send_messages", "the Send Messages permission"),
        ("attach_files", "the Attach Files permission"),
        ("view_channel", "the View Channel permission"),
    ])
    async def test_a_missing_permission_is_named_privately_and_nothing_is_set_up(
        self, tree: Tree, discord_bot: TogglBot, core: Core, taken: str, named: str
    ) -> None:
        permissions = discord.Permissions(INVITED.value)
        setattr(permissions, taken, False)
        done = await tree(slash(discord_bot, "digest at", time="18:00", timezone="UTC",
                                permissions=permissions))
        assert private(done.only) and colour_of(done.only.embed) is Tone.WARNING
        text = text_of(done.only.embed)
        assert "can't post in this channel" in text and named in text
        assert "Edit Channel" in text
        assert await digest_in(core) is None

    async def test_the_invite_links_permissions_are_enough(
        self, tree: Tree, discord_bot: TogglBot, core: Core
    ) -> None:
        done = await tree(slash(discord_bot, "digest at", time="18:00", timezone="UTC",
                                permissions=INVITED))
        assert public(done.only)
        digest = await digest_in(core)
        assert digest is not None and digest.set_up_by == str(ADA)


class TestRoundTrip:
    async def test_join_show_leave_off(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey
    ) -> None:
        await tree(slash(discord_bot, "digest at", time="18:00", timezone="Europe/Berlin"))

        joined = (await tree(slash(discord_bot, "digest join"))).only
        assert private(joined) and colour_of(joined.embed) is Tone.SUCCESS
        assert "You joined" in text_of(joined.embed)
        again = (await tree(slash(discord_bot, "digest join"))).only
        assert "already in" in text_of(again.embed)
        digest = await digest_in(core)
        assert digest is not None and [m.label for m in digest.members] == ["Ada Lovelace"]

        shown = (await tree(slash(discord_bot, "digest show"))).only
        assert private(shown) and shown.embed is not None
        assert shown.embed.title == "Daily digest: 18:00 Europe/Berlin, every day"
        assert "Members (1): Ada Lovelace" in text_of(shown.embed)

        left = (await tree(slash(discord_bot, "digest leave"))).only
        assert private(left) and "You left" in text_of(left.embed)
        shown = (await tree(slash(discord_bot, "digest show"))).only
        assert "Nobody is included" in text_of(shown.embed)

        stopped = (await tree(slash(discord_bot, "digest off"))).only
        assert public(stopped) and stopped.embed is not None
        assert stopped.embed.title == "Daily digest stopped"
        digest = await digest_in(core)
        assert digest is not None and not digest.enabled
        shown = (await tree(slash(discord_bot, "digest show"))).only
        assert private(shown) and "digest is off" in text_of(shown.embed)
        nothing = (await tree(slash(discord_bot, "digest off"))).only
        assert private(nothing) and "no digest running" in text_of(nothing.embed)

    async def test_join_needs_a_login_and_a_digest_in_this_channel(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey
    ) -> None:
        done = await tree(slash(discord_bot, "digest join"))
        assert private(done.only) and "no digest yet" in text_of(done.only.embed)
        await tree(slash(discord_bot, "digest at", time="18:00", timezone="UTC"))
        done = await tree(slash(discord_bot, "digest join", user=BOB))
        assert private(done.only) and "not connected" in text_of(done.only.embed)
        done = await tree(slash(discord_bot, "digest join", channel=CHANNEL + 1))
        assert "no digest yet" in text_of(done.only.embed)

    @pytest.mark.parametrize("sub", ["digest join", "digest leave", "digest show", "digest off"])
    async def test_none_of_them_work_in_a_dm(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, sub: str
    ) -> None:
        done = await tree(slash(discord_bot, sub, guild=None))
        assert private(done.only) and NOT_IN_DMS in text_of(done.only.embed)


class TestTimezoneAutocomplete:
    async def test_filtered_by_what_was_typed(
        self, tree: Tree, discord_bot: TogglBot, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(typing(discord_bot, "digest at", "timezone", "berl", time="18:00"))
        assert values(done) == ["Europe/Berlin"]
        done = await tree(typing(discord_bot, "digest at", "timezone", "new york"))
        assert values(done)[0] == "America/New_York"
        assert values(await tree(typing(discord_bot, "digest at", "timezone", "xyzzy"))) == []
        assert fake_toggl.count() == 0

    @pytest.mark.parametrize("typed", ["", "america/", "a"])
    async def test_at_most_25_choices_best_first(
        self, tree: Tree, discord_bot: TogglBot, typed: str
    ) -> None:
        names = values(await tree(typing(discord_bot, "digest at", "timezone", typed)))
        assert len(names) == 25
        assert all(typed.casefold() in name.casefold() for name in names)

    def test_whole_name_prefixes_come_before_a_citys(self) -> None:
        names = zone_suggestions("europe/")
        assert names and all(name.startswith("Europe/") for name in names)
        ranked = zone_suggestions("in")
        assert ranked[0].casefold().startswith("in")  # Indian/...
        assert "localtime" not in zone_suggestions("local")

    def test_every_choice_is_a_zone_digest_at_accepts(self) -> None:
        for zone in zone_suggestions("a"):
            assert digest_at({"time": "18:00", "timezone": zone}).timezone == zone


def test_the_subcommand_options_are_typed() -> None:
    options = {p.display_name: p for p in _digest_at_parameters()}
    assert list(options) == ["time", "timezone", "schedule"]
    assert options["time"].required and not options["timezone"].required
    assert options["timezone"].autocomplete
    assert [ch.value for ch in options["schedule"].choices] == ["weekdays", "daily"]


def _digest_at_parameters() -> list[discord.app_commands.Parameter]:
    client = TogglBot()
    group = client.tree.get_command("toggl")
    assert isinstance(group, discord.app_commands.Group)
    digest = group.get_command("digest")
    assert isinstance(digest, discord.app_commands.Group)
    found = digest.get_command("at")
    assert isinstance(found, discord.app_commands.Command)
    return list(found.parameters)


def digest_at(values: dict[str, Any]) -> c.DigestAt:
    made = from_options(declaration("digest at"), values)
    assert isinstance(made, c.DigestAt)
    return made
