"""Whole days on a fake clock: what is sent when, and what it costs in Toggl requests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from pydantic import SecretStr

from bot.core import Invocation
from bot.domain import Quota
from bot.remind.model import Hours, Settings
from tests.remind.conftest import ALL_ON, World


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def sent_at(world: World) -> list[tuple[str, str]]:
    return [(r.title.split(" ")[1] if r.title.startswith("Your") else r.title[:9],
             f"{when:%H:%M}") for _, r, when in world.sender.sent]


class TestAWorkingDay:
    async def test_each_reminder_once_for_four_toggl_requests(self, world: World) -> None:
        """Berlin (UTC+1), 09:00-17:30: a timer started elsewhere at 09:00 runs away,
        is stopped elsewhere at 12:30, and the afternoon goes untracked."""
        world.clock.set(utc("2026-11-24T05:00"))  # a Tuesday, 06:00 in Berlin
        _, user = await world.person("U1", ALL_ON)
        await world.run_until(utc("2026-11-24T08:00"))
        entry = world.fake.add_entry(user, user.default_workspace_id, "Deep work",
                                     start=utc("2026-11-24T08:00"))
        await world.run_until(utc("2026-11-24T11:30"))
        world.fake.stop_entry(entry.id, utc("2026-11-24T11:30"))
        await world.run_until(utc("2026-11-25T05:00"))

        [running, idle, recap] = [r for _, r, _ in world.sender.sent]
        assert [f"{w:%H:%M}" for *_, w in world.sender.sent] == ["11:00", "13:00", "16:45"]
        assert running.title == "Your timer has been running for 3h 00m"
        assert [b.command for b in running.buttons] == [
            "stop", "edit last stop 17:30", "remind ok running", "remind snooze today"]
        assert idle.title == "No timer running for 1h 30m"
        assert idle.buttons[0].label == "Continue: Deep work"
        assert "Not tracked in your working hours: 12:30–17:30." in recap.lines
        assert [b.command for b in recap.buttons] == [
            "add Missing time 12:30-17:30 2026-11-24"]
        # 09:30 (idle could be due: a timer is running), 12:00, 14:00, 17:45.
        assert world.fake.count() == 4

    async def test_nothing_on_a_day_off_and_no_requests(self, world: World) -> None:
        world.clock.set(utc("2026-11-28T05:00"))  # a Saturday
        await world.person("U1", ALL_ON)
        await world.run_until(utc("2026-11-29T05:00"), step=timedelta(minutes=5))
        assert world.sender.sent == [] and world.fake.count() == 0

    async def test_nothing_outside_working_hours(self, world: World) -> None:
        world.clock.set(utc("2026-11-24T05:00"))
        await world.person("U1", replace(ALL_ON, recap=None))
        await world.run_until(utc("2026-11-24T07:59"))
        assert world.sender.sent == [] and world.fake.count() == 0
        await world.run_until(utc("2026-11-24T08:30"))
        assert [f"{w:%H:%M}" for *_, w in world.sender.sent] == ["08:30"]

    async def test_the_dst_day_keeps_wall_clock_times(self, world: World) -> None:
        """Sunday 29 March 2026: Berlin moves to UTC+2 at 02:00; 23 hours in the day."""
        world.clock.set(utc("2026-03-28T23:00"))
        daily = replace(ALL_ON, hours=Hours(time(9), time(17, 30), frozenset(range(7))))
        await world.person("U1", daily)
        await world.run_until(utc("2026-03-29T22:00"), step=timedelta(minutes=1))
        # idle at 09:30 CEST and the recap at 17:45 CEST, in UTC two hours earlier.
        assert [f"{w:%H:%M}" for *_, w in world.sender.sent] == ["07:30", "15:45"]
        # 09:30 (idle), then a timer started elsewhere is looked for every 3 hours
        # (12:30, 15:30), then the recap: all at CEST wall-clock times.
        assert [f"{r.at:%H:%M}" for r in world.fake.requests] == [
            "07:30", "10:30", "13:30", "15:45"]

    async def test_a_snooze_for_today_holds_everything_until_tomorrow(
        self, world: World
    ) -> None:
        world.clock.set(utc("2026-11-24T08:10"))
        await world.person("U1", ALL_ON)
        reply = await world.core().dispatch(Invocation("slack", "T1", "U1", "remind snooze today"))
        assert reply.title == "Reminders snoozed for the rest of today"
        await world.run_until(utc("2026-11-25T05:00"), step=timedelta(minutes=5))
        assert world.sender.sent == [] and world.fake.count() == 0
        await world.run_until(utc("2026-11-25T08:35"))
        assert world.sender.titles() == ["No timer running for 30m"]

    async def test_keep_going_settles_the_reminder_for_the_day(self, world: World) -> None:
        world.clock.set(utc("2026-11-24T08:00"))
        await world.person("U1", replace(ALL_ON, recap=None))
        await world.core().dispatch(Invocation("slack", "T1", "U1", "remind ok idle"))
        await world.run_until(utc("2026-11-24T17:00"), step=timedelta(minutes=5))
        assert "No timer" not in " ".join(world.sender.titles())

    async def test_what_the_bot_started_and_stopped_is_used_at_once(
        self, world: World
    ) -> None:
        """Started and stopped through the bot: the idle reminder is planned from the stop
        (10:00 + 30m), not from the plan made while the timer ran, and one request
        confirms it."""
        world.clock.set(utc("2026-11-24T08:00"))  # 09:00 in Berlin
        await world.person("U1", replace(ALL_ON, recap=None))
        await world.core().dispatch(Invocation("slack", "T1", "U1", "start Review"))
        await world.run_until(utc("2026-11-24T09:00"))
        await world.core().dispatch(Invocation("slack", "T1", "U1", "stop"))
        world.fake.reset_log()
        await world.run_until(utc("2026-11-24T10:30"))
        assert [f"{w:%H:%M}" for *_, w in world.sender.sent] == ["09:30"]
        assert world.fake.count() == 1


class TestQuotaFirst:
    async def test_a_person_low_on_quota_is_skipped_then_reminded(self, world: World) -> None:
        world.clock.set(utc("2026-11-24T16:40"))
        key, _ = await world.person("U1", Settings(Hours(time(9), time(17, 30)),
                                                   recap=time(17, 45)))
        account = await world.accounts.get_account(key)
        assert account is not None
        account.me_quota = Quota(5, utc("2026-11-24T17:10"))
        await world.accounts.save_account(account)
        await world.run_until(utc("2026-11-24T17:09"))
        assert world.sender.sent == [] and world.fake.count() == 0
        await world.run_until(utc("2026-11-24T17:12"))
        assert [f"{w:%H:%M}" for *_, w in world.sender.sent] == ["17:10"]
        assert world.fake.count() == 1

    async def test_a_spent_quota_is_waited_out_not_hammered(self, world: World) -> None:
        """Another app spent the hour's quota: Toggl answers 402, and reminders wait for
        the reset it announces instead of asking every minute."""
        world.clock.set(utc("2026-11-24T16:40"))
        _, user = await world.person("U1", Settings(Hours(time(9), time(17, 30)),
                                                    recap=time(17, 45)))
        world.fake.set_quota(1)
        await world.toggl.session(SecretStr(user.token)).current_entry()  # another app
        world.fake.reset_log()
        await world.run_until(utc("2026-11-24T17:39"))
        assert world.sender.sent == []
        assert world.fake.count() == 1  # 16:45, then nothing until the announced reset
        await world.run_until(utc("2026-11-24T17:50"))
        assert [f"{w:%H:%M}" for *_, w in world.sender.sent] == ["17:40"]  # the reset
        assert world.fake.count() == 2

    async def test_the_workspace_quota_counts_too(self, world: World) -> None:
        world.clock.set(utc("2026-11-24T16:40"))
        key, _ = await world.person("U1", Settings(Hours(time(9), time(17, 30)),
                                                   recap=time(17, 45)))
        account = await world.accounts.get_account(key)
        assert account is not None
        account.quota = Quota(3, utc("2026-11-24T18:00"))
        await world.accounts.save_account(account)
        await world.run_until(utc("2026-11-24T17:30"))
        assert world.sender.sent == [] and world.fake.count() == 0

    async def test_never_more_than_eight_requests_a_day(self, world: World) -> None:
        """A timer that is started and stopped elsewhere all day long."""
        world.clock.set(utc("2026-11-24T05:00"))
        daily = replace(ALL_ON, running=timedelta(minutes=30), idle=timedelta(minutes=5))
        _, user = await world.person("U1", daily)
        wid = user.default_workspace_id
        for hour in range(8, 17):
            entry = world.fake.add_entry(user, wid, "Bits", start=utc(f"2026-11-24T{hour:02d}:00"))
            await world.run_until(utc(f"2026-11-24T{hour:02d}:20"))
            world.fake.stop_entry(entry.id)
            await world.run_until(utc(f"2026-11-24T{hour:02d}:59"))
        await world.run_until(utc("2026-11-25T05:00"))
        assert world.fake.count() <= 8
        assert any(t.startswith("Your day") for t in world.sender.titles())  # kept for it


class TestTokenRejected:
    async def test_told_once_then_quiet(self, world: World) -> None:
        world.clock.set(utc("2026-11-24T05:00"))
        key, _ = await world.person("U1", ALL_ON)
        account = await world.accounts.get_account(key)
        assert account is not None
        account.token = SecretStr("revoked-elsewhere-0000000")  # Toggl no longer knows it
        await world.accounts.save_account(account)
        await world.run_until(utc("2026-11-26T05:00"), step=timedelta(minutes=5))
        assert world.sender.titles() == [
            "Toggl rejected your saved token, so your reminders are paused"]
        assert world.fake.count() == 1


class TestOptOut:
    async def test_off_deletes_the_settings_and_nothing_is_sent(self, world: World) -> None:
        world.clock.set(utc("2026-11-24T08:00"))
        key, _ = await world.person("U1", ALL_ON)
        reply = await world.core().dispatch(Invocation("slack", "T1", "U1", "remind off"))
        assert reply.title == "Reminders off"
        assert await world.reminders.get(key) is None
        await world.run_until(utc("2026-11-24T17:00"), step=timedelta(minutes=5))
        assert world.sender.sent == [] and world.fake.count() == 0

    async def test_logout_deletes_them_too(self, world: World) -> None:
        key, _ = await world.person("U1", ALL_ON)
        await world.core().dispatch(Invocation("slack", "T1", "U1", "logout"))
        assert await world.reminders.get(key) is None
