"""The digest message: one Toggl call per member, a section each, a team total, a chart."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, time, timedelta

import pytest
from PIL import Image

from bot.digest.build import DigestBuilder
from bot.digest.chart import chart_size, render_chart
from bot.digest.model import Channel, Digest, Schedule
from bot.domain import Quota, UserKey
from bot.emulator import FakeUser, TogglEmulator
from bot.pacing import Pacer
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.digest.conftest import Stores
from tests.digest.helpers import add_member, at, no_sleep

TODAY = date(2026, 11, 24)
CHANNEL = Channel("slack", "T1", "C1")
ENTRIES = "/me/time_entries"


async def digest_of(stores: Stores, *keys: UserKey) -> Digest:
    digest = await stores.digests.subscribe(CHANNEL, Schedule(time(18), "Europe/Berlin"))
    for key in keys:
        await stores.digests.join(digest.id, key)
    found = await stores.digests.find(CHANNEL)
    assert found is not None
    return found


def track(fake: TogglEmulator, user: FakeUser, project: str, client: str | None,
          start: str, minutes: int | None, description: str = "work") -> None:
    wid = user.default_workspace_id
    client_id = fake.add_client(wid, client).id if client else None
    project_id = fake.add_project(wid, project, client_id).id
    begin = at(start)
    stop = begin + timedelta(minutes=minutes) if minutes is not None else None
    fake.add_entry(user, wid, description, begin, stop, project_id=project_id)


@pytest.fixture
async def team(
    stores: Stores, fake_toggl: TogglEmulator, clock: ManualClock
) -> tuple[UserKey, UserKey, UserKey]:
    """Ada tracked 2h 30m (running), Bob 45m, Carol nothing. It's 18:00 in Berlin."""
    clock.set(at("2026-11-24T17:00+00:00"))
    ada_key, ada = await add_member(fake_toggl, stores.accounts, "ada", "Ada Lovelace")
    bob_key, bob = await add_member(fake_toggl, stores.accounts, "bob", "Bob Babbage")
    carol_key, _ = await add_member(fake_toggl, stores.accounts, "carol", "Carol Cray")
    track(fake_toggl, ada, "Research", "Globex", "2026-11-24T08:00+00:00", 60)
    track(fake_toggl, ada, "Website", "Acme", "2026-11-24T15:30+00:00", None, "header")
    track(fake_toggl, bob, "Support", None, "2026-11-24T09:00+00:00", 45)
    track(fake_toggl, bob, "Support", None, "2026-11-23T09:00+00:00", 300)  # yesterday
    fake_toggl.reset_log()
    return ada_key, bob_key, carol_key


