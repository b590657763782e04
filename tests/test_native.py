"""A channel's default project, a message made into an entry, the timer in a status."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import commands as c
from bot.core import Core, Invocation
from bot.dialects.text import parse
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.replies import Reply, Tone
from bot.status import EMOJI, LASTS
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.fakes import (
    FakeStatusBoard,
    InMemoryAccountStore,
    InMemoryChannelStore,
    InMemoryStatusLinks,
)

BOB_TOKEN = "bob-native-token"
ADA = UserKey("slack", "T1", "U1")
BOB = UserKey("slack", "T1", "U2")


@pytest.fixture
def channels() -> InMemoryChannelStore:
    return InMemoryChannelStore()


@pytest.fixture
def links() -> InMemoryStatusLinks:
    return InMemoryStatusLinks()


@pytest.fixture
def board() -> FakeStatusBoard:
    return FakeStatusBoard()


@pytest.fixture
def core(
    toggl_client: TogglClient, clock: ManualClock, account_store: InMemoryAccountStore,
    channels: InMemoryChannelStore, links: InMemoryStatusLinks, board: FakeStatusBoard,
) -> Core:
    made = Core(account_store, toggl_client, clock=clock, channels=channels,
                status_links=links)
    made.status_boards["slack"] = board
    return made


async def say(core: Core, text: str, who: UserKey = ADA, channel: str = "C1") -> Reply:
    return await core.dispatch(Invocation(who.platform, who.team_id, who.user_id, text,
                                          channel_id=channel))


@pytest.fixture
async def ada(core: Core, toggl_token: str, fake_toggl: TogglEmulator) -> Core:
    assert (await say(core, f"login {toggl_token}")).tone is Tone.SUCCESS
    fake_toggl.reset_log()
    return core


@pytest.fixture
async def bob(ada: Core, fake_toggl: TogglEmulator) -> Core:
    """Bob, in the same Slack workspace, with a Website project of his own."""
    bob = fake_toggl.add_user(BOB_TOKEN, "Bob Builder", "UTC")
    fake_toggl.add_project(bob.default_workspace_id, "Website")
    assert (await say(ada, f"login {BOB_TOKEN}", BOB)).tone is Tone.SUCCESS
    fake_toggl.reset_log()
    return ada


def running(fake: TogglEmulator, token: str = ""):  # type: ignore[no-untyped-def]
    user = fake.user_for_token(token) if token else None
    return fake.running(user.id if user else fake.user_ids()[0])


def project_name(fake: TogglEmulator, project_id: int | None) -> str | None:
    return next((p.name for w in fake.workspace_ids() for p in fake.projects(w)
                 if p.id == project_id), None)


class TestChannelDefault:
    async def test_setting_costs_no_toggl_request_and_the_channel_is_told_who(
        self, ada: Core, fake_toggl: TogglEmulator, channels: InMemoryChannelStore
    ) -> None:
        reply = await say(ada, "channel project @webs #meeting")
        assert reply.tone is Tone.SUCCESS and reply.public
        assert reply.title == "This channel's project is now @Website #meeting"
        assert "Set by Ada Lovelace" in reply.lines[0]
        assert fake_toggl.count() == 0
        [default] = channels.defaults.values()
        assert (default.project, default.tags, default.set_by) == ("Website", ("meeting",), "U1")

    async def test_an_unknown_project_is_refused_from_the_cache(
        self, ada: Core, fake_toggl: TogglEmulator, channels: InMemoryChannelStore
    ) -> None:
        reply = await say(ada, "channel project @Nowhere")
        assert reply.tone is Tone.WARNING and "Nowhere" in reply.title
        assert "refresh" in reply.title
        assert fake_toggl.count() == 0 and not channels.defaults

    async def test_a_project_is_required(self, ada: Core) -> None:
        reply = await say(ada, "channel project")
        assert reply.tone is Tone.ERROR and "channel project @Website" in reply.title

    async def test_shown_and_removed(self, ada: Core, fake_toggl: TogglEmulator) -> None:
        assert (await say(ada, "channel")).title == "This channel has no default project"
        await say(ada, 'channel project @"Web shop"')
        assert (await say(ada, "channel")).title == 'This channel\'s project: @"Web shop"'
        off = await say(ada, "channel off")
        assert off.public and "Removed by Ada Lovelace" in off.lines[0]
        assert (await say(ada, "channel show")).title == "This channel has no default project"
        assert fake_toggl.count() == 0

    async def test_start_in_the_channel_uses_it_with_one_request(
        self, ada: Core, fake_toggl: TogglEmulator
    ) -> None:
        await say(ada, "channel project @Website #meeting")
        reply = await say(ada, "start Homepage copy")
        assert reply.tone is Tone.SUCCESS and "In this channel's project." in reply.lines
        assert fake_toggl.count() == 1
        entry = running(fake_toggl)
        assert project_name(fake_toggl, entry.project_id) == "Website"
        assert entry.tags == ["meeting"]

    async def test_what_the_person_names_wins(
        self, ada: Core, fake_toggl: TogglEmulator
    ) -> None:
        await say(ada, "channel project @Website #meeting")
        await say(ada, "start Review @Research")
        entry = running(fake_toggl)
        assert project_name(fake_toggl, entry.project_id) == "Research"
        assert entry.tags == ["meeting"]  # tags not named: the channel's
        await say(ada, "start Review again #deep")
        entry = running(fake_toggl)
        assert project_name(fake_toggl, entry.project_id) == "Website"
        assert entry.tags == ["deep"]

    async def test_other_channels_are_untouched(
        self, ada: Core, fake_toggl: TogglEmulator
    ) -> None:
        await say(ada, "channel project @Website")
        await say(ada, "start Elsewhere", channel="C2")
        assert running(fake_toggl).project_id is None

    async def test_a_teammate_starts_in_their_own_project_of_that_name(
        self, bob: Core, fake_toggl: TogglEmulator
    ) -> None:
        await say(bob, "channel project @Website")
        reply = await say(bob, "start Fix the footer", BOB)
        assert reply.tone is Tone.SUCCESS
        entry = running(fake_toggl, BOB_TOKEN)
        assert project_name(fake_toggl, entry.project_id) == "Website"
        assert entry.workspace_id == fake_toggl.user_for_token(BOB_TOKEN).default_workspace_id

    async def test_a_project_the_starter_lacks_is_left_out_and_said(
        self, bob: Core, fake_toggl: TogglEmulator
    ) -> None:
        await say(bob, "channel project @Research")  # Ada's; Bob has none of that name
        reply = await say(bob, "start Reading", BOB)
        assert reply.tone is Tone.SUCCESS
        assert any("isn't one of your Toggl projects" in line for line in reply.lines)
        assert running(fake_toggl, BOB_TOKEN).project_id is None
        assert fake_toggl.count() == 1


class TestTrackAMessage:
    async def test_start_now_is_one_request_with_what_the_form_says(
        self, ada: Core, fake_toggl: TogglEmulator
    ) -> None:
        await say(ada, "channel project @Research")
        reply = await ada.execute(ADA, c.Track("Answer Bob about the invoice", "Website",
                                               ("meeting",)), channel_id="C1")
        assert reply.title == "Started “Answer Bob about the invoice”"
        assert fake_toggl.count() == 1
        entry = running(fake_toggl)
        assert project_name(fake_toggl, entry.project_id) == "Website"
        assert entry.tags == ["meeting"]

    async def test_a_project_cleared_in_the_form_stays_cleared(
        self, ada: Core, fake_toggl: TogglEmulator
    ) -> None:
        await say(ada, "channel project @Research #meeting")
        await ada.execute(ADA, c.Track("No project please"), channel_id="C1")
        entry = running(fake_toggl)
        assert entry.project_id is None and entry.tags == []

    async def test_add_is_that_long_ending_now(
        self, ada: Core, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        reply = await ada.execute(ADA, c.Track("Call with Acme", "Webs", (), "1h30"))
        assert reply.title == "Added “Call with Acme”", reply.text()
        assert fake_toggl.count() == 1
        [entry] = fake_toggl.entries(fake_toggl.user_ids()[0])
        now = clock().replace(second=0, microsecond=0)
        assert entry.stop == now and entry.start == now - timedelta(minutes=90)

    async def test_a_bad_duration_or_description_costs_nothing(
        self, ada: Core, fake_toggl: TogglEmulator
    ) -> None:
        bad = await ada.execute(ADA, c.Track("x", duration="soon"))
        assert bad.tone is Tone.ERROR and "30m" in bad.title
        long = await ada.execute(ADA, c.Track("x" * 3001))
        assert long.tone is Tone.ERROR and "3000" in long.title
        assert fake_toggl.count() == 0


class TestStatus:
    def test_status_alone_is_still_current_and_two_words_are_the_setting(self) -> None:
        assert parse("status") == c.Current()
        assert parse("now") == c.Current()
        assert parse("status on") == c.StatusOn()
        assert parse("status off") == c.StatusOff()

    async def test_on_links_to_the_platforms_authorization(self, ada: Core) -> None:
        reply = await say(ada, "status on")
        [allow] = reply.buttons
        assert allow.url == "https://slack.test/authorize"
        assert "current" in reply.lines[1]

    async def test_without_a_platform_status_it_says_so(self, ada: Core) -> None:
        for elsewhere in (UserKey("discord", "discord", "9"), UserKey("console", "c", "U1")):
            reply = await ada.execute(elsewhere, c.StatusOn())
            assert reply.title == "Your timer in your status is a Slack feature"
            assert "current`" in reply.lines[0]

    async def test_without_oauth_set_up_it_says_what_is_missing(
        self, ada: Core, board: FakeStatusBoard
    ) -> None:
        board.url = None
        reply = await say(ada, "status on")
        assert "SLACK_CLIENT_ID" in reply.lines[0] and not reply.buttons

    async def test_the_status_follows_the_timer(
        self, ada: Core, board: FakeStatusBoard, links: InMemoryStatusLinks,
        fake_toggl: TogglEmulator, clock: ManualClock,
    ) -> None:
        await ada.link_status(ADA, _token("xoxp-ada"))
        assert board.calls == []  # nothing runs: nothing to show
        await say(ada, "start Homepage copy @Website")
        assert board.shown["xoxp-ada"] == ("Homepage copy", EMOJI, clock() + LASTS)
        await say(ada, "summary")  # the same timer seen again: no Slack call
        assert board.calls == ["show"]
        await say(ada, "stop")
        assert board.shown == {} and board.calls == ["show", "clear"]
        assert fake_toggl.count() == 3  # start, summary, stop: the status cost none

    async def test_a_timer_stopped_elsewhere_clears_it_when_the_bot_learns_it(
        self, ada: Core, board: FakeStatusBoard, fake_toggl: TogglEmulator
    ) -> None:
        await ada.link_status(ADA, _token("xoxp-ada"))
        await say(ada, "start Deep work")
        fake_toggl.stop_entry(running(fake_toggl).id)  # stopped in Toggl's own app
        await say(ada, "current")
        assert board.shown == {}

    async def test_linking_while_a_timer_runs_shows_it_at_once(
        self, ada: Core, board: FakeStatusBoard
    ) -> None:
        await say(ada, "start Already going")
        await ada.link_status(ADA, _token("xoxp-ada"))
        assert board.shown["xoxp-ada"][0] == "Already going"

    async def test_off_clears_revokes_and_forgets(
        self, ada: Core, board: FakeStatusBoard, links: InMemoryStatusLinks
    ) -> None:
        await ada.link_status(ADA, _token("xoxp-ada"))
        await say(ada, "start Something")
        reply = await say(ada, "status off")
        assert reply.tone is Tone.SUCCESS
        assert board.calls[-2:] == ["clear", "revoke"] and not links.tokens
        again = await say(ada, "status off")
        assert again.title == "togglbot wasn't setting your status"

    async def test_a_token_revoked_in_slack_is_forgotten(
        self, ada: Core, board: FakeStatusBoard, links: InMemoryStatusLinks
    ) -> None:
        await ada.link_status(ADA, _token("xoxp-ada"))
        board.dead.add("xoxp-ada")
        reply = await say(ada, "start Still works")
        assert reply.tone is Tone.SUCCESS  # a status is a courtesy, never a failure
        assert not links.tokens

    async def test_logout_gives_the_permission_back(
        self, ada: Core, board: FakeStatusBoard, links: InMemoryStatusLinks
    ) -> None:
        await ada.link_status(ADA, _token("xoxp-ada"))
        await say(ada, "logout")
        assert "revoke" in board.calls and not links.tokens


def _token(value: str):  # type: ignore[no-untyped-def]
    from pydantic import SecretStr

    return SecretStr(value)


class TestHome:
    async def test_recent_entries_continue_in_one_click_from_one_request(
        self, ada: Core, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        uid, wid = fake_toggl.user_ids()[0], fake_toggl.workspace_ids()[0]
        website = next(p for p in fake_toggl.projects(wid) if p.name == "Web shop")
        start = clock() - timedelta(hours=3)
        fake_toggl.add_entry(uid, wid, 'Reply to #12 "now"', start, start + timedelta(minutes=30),
                             project_id=website.id)
        await say(ada, "add Planning 08:00-08:30")  # the last entry: the panel's Continue
        fake_toggl.reset_log()
        panel = await ada.execute(ADA, c.Overview())
        assert fake_toggl.count() == 1
        assert [b.label for b in panel.buttons] == [
            "Continue", "Continue “Reply to #12 \"now\"”", "Show my timer in my status"]
        again = panel.buttons[1].command
        assert parse(again) == c.Start("Reply to #12 'now'", "Web shop")
        reply = await say(ada, again)
        assert reply.title.startswith("Started “Reply to #12 'now'”")
        assert project_name(fake_toggl, running(fake_toggl).project_id) == "Web shop"

    async def test_the_status_setting_shows_what_it_is(
        self, ada: Core, board: FakeStatusBoard
    ) -> None:
        panel = await ada.execute(ADA, c.Overview())
        assert "Slack status: off. It can show your running timer." in panel.lines
        await ada.link_status(ADA, _token("xoxp-ada"))
        panel = await ada.execute(ADA, c.Overview())
        assert panel.buttons[-1].command == "status off"
        board.url = None
        await say(ada, "status off")
        panel = await ada.execute(ADA, c.Overview())
        assert not any("Slack status" in line for line in panel.lines)
