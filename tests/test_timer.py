"""start / stop / current / continue against the fake Toggl, with their call budgets."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator
from bot.replies import Tone
from bot.testing.clock import ManualClock


def user_id(fake: TogglEmulator) -> int:
    return fake.user_ids()[0]


class TestStart:
    async def test_one_call_with_project_and_tags_from_the_cache(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("start Weekly sync @Website #meeting $")
        assert reply.tone is Tone.SUCCESS
        assert reply.title == "Started “Weekly sync”"
        assert "Website · Acme" in reply.lines[0] and "#meeting" in reply.lines[0]
        assert [b.command for b in reply.buttons] == ["stop"]
        assert fake_toggl.count() == 1
        running = fake_toggl.running(user_id(fake_toggl))
        assert running is not None
        assert running.description == "Weekly sync"
        assert running.tags == ["meeting"] or tuple(running.tags) == ("meeting",)
        assert running.billable

    async def test_unique_prefix_and_any_case_pick_the_project(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("start design @WEBS")
        assert "Website" in reply.lines[0]

    async def test_ambiguous_prefix_names_the_candidates_and_calls_nothing(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("start design @web")
        assert reply.tone is Tone.WARNING
        assert "Web shop" in reply.title and "Website" in reply.title
        assert fake_toggl.count() == 0
        assert fake_toggl.running(user_id(fake_toggl)) is None

    async def test_project_made_elsewhere_is_found_with_one_refresh(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        fake_toggl.add_project(fake_toggl.workspace_ids()[0], "Onboarding")
        clock.advance(minutes=5)
        reply = await ada.send("start intro @onboard")
        assert reply.tone is Tone.SUCCESS
        assert fake_toggl.count() == 2  # one refresh, one POST
        # ...and it is remembered: the next start (nothing running) costs one call again.
        await ada.send("stop")
        fake_toggl.reset_log()
        await ada.send("start more @onboard")
        assert fake_toggl.count() == 1

    async def test_unknown_project_right_after_a_refresh_costs_nothing(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("start x @Websiet")
        assert "No project called `Websiet`" in reply.title
        assert "Website" in reply.title
        assert fake_toggl.count() == 0

    async def test_starting_while_running_says_what_was_stopped(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start first")
        clock.advance(minutes=65)
        fake_toggl.reset_log()
        reply = await ada.send("start second")
        assert "Stopped your previous timer “first” (1h 05m)." in reply.lines
        assert len([e for e in fake_toggl.entries(user_id(fake_toggl)) if e.stop is None]) == 1
        assert fake_toggl.count() == 2  # the start, then one look at what Toggl stopped

    async def test_the_stopped_timers_time_is_toggls_not_the_bots_memory(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        """Switched in Toggl's own app: "Morning" ran 1 h, then "Other" until now."""
        await ada.send("start Morning")
        uid, wid = user_id(fake_toggl), fake_toggl.workspace_ids()[0]
        clock.advance(hours=1)
        morning = fake_toggl.running(uid)
        assert morning is not None
        fake_toggl.stop_entry(morning.id)
        fake_toggl.add_entry(uid, wid, "Other", start=clock())
        clock.advance(hours=2)
        reply = await ada.send("start Afternoon")
        assert "Stopped your previous timer “Other” (2h 00m)." in reply.lines
        assert not any("Morning" in line for line in reply.lines)

    async def test_a_failed_post_is_not_repeated_and_nothing_is_duplicated(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.inject(502, method="POST")
        reply = await ada.send("start flaky")
        assert reply.tone is Tone.ERROR
        assert "isn't answering" in reply.title
        assert fake_toggl.count(method="POST") == 1
        assert fake_toggl.entries(user_id(fake_toggl)) == []

    async def test_an_archived_project_is_refused_by_name(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        fake_toggl.add_project(fake_toggl.workspace_ids()[0], "Legacy", active=False)
        await ada.send("refresh")
        reply = await ada.send("start old @Legacy")
        assert "archived" in reply.title


class TestStop:
    async def test_stopping_what_we_started_is_one_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start focus @Research")
        clock.advance(minutes=25)
        fake_toggl.reset_log()
        reply = await ada.send("stop")
        assert reply.title == "Stopped “focus” after 25m"
        assert [b.command for b in reply.buttons] == ["continue"]
        assert fake_toggl.count() == 1
        assert fake_toggl.count(method="PATCH") == 1

    async def test_an_entry_started_elsewhere_costs_two_calls(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        uid = user_id(fake_toggl)
        fake_toggl.add_entry(uid, fake_toggl.workspace_ids()[0], "from the web app",
                             start=clock() - timedelta(minutes=10))
        reply = await ada.send("stop")
        assert reply.title == "Stopped “from the web app” after 10m"
        assert fake_toggl.count() == 2

    async def test_nothing_running_is_one_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("stop")
        assert reply.title == "No timer is running"
        assert fake_toggl.count() == 1

    async def test_stale_memory_still_stops_what_really_runs(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start call")
        uid = user_id(fake_toggl)
        running = fake_toggl.running(uid)
        assert running is not None
        fake_toggl.stop_entry(running.id)  # stopped in the Toggl web app
        fake_toggl.add_entry(uid, fake_toggl.workspace_ids()[0], "other thing",
                             start=clock())
        clock.advance(minutes=7)
        fake_toggl.reset_log()
        reply = await ada.send("stop")
        assert reply.title == "Stopped “other thing” after 7m"
        assert "“call” had already been stopped elsewhere." in reply.lines
        assert fake_toggl.running(uid) is None
        # The stale PATCH, a look at what runs, and the stop that worked.
        assert fake_toggl.count() == 3

    async def test_stale_memory_with_nothing_running_says_so(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("start call")
        running = fake_toggl.running(user_id(fake_toggl))
        assert running is not None
        fake_toggl.stop_entry(running.id)
        fake_toggl.reset_log()
        reply = await ada.send("stop")
        assert reply.title == "No timer is running"
        assert "“call” had already been stopped elsewhere." in reply.lines
        assert fake_toggl.count() == 2

    async def test_second_click_is_harmless(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("start once")
        fake_toggl.reset_log()
        first, second = await asyncio.gather(ada.send("stop"), ada.send("stop"))
        titles = sorted([first.title, second.title])
        assert titles[0] == "No timer is running"
        assert titles[1].startswith("Stopped “once”")
        assert fake_toggl.count(method="PATCH") == 1
        assert all(r.tone is not Tone.ERROR for r in (first, second))


class TestCurrent:
    async def test_shows_elapsed_time_and_a_stop_button(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start reading @Research")
        clock.advance(minutes=90)
        fake_toggl.reset_log()
        reply = await ada.send("current")
        assert reply.title == "“reading”"
        assert reply.lines[0] == "Running for 1h 30m (since 11:00)"  # Berlin time
        assert [b.command for b in reply.buttons] == ["stop"]
        assert fake_toggl.count() == 1

    async def test_nothing_running_offers_continue(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("start a")
        await ada.send("stop")
        reply = await ada.send("status")
        assert reply.title == "No timer is running"
        assert [b.command for b in reply.buttons] == ["continue"]


class TestContinue:
    async def test_restarts_the_remembered_entry_in_one_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start review @Website #meeting")
        clock.advance(minutes=30)
        await ada.send("stop")
        clock.advance(minutes=10)
        fake_toggl.reset_log()
        reply = await ada.send("continue")
        assert reply.title == "Continued “review”"
        assert fake_toggl.count() == 1
        running = fake_toggl.running(user_id(fake_toggl))
        assert running is not None and running.description == "review"
        assert list(running.tags) == ["meeting"]

    async def test_without_memory_it_asks_toggl_once_more(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        fake_toggl.add_entry(user_id(fake_toggl), fake_toggl.workspace_ids()[0], "old task",
                             start=clock() - timedelta(hours=2), stop=clock() - timedelta(hours=1))
        reply = await ada.send("continue")
        assert reply.title == "Continued “old task”"
        assert fake_toggl.count() == 2

    async def test_with_nothing_ever_tracked_it_says_so(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("continue")
        assert reply.title == "Nothing to continue yet"

    async def test_when_it_still_runs_it_says_so(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("start ongoing")
        fake_toggl.reset_log()
        reply = await ada.send("continue")
        assert reply.title == "“ongoing” is already running"
        assert fake_toggl.count() == 1
        assert len(fake_toggl.entries(user_id(fake_toggl))) == 1