class TestMessage:
    async def test_sections_team_total_and_idle_members(
        self, stores: Stores, builder: DigestBuilder, team: tuple[UserKey, ...],
        fake_toggl: TogglEmulator,
    ) -> None:
        reply = await builder.build(await digest_of(stores, *team), TODAY)
        assert reply.public
        assert reply.text() == "\n".join([
            "Daily digest · Tue 24 Nov",
            "Team total 3h 15m · 2 of 3 members tracked time",
            "Nothing tracked: Carol Cray",
            "  Ada Lovelace · 2h 30m ⏱  Website · Acme 1h 30m (running)"
            "\nResearch · Globex 1h 00m\nClients: Acme 1h 30m, Globex 1h 00m",
            "  Bob Babbage · 45m        Support 45m",
        ])
        assert fake_toggl.count("GET", ENTRIES) == 3  # one call per member

    async def test_an_empty_day_is_one_line(
        self, stores: Stores, builder: DigestBuilder, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        clock.set(at("2026-11-24T17:00+00:00"))
        key, _ = await add_member(fake_toggl, stores.accounts, "ada", "Ada Lovelace")
        reply = await builder.build(await digest_of(stores, key), TODAY)
        assert reply.text() == "Daily digest · Tue 24 Nov\nNobody tracked any time today."
        assert reply.image is None

    async def test_nobody_joined(self, stores: Stores, builder: DigestBuilder) -> None:
        reply = await builder.build(await digest_of(stores), TODAY)
        # The digest is in Slack, so it names the command as Slack takes it.
        assert reply.lines == ("No one has joined this digest yet: `/toggl digest join` "
                               "includes you.",)


class TestMembersWhoCannotBeRead:
    async def test_a_rejected_token_is_listed_and_remembered(
        self, stores: Stores, builder: DigestBuilder, team: tuple[UserKey, ...],
        fake_toggl: TogglEmulator,
    ) -> None:
        bob_key = team[1]
        fake_toggl.inject(403, path=ENTRIES, times=1)
        digest = await digest_of(stores, bob_key)
        reply = await builder.build(digest, TODAY)
        assert [(f.label, f.value) for f in reply.fields] == [
            ("Bob Babbage",
             "needs to connect again (`/toggl login`): Toggl rejected the saved token")
        ]
        saved = await stores.accounts.get_account(bob_key)
        assert saved is not None and not saved.token_valid
        fake_toggl.reset_log()
        await builder.build(digest, TODAY)  # known invalid: no call at all
        assert fake_toggl.count() == 0

    async def test_last_three_requests_are_never_spent(
        self, stores: Stores, builder: DigestBuilder, team: tuple[UserKey, ...],
        fake_toggl: TogglEmulator, clock: ManualClock,
    ) -> None:
        ada_key = team[0]
        ada = await stores.accounts.get_account(ada_key)
        assert ada is not None
        ada.me_quota = Quota(3, clock() + timedelta(minutes=20))
        await stores.accounts.save_account(ada)
        reply = await builder.build(await digest_of(stores, *team), TODAY)
        assert ("Ada Lovelace",
                "skipped to save their last Toggl requests this hour; it resets at 18:20") in [
            (f.label, f.value) for f in reply.fields
        ]
        assert fake_toggl.count("GET", ENTRIES) == 2  # Bob and Carol only

    async def test_a_reset_quota_is_spent_again(
        self, stores: Stores, builder: DigestBuilder, team: tuple[UserKey, ...],
        fake_toggl: TogglEmulator, clock: ManualClock,
    ) -> None:
        ada = await stores.accounts.get_account(team[0])
        assert ada is not None
        ada.me_quota = Quota(1, clock() - timedelta(seconds=1))
        await stores.accounts.save_account(ada)
        await builder.build(await digest_of(stores, team[0]), TODAY)
        assert fake_toggl.count("GET", ENTRIES) == 1

    async def test_the_ledger_is_updated_after_the_call(
        self, stores: Stores, builder: DigestBuilder, team: tuple[UserKey, ...],
        fake_toggl: TogglEmulator, clock: ManualClock,
    ) -> None:
        fake_toggl.set_quota(30)
        await builder.build(await digest_of(stores, team[0]), TODAY)
        ada = await stores.accounts.get_account(team[0])
        assert ada is not None
        assert ada.me_quota == Quota(29, clock() + timedelta(hours=1))

    async def test_a_toggl_outage_for_one_member_spares_the_others(
        self, stores: Stores, builder: DigestBuilder, team: tuple[UserKey, ...],
        fake_toggl: TogglEmulator,
    ) -> None:
        fake_toggl.inject(503, path=ENTRIES, times=3)  # all retries of the first member
        reply = await builder.build(await digest_of(stores, *team), TODAY)
        problems = [f for f in reply.fields if f.value == "skipped: Toggl didn't answer in time"]
        assert len(problems) == 1
        assert reply.lines[0].startswith("Team total")


class TestChart:
    async def test_attached_when_someone_tracked_time(
        self, stores: Stores, toggl: TogglClient, clock: ManualClock, team: tuple[UserKey, ...]
    ) -> None:
        builder = DigestBuilder(stores.accounts, toggl, clock, pacer=Pacer(1, sleep=no_sleep))
        reply = await builder.build(await digest_of(stores, *team), TODAY)
        assert reply.image is not None
        image = Image.open(io.BytesIO(reply.image))
        assert image.format == "PNG"
        assert image.size == chart_size(2) == (640, 130)

    async def test_a_dollar_in_a_name_is_drawn_as_plain_text(
        self, stores: Stores, toggl: TogglClient, clock: ManualClock, fake_toggl: TogglEmulator,
        team: tuple[UserKey, ...],
    ) -> None:
        # matplotlib reads $...$ as TeX: this name made chart building raise.
        key, mallory = await add_member(fake_toggl, stores.accounts, "mal", "Mallory a$x^{$")
        track(fake_toggl, mallory, "Research", None, "2026-11-24T09:00+00:00", 30)
        builder = DigestBuilder(stores.accounts, toggl, clock, pacer=Pacer(1, sleep=no_sleep))
        reply = await builder.build(await digest_of(stores, *team, key), TODAY)
        assert reply.image is not None
        assert Image.open(io.BytesIO(reply.image)).size == chart_size(3)

    async def test_a_failing_chart_never_holds_back_the_text(
        self, stores: Stores, toggl: TogglClient, clock: ManualClock, team: tuple[UserKey, ...]
    ) -> None:
        async def broken(bars: object) -> bytes:
            raise RuntimeError("the chart process died")

        builder = DigestBuilder(
            stores.accounts, toggl, clock, pacer=Pacer(1, sleep=no_sleep), charts=broken
        )
        reply = await builder.build(await digest_of(stores, *team), TODAY)
        assert reply.image is None
        assert reply.lines[0].startswith("Team total")

    @pytest.mark.parametrize("members", [1, 10, 40])
    def test_size_follows_the_members(self, members: int) -> None:
        png = render_chart([(f"Person {i} with a rather long name", i / 3) for i in range(members)])
        image = Image.open(io.BytesIO(png))
        image.load()  # decodes the whole image, not just the header
        assert image.size == chart_size(members)

    def test_each_bar_is_as_long_as_its_hours(self) -> None:
        # The information the chart carries: one bar per person, lengths in proportion.
        png = render_chart([("Ada", 6.0), ("Grace $5 {x}", 3.0), ("Linus", 1.5)])
        image = Image.open(io.BytesIO(png)).convert("RGB")
        width, height = image.size
        magenta = (0xD9, 0x4F, 0xB1)
        lengths = []
        for y in range(height):
            run = sum(1 for x in range(width) if image.getpixel((x, y)) == magenta)
            if run and (not lengths or lengths[-1][0] != run):
                lengths.append((run, y))
        bars = sorted({run for run, _ in lengths}, reverse=True)
        assert len(bars) == 3
        assert abs(bars[1] / bars[0] - 0.5) < 0.02
        assert abs(bars[2] / bars[0] - 0.25) < 0.02

    def test_drawn_without_matplotlib(self) -> None:
        # matplotlib cost ~65 ms a chart (two thirds of a digest fan-out); Pillow ~6 ms.
        code = (
            "import sys; from bot.digest.chart import render_chart; "
            "render_chart([('a$b$', 1.0)]); "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
        )
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
