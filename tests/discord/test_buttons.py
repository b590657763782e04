"""Buttons: Stop and Continue act for the person who clicks; only the owner may click."""

from __future__ import annotations

from adapters.discord.client import TogglBot
from adapters.discord.views import ActionButton
from bot.commands import Logout
from bot.core import Core
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.replies import Tone
from bot.testing.clock import ManualClock
from tests.discord.conftest import Tree
from tests.discord.fakes import ADA, BOB, click, colour_of, slash, text_of


def toggl_user(fake: TogglEmulator) -> int:
    return fake.user_ids()[0]


class TestStopAndContinue:
    async def test_start_then_stop_then_continue_by_clicking(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator, clock: ManualClock,
    ) -> None:
        started = await tree(slash(discord_bot, "start", description="Write docs"))
        stop = started.only.button("Stop")
        assert stop.custom_id == f"toggl:{ADA}:run:stop"
        fake_toggl.reset_log()
        clock.advance(minutes=25)

        stopped = await click(discord_bot, stop)
        assert stopped.fake_response.deferred is not None  # a deferred update, no "thinking"
        assert not stopped.fake_response.deferred.thinking
        # The clicked card turns into the answer, as in Slack; it stays private.
        assert stopped.only.ephemeral and stopped.only.via == "edit"
        assert stopped.only.embed is not None
        assert stopped.only.embed.title == "Stopped “Write docs” after 25m"
        assert stopped.only.labels == ["Continue"]
        assert fake_toggl.running(toggl_user(fake_toggl)) is None
        assert fake_toggl.count() == 1

        continued = await click(discord_bot, stopped.only.button("Continue"))
        assert continued.only.embed is not None
        assert continued.only.embed.title == "Continued “Write docs”"
        assert continued.only.labels == ["Stop"]
        running = fake_toggl.running(toggl_user(fake_toggl))
        assert running is not None and running.description == "Write docs"
        assert fake_toggl.count() == 2

    async def test_a_failed_click_answers_apart_and_keeps_the_card(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator,
    ) -> None:
        started = await tree(slash(discord_bot, "start", description="Write docs"))
        fake_toggl.inject(503, times=10)
        failed = await click(discord_bot, started.only.button("Stop"))
        assert failed.only.via == "followup" and failed.only.ephemeral
        assert failed.only.embed is not None and "isn't answering" in str(failed.only.embed.title)
        assert fake_toggl.running(toggl_user(fake_toggl)) is not None

    async def test_current_shows_elapsed_time_with_a_stop_button(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, clock: ManualClock
    ) -> None:
        await tree(slash(discord_bot, "start", description="Review"))
        clock.advance(minutes=70)
        done = await tree(slash(discord_bot, "current"))
        assert "Running for 1h 10m" in text_of(done.only.embed)
        assert done.only.labels == ["Stop"]

    async def test_a_button_outlives_a_restart(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator,
    ) -> None:
        started = await tree(slash(discord_bot, "start", description="Long task"))
        from adapters.discord.bridge import Bridge

        restarted = TogglBot(Bridge(core))
        restarted._connection.user = discord_bot._connection.user
        await restarted.setup_hook()  # registers the persistent button template
        assert ActionButton in restarted._connection._view_store._dynamic_items.values()
        await click(restarted, started.only.button("Stop"))
        assert fake_toggl.running(toggl_user(fake_toggl)) is None


class TestSomeoneElsesButton:
    async def test_a_bystander_clicking_stop_changes_nothing_and_is_told_privately(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        started = await tree(slash(discord_bot, "start", description="Ada's work"))
        fake_toggl.reset_log()
        refused = await click(discord_bot, started.only.button("Stop"), user=BOB)
        assert refused.fake_response.deferred is None
        assert refused.only.via == "response" and refused.only.ephemeral
        assert refused.only.embed is not None
        assert refused.only.embed.title == "This is not your entry"
        assert refused.only.view is None
        assert fake_toggl.count() == 0
        running = fake_toggl.running(toggl_user(fake_toggl))
        assert running is not None and running.description == "Ada's work"


class TestShare:
    async def test_summary_can_be_shared_publicly_by_its_owner(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey,
        fake_toggl: TogglEmulator, clock: ManualClock,
    ) -> None:
        await tree(slash(discord_bot, "start", description="Design", project="Website"))
        clock.advance(minutes=30)
        summary = await tree(slash(discord_bot, "summary", period="week"))
        assert summary.only.ephemeral
        assert summary.only.labels == ["Stop", "Share in channel"]
        share = summary.only.button("Share in channel")
        assert share.custom_id == f"toggl:{ADA}:share:summary week"
        fake_toggl.reset_log()

        shared = await click(discord_bot, share)
        # No "thinking" placeholder: it would be public before we know the answer.
        assert shared.fake_response.deferred is not None
        assert not shared.fake_response.deferred.thinking
        post = shared.only
        assert post.via == "followup" and not post.ephemeral
        assert post.view is None  # a report, not a remote control
        assert post.embed is not None and post.embed.author.name == "Shared by Ada"
        assert post.embed.title is not None and post.embed.title.startswith("This week")
        assert "Website · Acme" in text_of(post.embed)
        assert fake_toggl.count() == 1  # re-run for the clicker

    async def test_a_failed_share_stays_private(
        self, tree: Tree, discord_bot: TogglBot, core: Core, ada_on_discord: UserKey
    ) -> None:
        summary = await tree(slash(discord_bot, "summary"))
        await core.execute(ada_on_discord, Logout())
        shared = await click(discord_bot, summary.only.button("Share in channel"))
        assert shared.only.ephemeral
        assert colour_of(shared.only.embed) is Tone.ERROR
