"""digest at / join / leave / show / off, through the real core and the SQL store."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from pydantic import SecretStr

from bot.commands import DigestShow, Login
from bot.core import Core, Invocation
from bot.digest.model import Channel
from bot.digest.ports import Announcement, Refusal
from bot.emulator import TogglEmulator
from bot.replies import Reply, Tone
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.digest.conftest import Stores
from tests.digest.helpers import token_for


class Chat:
    """People typing in Slack channels of team T1."""

    def __init__(self, core: Core) -> None:
        self.core = core

    async def say(self, user: str, text: str, channel: str = "C1") -> Reply:
        return await self.core.dispatch(Invocation("slack", "T1", user, text, channel_id=channel))

    async def login(self, user: str) -> None:
        reply = await self.core.execute(
            Invocation("slack", "T1", user, "").key, Login(SecretStr(token_for(user)))
        )
        assert reply.tone is Tone.SUCCESS, reply.text()


@pytest.fixture
def chat(stores: Stores, toggl: TogglClient, clock: ManualClock, fake_toggl: TogglEmulator) -> Chat:
    fake_toggl.add_user(token_for("ada"), "Ada Lovelace", "Europe/Berlin")
    fake_toggl.add_user(token_for("bob"), "Bob Babbage", "America/New_York")
    return Chat(Core(stores.accounts, toggl, clock=clock, digests=stores.digests))


@dataclass
class FakeAccess:
    """A ChannelAccess answering what it was told, remembering the notices it saw."""

    answer: Announcement = field(default_factory=Announcement)
    seen: list[tuple[Channel, Reply]] = field(default_factory=list)

    async def announce(self, channel: Channel, notice: Reply) -> Announcement:
        self.seen.append((channel, notice))
        return self.answer


class TestTheBotMustBeAbleToPostThere:
    async def say(self, chat: Chat, access: FakeAccess, text: str = "digest at 18:00 UTC",
                  ) -> Reply:
        asked = Invocation("slack", "T1", "ada", text, channel_id="C1")
        return await chat.core.dispatch(asked, access=access)

    async def test_a_refusal_sets_nothing_up_and_says_how_to_fix_it(
        self, chat: Chat, stores: Stores
    ) -> None:
        access = FakeAccess(Announcement(refusal=Refusal("not_in_channel", "Invite me.")))
        reply = await self.say(chat, access)
        assert reply.tone is Tone.WARNING and not reply.public
        assert reply.title == "I can't post in this channel (`not_in_channel`)"
        assert reply.lines[0] == "Invite me."
        assert await stores.digests.find(Channel("slack", "T1", "C1")) is None

    async def test_the_notice_is_what_the_channel_would_see(self, chat: Chat) -> None:
        access = FakeAccess()
        reply = await self.say(chat, access)
        [(channel, notice)] = access.seen
        assert channel == Channel("slack", "T1", "C1")
        assert notice.public and notice.title == reply.title and not reply.posted

    async def test_once_the_platform_posted_it_nothing_is_left_to_answer(
        self, chat: Chat, stores: Stores
    ) -> None:
        reply = await self.say(chat, FakeAccess(Announcement(posted=True)))
        assert reply.posted
        digest = await stores.digests.find(Channel("slack", "T1", "C1"))
        assert digest is not None and digest.set_up_by == "ada"

    async def test_caveats_are_told_to_the_person_privately(self, chat: Chat) -> None:
        reply = await self.say(chat, FakeAccess(Announcement(posted=True, notes=("No chart.",))))
        assert not reply.posted and not reply.public and reply.lines == ("No chart.",)


class TestSubscribe:
    async def test_with_an_explicit_zone(self, chat: Chat) -> None:
        reply = await chat.say("ada", "digest at 18:00 Europe/Berlin")
        assert reply.tone is Tone.SUCCESS
        assert reply.public
        assert reply.title == "Daily digest: 18:00 Europe/Berlin, every day"
        # The clock starts on Tuesday 24 Nov 2026, 11:00 in Berlin.
        assert reply.lines == (
            "Next: Tue 24 Nov at 18:00.",
            "Nobody is included until they use `/toggl digest join`.",
        )

    async def test_zone_defaults_to_the_persons_toggl_zone(self, chat: Chat) -> None:
        await chat.login("bob")
        reply = await chat.say("bob", "digest at 9:30 weekdays")
        assert reply.title == "Daily digest: 09:30 America/New_York, weekdays"

    async def test_no_zone_and_not_logged_in_asks_for_one(self, chat: Chat) -> None:
        reply = await chat.say("ada", "digest at 18:00")
        assert reply.tone is Tone.ERROR
        assert "Add a time zone" in reply.title

    async def test_an_unknown_zone_is_a_clear_error(self, chat: Chat) -> None:
        reply = await chat.say("ada", "digest at 18:00 Mars/Olympus")
        assert reply.tone is Tone.ERROR
        assert reply.title.startswith("`Mars/Olympus` is not a time zone I know.")
        assert reply.usage == "/toggl digest at <HH:MM> [Area/City] [weekdays|daily]"

    async def test_again_changes_the_time_and_keeps_members(self, chat: Chat) -> None:
        await chat.login("ada")
        await chat.say("ada", "digest at 18:00 Europe/Berlin")
        await chat.say("ada", "digest join")
        reply = await chat.say("ada", "digest at 17:30 Europe/Berlin weekdays")
        assert reply.title == "Daily digest: 17:30 Europe/Berlin, weekdays"
        assert reply.lines[1] == "Members (1): Ada Lovelace"

    async def test_needs_a_channel(self, chat: Chat) -> None:
        reply = await chat.core.execute(Invocation("slack", "T1", "ada", "").key, DigestShow())
        assert reply.tone is Tone.ERROR
        assert "run this command in that channel" in reply.title


class TestMembers:
    async def test_join_show_leave(self, chat: Chat) -> None:
        await chat.login("ada")
        await chat.login("bob")
        await chat.say("ada", "digest at 18:00 Europe/Berlin")
        assert (await chat.say("ada", "digest join")).title == "You joined this channel's digest"
        assert (await chat.say("ada", "digest join")).title == (
            "You're already in this channel's digest."
        )
        await chat.say("bob", "digest join")
        shown = await chat.say("bob", "digest show")
        assert shown.lines[1] == "Members (2): Ada Lovelace, Bob Babbage"
        assert (await chat.say("ada", "digest leave")).title == "You left this channel's digest"
        left_again = await chat.say("ada", "digest leave")
        assert left_again.title == "You weren't in this channel's digest."
        assert (await chat.say("bob", "digest")).lines[1] == "Members (1): Bob Babbage"

    async def test_joining_needs_a_login(self, chat: Chat) -> None:
        await chat.say("ada", "digest at 18:00 Europe/Berlin")
        reply = await chat.say("carol", "digest join")
        assert "not connected to Toggl" in reply.title

    async def test_joining_a_channel_without_a_digest(self, chat: Chat) -> None:
        await chat.login("ada")
        reply = await chat.say("ada", "digest join", channel="C2")
        assert reply.title == "This channel has no digest yet."

    async def test_membership_is_per_channel(self, chat: Chat) -> None:
        await chat.login("ada")
        await chat.say("ada", "digest at 18:00 Europe/Berlin", channel="C1")
        await chat.say("ada", "digest at 18:00 Europe/Berlin", channel="C2")
        await chat.say("ada", "digest join", channel="C1")
        assert (await chat.say("ada", "digest", channel="C2")).lines[1].startswith("Nobody")

    async def test_logout_leaves_every_digest(self, chat: Chat) -> None:
        await chat.login("ada")
        await chat.say("ada", "digest at 18:00 Europe/Berlin")
        await chat.say("ada", "digest join")
        await chat.say("ada", "logout")
        assert (await chat.say("bob", "digest show")).lines[1].startswith("Nobody")


class TestOff:
    async def test_off_then_show_then_on_again(self, chat: Chat) -> None:
        await chat.login("ada")
        await chat.say("ada", "digest at 18:00 Europe/Berlin")
        await chat.say("ada", "digest join")
        assert (await chat.say("ada", "digest off")).title == "Daily digest stopped"
        shown = await chat.say("ada", "digest show")
        assert shown.title == "This channel's digest is off (was 18:00 Europe/Berlin, every day)."
        assert (await chat.say("ada", "digest off")).title == "This channel has no digest running."
        again = await chat.say("ada", "digest at 18:00 Europe/Berlin")
        assert again.lines[1] == "Members (1): Ada Lovelace"

    async def test_show_without_a_digest(self, chat: Chat) -> None:
        assert (await chat.say("ada", "digest show")).title == "This channel has no digest."


async def test_help_lists_the_digest_commands(chat: Chat) -> None:
    reply = await chat.say("ada", "help")
    usages = [f.label for f in reply.fields]
    assert "`/toggl digest at <HH:MM> [Area/City] [weekdays|daily]`" in usages
    assert "`/toggl digest join`" in usages
