"""entries, add, edit, delete and tag against the fake Toggl, with their call counts."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from adapters.console import ConsoleBot
from bot.emulator import FakeEntry, TogglEmulator
from bot.replies import Tone
from bot.testing.clock import ManualClock
from tests.fakes import InMemoryAccountStore

TODAY = datetime(2026, 11, 24, tzinfo=UTC)  # the clock starts at 10:00 UTC, 11:00 in Berlin


def ada_id(fake: TogglEmulator) -> int:
    return fake.user_ids()[0]


def wid(fake: TogglEmulator) -> int:
    return fake.workspace_ids()[0]


def seed(fake: TogglEmulator, text: str, hour: int, minutes: int = 60, **kw: object) -> FakeEntry:
    start = TODAY + timedelta(hours=hour)
    return fake.add_entry(ada_id(fake), wid(fake), text, start,
                          start + timedelta(minutes=minutes), **kw)  # type: ignore[arg-type]


def entry(fake: TogglEmulator, entry_id: int) -> FakeEntry:
    return next(e for e in fake.entries(ada_id(fake)) if e.id == entry_id)


class TestEntries:
    async def test_lists_today_with_short_ids_in_one_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        project = fake_toggl.projects(wid(fake_toggl))[0]
        first = seed(fake_toggl, "Stand-up", 7, 30, project_id=project.id, tags=("meeting",))
        seed(fake_toggl, "Review", 8)
        reply = await ada.send("entries")
        assert reply.title.startswith("Entries · Today") and reply.title.endswith("(2)")
        assert reply.lines[0] == (
            f"`{str(first.id)[-4:]}` 08:00–08:30 (30m) Stand-up · Website · Acme  #meeting"
        )
        assert fake_toggl.count() == 1

    async def test_an_empty_day_says_so(self, ada: ConsoleBot) -> None:
        reply = await ada.send("entries yesterday")
        assert reply.lines == ("Nothing tracked then.",)

    async def test_bad_period_is_a_usage_error(self, ada: ConsoleBot) -> None:
        assert (await ada.send("entries someday")).usage.startswith("entries")


class TestAdd:
    async def test_a_finished_entry_in_the_users_time_zone(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        reply = await ada.send("add Code review 09:00-10:30 @Website #newtag")
        assert reply.tone is Tone.SUCCESS and reply.title == "Added “Code review”"
        assert fake_toggl.count() == 1
        [made] = fake_toggl.entries(ada_id(fake_toggl))
        assert made.start == TODAY + timedelta(hours=8)  # 09:00 in Berlin
        assert made.stop == TODAY + timedelta(hours=9, minutes=30)
        catalog = next(iter(account_store.catalogs.values()))
        assert "newtag" in [t.name for t in catalog.tags]  # learned from the answer

    async def test_yesterday_and_dates(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        await ada.send("add Planning 09:00-09:30 yesterday")
        await ada.send("add Old 09:00-09:30 2026-11-02")
        starts = sorted(e.start for e in fake_toggl.entries(ada_id(fake_toggl)))
        assert starts == [datetime(2026, 11, 2, 8, tzinfo=UTC), TODAY - timedelta(hours=16)]

    @pytest.mark.parametrize("text", ["add x 25:00-26:00", "add x 09:00-09:61", "add x"])
    async def test_bad_times_never_reach_toggl(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, text: str
    ) -> None:
        reply = await ada.send(text)
        assert reply.tone is Tone.ERROR and reply.usage.startswith("add")
        assert fake_toggl.count() == 0


class TestEdit:
    async def test_last_is_one_call(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        await ada.send("add Draft 09:00-10:00")
        fake_toggl.reset_log()
        reply = await ada.send("edit last Final text @web shop #meeting $")
        assert reply.tone is Tone.SUCCESS and reply.title == "Updated “Final text”"
        assert fake_toggl.count() == 1
        [made] = fake_toggl.entries(ada_id(fake_toggl))
        assert (made.description, list(made.tags), made.billable) == (
            "Final text", ["meeting"], True)

    async def test_a_short_id_costs_one_look_and_tags_add_and_remove(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        made = seed(fake_toggl, "Review", 7, tags=("a", "b"))
        reply = await ada.send(f"edit {str(made.id)[-4:]} -#a #c")
        assert reply.tone is Tone.SUCCESS, reply.text()
        assert fake_toggl.count() == 2  # GET recent entries, PUT
        assert list(entry(fake_toggl, made.id).tags) == ["b", "c"]
        await ada.send(f"edit {made.id} -#b")
        assert list(entry(fake_toggl, made.id).tags) == ["c"]
        put = [r for r in fake_toggl.requests if r.method == "PUT"][-1]
        assert put.json == {"tags": ["b"], "tag_action": "delete"}

    async def test_times_are_local_on_the_entrys_day(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        made = seed(fake_toggl, "Review", 7)
        await ada.send(f"edit {made.id} start 07:30 stop 08:15")
        changed = entry(fake_toggl, made.id)
        assert changed.start == TODAY + timedelta(hours=6, minutes=30)
        assert changed.stop == TODAY + timedelta(hours=7, minutes=15)
        fake_toggl.reset_log()
        reply = await ada.send(f"edit {made.id} stop 07:00")
        assert "stop before it starts" in reply.title
        assert fake_toggl.count() == 0  # the edited entry is remembered: no look, no write

    async def test_stopping_the_running_entry_by_edit(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("start focus")  # 11:00 in Berlin
        clock.advance(minutes=30)
        reply = await ada.send("edit last stop 11:20")
        assert reply.tone is Tone.SUCCESS
        assert fake_toggl.running(ada_id(fake_toggl)) is None
        assert (await ada.send("stop")).title == "No timer is running"

    async def test_nothing_to_change_is_a_usage_error(self, ada: ConsoleBot) -> None:
        assert (await ada.send("edit last")).usage.startswith("edit <id|last>")

    async def test_missing_ids_and_foreign_workspaces(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("edit 9999 #x")
        assert "No recent entry has the id `9999`" in reply.title
        assert "There's no time entry `123456789`" in (await ada.send("edit 123456789 #x")).title
        made = seed(fake_toggl, "Review", 7)
        fake_toggl.inject(403, path="/workspaces/{wid}/time_entries/{id}", method="PUT",
                          body="forbidden")
        assert "workspace you can't change" in (await ada.send(f"edit {made.id} #x")).title

    async def test_an_entry_deleted_elsewhere_is_a_clear_404(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("add Draft 09:00-10:00")
        fake_toggl.inject(404, path="/workspaces/{wid}/time_entries/{id}", method="PUT",
                          body="Time entry not found")
        assert "There's no time entry" in (await ada.send("edit last #x")).title

    async def test_ambiguous_short_ids_ask_for_more_digits(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl._ids = itertools.count(1_000_012_345)  # Toggl-sized ids
        seed(fake_toggl, "a", 6)
        fake_toggl._ids = itertools.count(2_000_012_345)
        seed(fake_toggl, "b", 7)
        reply = await ada.send("entries")
        assert reply.lines[0].startswith("`1000012345` ")  # the digits that tell them apart
        assert "more than one entry" in (await ada.send("edit 2345 #x")).title


class TestDelete:
    async def test_asks_then_deletes_with_one_call(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        await ada.send("add Draft 09:00-10:00")
        fake_toggl.reset_log()
        ask = await ada.send("delete last")
        assert ask.title == "Delete “Draft”?" and fake_toggl.count() == 0
        [button] = ask.buttons
        done = await ada.send(button.command)
        assert done.title == "Deleted “Draft”" and fake_toggl.count() == 1
        assert fake_toggl.entries(ada_id(fake_toggl)) == []
        assert "already deleted" in (await ada.send(button.command)).title
        assert "no time entries" in (await ada.send("delete last")).title

    async def test_expired_confirmation(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        await ada.send("add Draft 09:00-10:00")
        [button] = (await ada.send("delete last")).buttons
        clock.advance(minutes=11)
        assert "expired" in (await ada.send(button.command)).title
        assert len(fake_toggl.entries(ada_id(fake_toggl))) == 1


class TestBulkTag:
    async def test_250_entries_take_three_patches(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        for i in range(250):
            start = TODAY + timedelta(minutes=i)
            fake_toggl.add_entry(ada_id(fake_toggl), wid(fake_toggl), f"e{i}", start,
                                 start + timedelta(seconds=30))
        reply = await ada.send("tag today #billable")
        assert reply.title == "Tagged 250 entries #billable" and reply.tone is Tone.SUCCESS
        assert fake_toggl.count("PATCH") == 3 and fake_toggl.count("GET") == 1
        assert all(list(e.tags) == ["billable"] for e in fake_toggl.entries(ada_id(fake_toggl)))

    async def test_ids_and_removal(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        a = seed(fake_toggl, "a", 6, tags=("x",))
        b = seed(fake_toggl, "b", 7, tags=("x",))
        c = seed(fake_toggl, "c", 8, tags=("x",))
        reply = await ada.send(f"tag {a.id} {b.id} -#x #y")
        assert reply.title == "Tagged 2 entries #y -#x"
        assert fake_toggl.count() == 2  # one look, one PATCH
        assert [list(entry(fake_toggl, e.id).tags) for e in (a, b, c)] == [["y"], ["y"], ["x"]]

    async def test_refusals_are_listed(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        a = seed(fake_toggl, "a", 6)
        reply = await ada.send(f"tag {a.id} 123456789 #y")
        assert reply.tone is Tone.WARNING and "Toggl refused 1:" in reply.lines
        assert any("123456789" in line for line in reply.lines)

    async def test_remembered_last_entry_follows(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        await ada.send("add Draft 09:00-10:00")
        await ada.send("tag last #y")
        [account] = account_store.accounts.values()
        assert account.last is not None and account.last.tags == ("y",)
