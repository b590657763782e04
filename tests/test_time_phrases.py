"""Time as people say it (#17): start late, stop early, switch, durations, pick up again.

Ada's Toggl time zone is Europe/Berlin; the clock starts on Tuesday 2026-11-24 at 10:00 UTC
(11:00 in Berlin). Each command's Toggl requests are counted by the emulator.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.console import ConsoleBot
from bot import commands as c
from bot.dialects.text import parse
from bot.emulator import TogglEmulator
from bot.errors import UsageError
from bot.grammar.phrases import parse_duration, when_suggestions
from bot.replies import Tone
from bot.testing.clock import ManualClock

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def ada_id(fake: TogglEmulator) -> int:
    return fake.user_ids()[0]


class TestStartInThePast:
    async def test_minutes_ago_is_one_request(self, ada: ConsoleBot,
                                             fake_toggl: TogglEmulator) -> None:
        reply = await ada.send("start Standup @Website 15m ago")
        assert reply.tone is Tone.SUCCESS and reply.title == "Started “Standup”"
        assert "Running since 10:45." in reply.lines
        running = fake_toggl.running(ada_id(fake_toggl))
        assert running is not None and running.start == NOW - timedelta(minutes=15)
        assert fake_toggl.count() == 1

    async def test_at_a_clock_time_in_their_zone(self, ada: ConsoleBot,
                                                 fake_toggl: TogglEmulator) -> None:
        await ada.send("start Planning at 9:30")
        running = fake_toggl.running(ada_id(fake_toggl))
        assert running is not None and running.start == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)

    async def test_since_reads_like_at(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        await ada.send("start Planning since 10:15")
        running = fake_toggl.running(ada_id(fake_toggl))
        assert running is not None and running.start == datetime(2026, 11, 24, 9, 15, tzinfo=UTC)

    async def test_the_future_is_refused_without_a_request(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("start Lunch at 12:30")
        assert reply.tone is Tone.ERROR and "can't start in the future" in reply.title
        assert fake_toggl.count() == 0

    async def test_an_overlap_with_the_last_entry_is_allowed_and_said(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start Email")
        clock.advance(minutes=30)
        await ada.send("stop")
        reply = await ada.send("start Call 45m ago")
        assert reply.tone is Tone.SUCCESS
        assert any("overlaps your last entry “Email”, which ended at 11:30" in line
                   for line in reply.lines)

    def test_at_without_a_clock_is_just_words(self) -> None:
        assert parse("start Meeting at the office") == c.Start("Meeting at the office")
        assert parse("start Long ago") == c.Start("Long ago")


class TestStopInThePast:
    async def test_minutes_ago_is_one_put_with_the_stop_time(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start Review")
        clock.advance(hours=1)
        fake_toggl.reset_log()
        reply = await ada.send("stop 10m ago")
        assert reply.title == "Stopped “Review” after 50m"
        assert fake_toggl.count() == 1 and fake_toggl.count("PUT") == 1
        [entry] = fake_toggl.entries(ada_id(fake_toggl))
        assert entry.stop == NOW + timedelta(minutes=50)

    async def test_at_a_clock_time(self, ada: ConsoleBot, fake_toggl: TogglEmulator,
                                   clock: ManualClock) -> None:
        await ada.send("start Review")
        clock.advance(hours=2)
        reply = await ada.send("stop at 12:30")
        assert reply.title == "Stopped “Review” after 1h 30m"

    @pytest.mark.parametrize("text", ["stop at 10:30", "stop at 13:30", "stop 2h ago"])
    async def test_before_the_start_or_in_the_future_is_a_usage_error(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock, text: str
    ) -> None:
        await ada.send("start Review")
        clock.advance(hours=1)
        fake_toggl.reset_log()
        reply = await ada.send(text)
        assert reply.tone is Tone.ERROR and reply.usage.startswith("stop")
        assert fake_toggl.count() == 0
        assert fake_toggl.running(ada_id(fake_toggl)) is not None


class TestSwitch:
    async def test_stops_the_running_timer_and_starts_the_next(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start Review")
        clock.advance(minutes=72)
        fake_toggl.reset_log()
        reply = await ada.send("switch Standup @Website #meeting")
        assert reply.title == "Stopped “Review” (1h 12m) · Started “Standup”"
        assert fake_toggl.count("POST") == 1  # Toggl stops the running one itself
        assert fake_toggl.count() == 2  # + one look, so the duration is Toggl's own
        running = fake_toggl.running(ada_id(fake_toggl))
        assert running is not None and running.description == "Standup"

    async def test_with_nothing_running_it_just_starts(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("switch Standup")
        assert reply.title == "Started “Standup”" and "Nothing was running." in reply.lines
        assert fake_toggl.count() == 1


class TestDurations:
    @pytest.mark.parametrize(("text", "minutes"), [
        ("2h", 120), ("90m", 90), ("1h30", 90), ("1h30m", 90), ("1:30", 90), ("1.5h", 90),
        ("15 min", 15), ("2 hours", 120),
    ])
    def test_every_way_to_say_it(self, text: str, minutes: int) -> None:
        assert parse_duration(text) == timedelta(minutes=minutes)

    @pytest.mark.parametrize("text", ["15 parsecs", "0m", "1h75", "h", "9999h"])
    def test_nonsense_is_refused_with_examples(self, text: str) -> None:
        with pytest.raises(UsageError) as refused:
            parse_duration(text)
        assert "2h" in refused.value.message or "between a minute" in refused.value.message

    async def test_a_duration_alone_ends_now(self, ada: ConsoleBot,
                                            fake_toggl: TogglEmulator) -> None:
        reply = await ada.send("add Support call 45m @Website")
        assert reply.tone is Tone.SUCCESS
        [entry] = fake_toggl.entries(ada_id(fake_toggl))
        assert (entry.start, entry.stop) == (NOW - timedelta(minutes=45), NOW)
        assert fake_toggl.count() == 1

    async def test_a_day_and_a_start(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        await ada.send("add Workshop 1h30 yesterday at 14:00")
        [entry] = fake_toggl.entries(ada_id(fake_toggl))
        assert entry.start == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
        assert entry.stop == datetime(2026, 11, 23, 14, 30, tzinfo=UTC)

    async def test_a_past_day_without_a_time_asks_for_one(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("add Workshop 2h yesterday")
        assert reply.tone is Tone.ERROR and "Say when it started" in reply.title
        assert fake_toggl.count() == 0

    async def test_elapsed_time_across_a_dst_change(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        # 28 Mar 2027: Berlin's clocks jump from 02:00 to 03:00; 01:30 + 3h reads 05:30.
        clock.set(datetime(2027, 3, 29, 10, 0, tzinfo=UTC))
        reply = await ada.send("add Night shift 3h 2027-03-28 at 01:30")
        assert reply.tone is Tone.SUCCESS, reply.title
        [entry] = fake_toggl.entries(ada_id(fake_toggl))
        assert entry.start == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
        assert entry.stop is not None and entry.stop - entry.start == timedelta(hours=3)

    def test_night_shift_ends_the_next_morning(self) -> None:
        added = parse("add Night shift 23:00-01:00")
        assert isinstance(added, c.AddEntry) and added.stop is not None
        assert added.stop < added.start  # the handler moves it to the next day


class TestPickUp:
    async def _track(self, ada: ConsoleBot, clock: ManualClock, *texts: str) -> None:
        for text in texts:
            await ada.send(f"start {text}")
            clock.advance(minutes=20)
        await ada.send("stop")

    async def test_recent_lists_five_different_entries_from_memory(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await self._track(ada, clock, "Code review @Website #billable", "Email", "Standup",
                          "Code review @Website #billable", "Design", "Research", "Support")
        fake_toggl.reset_log()
        reply = await ada.send("recent")
        assert fake_toggl.count() == 0
        assert [line.split("”")[0] for line in reply.lines] == [
            "“Support", "“Research", "“Design", "“Code review", "“Standup"]
        assert len(reply.buttons) == 5
        assert all(b.label.startswith("Continue “") for b in reply.buttons)

    async def test_a_new_memory_looks_once(self, ada: ConsoleBot,
                                           fake_toggl: TogglEmulator) -> None:
        fake_toggl.add_entry(ada_id(fake_toggl), fake_toggl.workspace_ids()[0],
                             "Done in Toggl's app", NOW - timedelta(hours=2),
                             NOW - timedelta(hours=1))
        fake_toggl.reset_log()
        reply = await ada.send("recent")
        assert reply.lines == ("“Done in Toggl's app”",)
        assert fake_toggl.count() == 1

    async def test_continue_picks_the_best_match_in_one_request(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await self._track(ada, clock, "Code review @Website #billable", "Email")
        fake_toggl.reset_log()
        reply = await ada.send("continue review")
        assert reply.title == "Continued “Code review”"
        assert "Website · Acme" in reply.lines[0] and "#billable" in reply.lines[0]
        assert fake_toggl.count() == 1

    async def test_an_ambiguous_match_lists_the_candidates_as_buttons(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await self._track(ada, clock, "Review budget", "Review design", "Email")
        fake_toggl.reset_log()
        reply = await ada.send("continue review")
        assert "matches 2 recent entries" in reply.title
        assert fake_toggl.count() == 0
        chosen = await ada.send(reply.buttons[1].command)
        assert chosen.title == "Continued “Review budget”"

    async def test_no_match_says_what_there_is(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await self._track(ada, clock, "Email")
        reply = await ada.send("continue gardening")
        assert reply.tone is Tone.WARNING and "Nothing recent matches “gardening”" in reply.title
        assert "“Email”" in reply.title


class TestEverywhere:
    @pytest.mark.parametrize("text", ["start x 15 parsecs ago", "stop at 25:00",
                                      "add x 1h75", "stop yesterday ago"])
    def test_nonsense_is_a_usage_error_never_a_guess(self, text: str) -> None:
        with pytest.raises(UsageError):
            parse(text)

    def test_discord_offers_phrases_as_people_type_them(self) -> None:
        assert when_suggestions("")[:3] == ["5m ago", "10m ago", "15m ago"]
        assert when_suggestions("20m")[0] == "20m ago"
        assert when_suggestions("at 9")[:2] == ["at 09:00", "at 09:30"]
        assert when_suggestions("9:45")[0] == "at 09:45"

    async def test_help_teaches_each_phrase_with_an_example(self, bot: ConsoleBot) -> None:
        shown = (await bot.send("help start")).text() + (await bot.send("help stop")).text()
        shown += (await bot.send("help add")).text()
        for phrase in ("15m ago", "at 9:30", "stop 10m ago", "stop at 17:30", "45m",
                       "1h30 yesterday at 14:00", "23:00-01:00"):
            assert phrase in shown, phrase
