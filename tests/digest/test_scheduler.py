"""The scheduler with a controllable clock: due times, DST, catch-up, crashes and failures."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from bot.digest.build import DigestBuilder
from bot.digest.model import Channel, Schedule
from bot.digest.ports import DeliveryRejected
from bot.digest.scheduler import Scheduler
from bot.emulator import TogglEmulator
from bot.replies import Reply, Tone
from bot.store.schema import DigestRunRow
from bot.testing.clock import ManualClock
from tests.digest.conftest import Stores
from tests.digest.helpers import FakeSender, add_member, at

BERLIN_18 = Schedule(time(18), "Europe/Berlin")


async def subscribe(stores: Stores, channel: str, schedule: Schedule = BERLIN_18) -> int:
    digest = await stores.digests.subscribe(Channel("slack", "T1", channel), schedule)
    return digest.id


async def statuses(stores: Stores) -> dict[tuple[int, date], str]:
    async with stores.accounts.engine.connect() as conn:
        rows = (await conn.execute(select(DigestRunRow.__table__))).all()
    return {(r.digest_id, r.local_date): r.status for r in rows}


class TestDueTimes:
    async def test_posts_once_at_the_local_time(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock,
        fake_toggl: TogglEmulator,
    ) -> None:
        digest_id = await subscribe(stores, "C1")
        key, _ = await add_member(fake_toggl, stores.accounts, "ada", "Ada Lovelace")
        await stores.digests.join(digest_id, key)
        assert await scheduler.run_once(at("2026-11-24T16:59+00:00")) == {}
        clock.set(at("2026-11-24T17:00+00:00"))
        assert await scheduler.run_once() == {"posted": 1}
        assert await scheduler.run_once() == {}
        clock.advance(minutes=30)
        assert await scheduler.run_once() == {}
        assert sender.channels() == ["C1"]
        assert sender.sent[0].reply.title == "Daily digest · Tue 24 Nov"
        assert await statuses(stores) == {(digest_id, date(2026, 11, 24)): "posted"}

    async def test_the_same_local_time_across_the_spring_change(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender
    ) -> None:
        await subscribe(stores, "C1")
        assert await scheduler.run_once(at("2026-03-28T17:00+00:00")) == {"posted": 1}
        assert await scheduler.run_once(at("2026-03-29T15:59+00:00")) == {}
        assert await scheduler.run_once(at("2026-03-29T16:00+00:00")) == {"posted": 1}
        assert [s.reply.title for s in sender.sent] == [
            "Daily digest · Sat 28 Mar", "Daily digest · Sun 29 Mar"
        ]

    async def test_the_same_local_time_across_the_autumn_change(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender
    ) -> None:
        await subscribe(stores, "C1")
        assert await scheduler.run_once(at("2026-10-24T16:00+00:00")) == {"posted": 1}
        assert await scheduler.run_once(at("2026-10-25T16:00+00:00")) == {}
        assert await scheduler.run_once(at("2026-10-25T17:00+00:00")) == {"posted": 1}

    async def test_a_missing_local_time_fires_once_at_the_next_valid_minute(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender
    ) -> None:
        await subscribe(stores, "C1", Schedule(time(2, 30), "Europe/Berlin"))
        assert await scheduler.run_once(at("2026-03-29T00:59+00:00")) == {}  # 01:59 local
        assert await scheduler.run_once(at("2026-03-29T01:00+00:00")) == {"posted": 1}  # 03:00
        assert await scheduler.run_once(at("2026-03-29T01:30+00:00")) == {}
        assert len(sender.sent) == 1

    async def test_a_late_worker_catches_up_today_but_never_yesterday(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender
    ) -> None:
        await subscribe(stores, "C1")
        await subscribe(stores, "C2")
        # Down all evening; started at 00:30 Berlin time: the 24th is gone for good.
        assert await scheduler.run_once(at("2026-11-24T23:30+00:00")) == {}
        # ... and a worker up at 23:50 on the 25th posts the 25th.
        assert await scheduler.run_once(at("2026-11-25T22:50+00:00")) == {"posted": 2}
        assert {s.reply.title for s in sender.sent} == {"Daily digest · Wed 25 Nov"}

    async def test_weekdays_only_and_disabled_digests(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender
    ) -> None:
        await subscribe(stores, "C1", Schedule(time(18), "Europe/Berlin", weekdays_only=True))
        await subscribe(stores, "C2")
        await stores.digests.disable(Channel("slack", "T1", "C2"))
        assert await scheduler.run_once(at("2026-11-28T17:00+00:00")) == {}  # Saturday
        assert await scheduler.run_once(at("2026-11-30T17:00+00:00")) == {"posted": 1}
        assert sender.channels() == ["C1"]


class TestCrashes:
    async def test_a_claim_left_by_a_dead_worker_is_posted_after_its_lease(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        digest_id = await subscribe(stores, "C1")
        now = clock.set(at("2026-11-24T17:00+00:00"))
        dead = await stores.runs.claim(
            digest_id, date(2026, 11, 24), "dead", now, now + timedelta(minutes=2), 5
        )
        assert dead is not None  # ... and then the process died, before sending
        assert await scheduler.run_once() == {}
        clock.advance(minutes=2, seconds=1)
        assert await scheduler.run_once() == {"posted": 1}
        assert sender.channels() == ["C1"]

    async def test_a_worker_that_stalled_past_its_lease_does_not_send(
        self, stores: Stores, clock: ManualClock
    ) -> None:
        digest_id = await subscribe(stores, "C1")
        now = clock.set(at("2026-11-24T17:00+00:00"))
        day, lease = date(2026, 11, 24), timedelta(minutes=2)
        slow = await stores.runs.claim(digest_id, day, "slow", now, now + lease, 5)
        later = now + lease + timedelta(seconds=1)
        fast = await stores.runs.claim(digest_id, day, "fast", later, later + lease, 5)
        assert slow is not None and fast is not None and fast.attempt == 2
        assert not await stores.runs.start_sending(slow, later + lease)
        assert await stores.runs.start_sending(fast, later + lease)

    async def test_a_send_interrupted_by_a_crash_is_not_repeated(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        digest_id = await subscribe(stores, "C1")
        now = clock.set(at("2026-11-24T17:00+00:00"))
        day = date(2026, 11, 24)
        dead = await stores.runs.claim(digest_id, day, "dead", now, now + timedelta(minutes=2), 5)
        assert dead is not None
        assert await stores.runs.start_sending(dead, now + timedelta(minutes=2))
        # ... it died with the message maybe in Slack already.
        clock.advance(minutes=3)
        assert await scheduler.run_once() == {"held": 1}
        assert await statuses(stores) == {(digest_id, day): "uncertain"}
        clock.advance(minutes=10)
        assert await scheduler.run_once() == {}
        assert sender.sent == []


class TestFailures:
    async def test_a_refused_post_is_retried_later_then_given_up(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        digest_id = await subscribe(stores, "C1")
        sender.refuse.add("C1")
        clock.set(at("2026-11-24T17:00+00:00"))
        assert await scheduler.run_once() == {"failed": 1}
        assert await scheduler.run_once() == {}  # not before the retry time
        for _ in range(4):
            clock.advance(minutes=5, seconds=1)
            assert await scheduler.run_once() == {"failed": 1}
        clock.advance(minutes=5, seconds=1)
        assert await scheduler.run_once() == {}  # five attempts: given up for today
        assert await statuses(stores) == {(digest_id, date(2026, 11, 24)): "failed"}

    async def test_after_the_last_try_whoever_set_it_up_is_told(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        await stores.digests.subscribe(Channel("slack", "T1", "C1"), BERLIN_18, set_up_by="U7")
        sender.refuse.add("C1")
        clock.set(at("2026-11-24T17:00+00:00"))
        for _ in range(4):
            assert await scheduler.run_once() == {"failed": 1}
            clock.advance(minutes=5, seconds=1)
        assert sender.told == []
        assert await scheduler.run_once() == {"failed": 1}
        [(_, who, notice)] = sender.told
        assert who == "U7" and "refused it 5 times (ratelimited)" in notice.text()
        found = await stores.digests.find(Channel("slack", "T1", "C1"))
        assert found is not None and found.enabled  # a passing problem: tomorrow may work

    async def test_a_refused_post_succeeds_on_retry(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        await subscribe(stores, "C1")
        sender.refuse.add("C1")
        clock.set(at("2026-11-24T17:00+00:00"))
        await scheduler.run_once()
        sender.refuse.clear()
        clock.advance(minutes=5, seconds=1)
        assert await scheduler.run_once() == {"posted": 1}

    async def test_an_unknown_send_outcome_is_never_repeated(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        await subscribe(stores, "C1")
        sender.break_.add("C1")
        clock.set(at("2026-11-24T17:00+00:00"))
        assert await scheduler.run_once() == {"uncertain": 1}
        sender.break_.clear()
        clock.advance(hours=1)
        assert await scheduler.run_once() == {}

    async def test_one_failing_channel_does_not_stop_the_others(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        for channel in ("C1", "C2", "C3"):
            await subscribe(stores, channel)
        sender.refuse.add("C1")
        sender.break_.add("C2")
        clock.set(at("2026-11-24T17:00+00:00"))
        assert await scheduler.run_once() == {"failed": 1, "uncertain": 1, "posted": 1}
        assert sender.channels() == ["C3"]


class TestPermanentRefusals:
    """No access, an archived channel, a missing scope: asking again can't help."""

    async def test_not_retried_and_the_person_who_set_it_up_is_told_privately(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        channel = Channel("slack", "T1", "C1")
        digest = await stores.digests.subscribe(channel, BERLIN_18, set_up_by="U7")
        sender.forbid.add("C1")
        clock.set(at("2026-11-24T17:00+00:00"))
        assert await scheduler.run_once() == {"refused": 1}
        assert await statuses(stores) == {(digest.id, date(2026, 11, 24)): "refused"}
        [(where, who, notice)] = sender.told
        assert (where, who) == (channel, "U7")
        assert notice.tone is Tone.WARNING and not notice.public
        text = notice.text()
        assert "(not_in_channel)" in text and "Invite me." in text
        assert "run /toggl digest at in the channel again" in text
        for _ in range(5):  # not five attempts: none at all, today or later
            clock.advance(minutes=5, seconds=1)
            assert await scheduler.run_once() == {}
        clock.set(at("2026-11-25T17:00+00:00"))
        assert await scheduler.run_once() == {}
        assert len(sender.told) == 1

    async def test_it_is_turned_off_but_keeps_its_members(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock
    ) -> None:
        channel = Channel("slack", "T1", "C1")
        await stores.digests.subscribe(channel, BERLIN_18, set_up_by="U7")
        sender.forbid.add("C1")
        await scheduler.run_once(at("2026-11-24T17:00+00:00"))
        found = await stores.digests.find(channel)
        assert found is not None and not found.enabled and found.set_up_by == "U7"

    async def test_without_anyone_on_record_it_is_only_logged(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        await subscribe(stores, "C1")  # set up before togglbot remembered who did it
        sender.forbid.add("C1")
        assert await scheduler.run_once(at("2026-11-24T17:00+00:00")) == {"refused": 1}
        assert sender.told == []
        assert "nobody on record to tell" in caplog.text

    async def test_a_failing_private_message_is_logged_not_raised(
        self, stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        async def refuse_too(channel: Channel, user_id: str, reply: Reply) -> None:
            raise DeliveryRejected("invalid_auth", permanent=True)

        sender.tell = refuse_too  # type: ignore[method-assign]
        await stores.digests.subscribe(Channel("slack", "T1", "C1"), BERLIN_18, set_up_by="U7")
        sender.forbid.add("C1")
        assert await scheduler.run_once(at("2026-11-24T17:00+00:00")) == {"refused": 1}
        assert "could not tell U7 why (DeliveryRejected)" in caplog.text


class StopAfterPosting(FakeSender):
    def __init__(self, stop: asyncio.Event) -> None:
        super().__init__()
        self.stop = stop

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str:
        self.stop.set()
        return await super().send(platform, team_id, channel_id, reply)


async def test_run_forever_posts_and_stops_when_told(
    stores: Stores, builder: DigestBuilder, clock: ManualClock
) -> None:
    await subscribe(stores, "C1")
    clock.set(at("2026-11-24T17:00+00:00"))
    stop = asyncio.Event()
    sender = StopAfterPosting(stop)
    scheduler = Scheduler(stores.digests, stores.runs, builder, sender, clock)
    await asyncio.wait_for(scheduler.run_forever(stop), timeout=10)
    assert sender.channels() == ["C1"]


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_posts_go_to_the_digests_platform_and_team(
    stores: Stores, scheduler: Scheduler, sender: FakeSender, clock: ManualClock, platform: str
) -> None:
    await stores.digests.subscribe(Channel(platform, "T9", "C7"), BERLIN_18)
    await scheduler.run_once(at("2026-11-24T17:00+00:00"))
    assert [(s.platform, s.team_id, s.channel_id) for s in sender.sent] == [
        (platform, "T9", "C7")
    ]
