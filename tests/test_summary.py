"""summary: one call, totals by project and client in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.console import ConsoleBot
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def fields(reply: object) -> dict[str, str]:
    return {f.label: f.value for f in reply.fields}  # type: ignore[attr-defined]


class TestSummary:
    async def test_today_groups_by_project_and_client_in_one_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        uid, wid = fake_toggl.user_ids()[0], fake_toggl.workspace_ids()[0]
        projects = {p.name: p.id for p in fake_toggl.projects(wid)}
        fake_toggl.add_entry(uid, wid, "a", start=at(7), stop=at(8, 5),
                             project_id=projects["Website"])
        fake_toggl.add_entry(uid, wid, "b", start=at(8, 30), stop=at(9),
                             project_id=projects["Research"])
        fake_toggl.add_entry(uid, wid, "c", start=at(9), stop=at(9, 20))
        fake_toggl.add_entry(uid, wid, "running", start=at(9, 30),
                             project_id=projects["Research"])
        reply = await ada.send("summary")
        assert fake_toggl.count() == 1
        assert reply.title == "Today · Tue 24 Nov"
        assert fields(reply) == {
            "Website · Acme": "1h 05m",
            "Research · Globex": "1h 00m (running)",
            "(no project)": "20m",
        }
        assert reply.lines[0] == "Total 2h 25m in 4 entries"
        assert "By client: Acme 1h 05m, Globex 1h 00m" in reply.lines
        assert [b.command for b in reply.buttons] == ["stop"]

    async def test_days_follow_the_users_time_zone(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        uid, wid = fake_toggl.user_ids()[0], fake_toggl.workspace_ids()[0]
        # 23:30 UTC on the 23rd is 00:30 on the 24th in Berlin: today, not yesterday.
        fake_toggl.add_entry(uid, wid, "late", start=at(23, 30, day=23), stop=at(23, 50, day=23))
        fake_toggl.add_entry(uid, wid, "earlier", start=at(20, day=23), stop=at(21, day=23))
        today = await ada.send("summary today")
        yesterday = await ada.send("summary yesterday")
        assert today.lines[0] == "Total 20m in 1 entry"
        assert yesterday.lines[0] == "Total 1h 00m in 1 entry"

    async def test_week_and_ranges(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        uid, wid = fake_toggl.user_ids()[0], fake_toggl.workspace_ids()[0]
        fake_toggl.add_entry(uid, wid, "monday", start=at(8, day=23), stop=at(10, day=23))
        fake_toggl.add_entry(uid, wid, "last week", start=at(8, day=20), stop=at(9, day=20))
        week = await ada.send("summary week")
        assert week.title.startswith("This week · Mon 23 Nov")
        assert week.lines[0] == "Total 2h 00m in 1 entry"
        span = await ada.send("summary 2026-11-20..2026-11-23")
        assert span.lines[0] == "Total 3h 00m in 2 entries"
        assert fake_toggl.count() == 2

    async def test_an_empty_day_says_so(self, ada: ConsoleBot) -> None:
        reply = await ada.send("summary")
        assert reply.lines == ("Nothing tracked.",)

    async def test_summary_teaches_the_bot_what_runs(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        uid, wid = fake_toggl.user_ids()[0], fake_toggl.workspace_ids()[0]
        fake_toggl.add_entry(uid, wid, "started on the phone", start=clock() - timedelta(minutes=5))
        await ada.send("summary")
        fake_toggl.reset_log()
        reply = await ada.send("stop")
        assert reply.title.startswith("Stopped “started on the phone”")
        assert fake_toggl.count() == 1
