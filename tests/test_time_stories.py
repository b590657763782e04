"""Spans across midnight, entries ending after now, and summary and entries agreeing."""

from __future__ import annotations

from datetime import date, time, timedelta

from adapters.console import ConsoleBot
from bot import commands as c
from bot.emulator import TogglEmulator
from bot.replies import Tone
from bot.testing.clock import ManualClock

# The clock: Tuesday 2026-11-24 10:00 UTC, 11:00 in Berlin.


async def _add(bot: ConsoleBot, start: str, stop: str, day: date | None = None) -> str:
    """The typed command once the grammar lets a stop at or before the start through."""
    command = c.AddEntry("Night shift", time.fromisoformat(start), time.fromisoformat(stop), day)
    return (await bot.core.execute(bot.invocation("").key, command)).text()


def _only_entry(fake: TogglEmulator) -> tuple[str, str]:
    [entry] = fake.entries(fake.user_ids()[0])
    return entry.start.isoformat(), entry.stop.isoformat() if entry.stop else ""


class TestNightShifts:
    async def test_a_stop_before_the_start_ends_the_next_morning(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        text = await _add(ada, "23:00", "01:00", date(2026, 11, 20))
        assert "Added" in text and "(2h 00m)" in text, text
        assert _only_entry(fake_toggl) == ("2026-11-20T22:00:00+00:00",
                                           "2026-11-21T00:00:00+00:00")

    async def test_without_a_day_it_means_last_night(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        text = await _add(ada, "23:00", "01:00")
        assert "Added" in text, text
        assert _only_entry(fake_toggl) == ("2026-11-23T22:00:00+00:00",
                                           "2026-11-24T00:00:00+00:00")


class TestTheFuture:
    async def test_an_entry_ending_after_now_is_flagged(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("add Later 14:00-15:00")
        assert reply.tone is Tone.WARNING
        assert "Note: it ends in the future (Tue 24 Nov 15:00)" in reply.text(), reply.text()
        assert (await ada.send("add Earlier 09:00-10:00")).tone is Tone.SUCCESS

    async def test_summary_and_entries_tell_the_same_story(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        """A finished entry Toggl has ending after now (e.g. typed in Toggl's own app)."""
        user = fake_toggl.user(fake_toggl.user_ids()[0])
        now = clock()
        wid = user.default_workspace_id
        hour = timedelta(hours=1)
        fake_toggl.add_entry(user, wid, "Morning", now - 2 * hour, now - hour)
        fake_toggl.add_entry(user, wid, "Booked", now - timedelta(minutes=10),
                             now + timedelta(minutes=20))
        listed = await ada.send("entries today")
        summary = await ada.send("summary today")
        assert listed.title.endswith("(2)")
        assert "Total 1h 30m in 2 entries" in summary.text(), summary.text()
        assert "ends in the future" in listed.text()
