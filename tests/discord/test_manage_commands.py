"""Client, project, tag and entry subcommands: options -> typed core commands -> fake Toggl."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from adapters.discord.client import TogglBot
from bot import commands as c
from bot.commands import declaration
from bot.dialects.options import from_options
from bot.domain import UserKey
from bot.emulator import FakeEntry, TogglEmulator
from bot.errors import UsageError
from tests.discord.conftest import Tree
from tests.discord.fakes import click, slash, text_of

TODAY = datetime(2026, 11, 24, tzinfo=UTC)  # the clock starts at 10:00 UTC, 11:00 in Berlin


def wid(fake: TogglEmulator) -> int:
    return fake.workspace_ids()[0]


def ada(fake: TogglEmulator) -> int:
    return fake.user_ids()[0]


def seed(fake: TogglEmulator, text: str, hour: int, **kw: object) -> FakeEntry:
    start = TODAY + timedelta(hours=hour)
    return fake.add_entry(ada(fake), wid(fake), text, start, start + timedelta(hours=1),
                          **kw)  # type: ignore[arg-type]


def clients(fake: TogglEmulator) -> dict[str, bool]:
    return {x.name: x.archived for x in fake.clients(wid(fake))}


class TestClients:
    async def test_rename_archive_and_restore_with_projects(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        done = await tree(slash(discord_bot, "client rename", name="acme",
                                **{"new-name": "Acme Inc"}))
        assert done.only.ephemeral and "Acme Inc" in text_of(done.only.embed)
        assert clients(fake_toggl) == {"Acme Inc": False, "Globex": False}
        assert fake_toggl.count() == 1
        fake_toggl.workspace(wid(fake_toggl)).premium = True
        fake_toggl.reset_log()
        await tree(slash(discord_bot, "client archive", name="Globex"))
        assert clients(fake_toggl)["Globex"] and fake_toggl.count() == 1
        await tree(slash(discord_bot, "client restore", name="Globex", **{"with-projects": True}))
        assert not clients(fake_toggl)["Globex"] and fake_toggl.count() == 2
        assert all(p.active for p in fake_toggl.projects(wid(fake_toggl)))

    async def test_add_project_for_a_client_and_tags(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        await tree(slash(discord_bot, "add project", name="Mobile app", client="Acme"))
        acme = next(x.id for x in fake_toggl.clients(wid(fake_toggl)) if x.name == "Acme")
        made = [p for p in fake_toggl.projects(wid(fake_toggl)) if p.name == "Mobile app"]
        assert [p.client_id for p in made] == [acme]
        fake_toggl.reset_log()
        await tree(slash(discord_bot, "add tag", name="#urgent"))
        assert "urgent" in [t.name for t in fake_toggl.tags(wid(fake_toggl))]
        assert fake_toggl.count() == 1
        fake_toggl.reset_log()
        listed = await tree(slash(discord_bot, "tags"))
        assert "meeting" in text_of(listed.only.embed) and fake_toggl.count() == 1


class TestEntries:
    async def test_entries_add_edit_and_tag(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        seed(fake_toggl, "Stand-up", 7)
        listed = await tree(slash(discord_bot, "entries", period="today"))
        assert "Stand-up" in text_of(listed.only.embed) and fake_toggl.count() == 1

        fake_toggl.reset_log()
        await tree(slash(discord_bot, "add entry", description="Planning", start="09:00",
                         stop="09:30", day="yesterday", tags="meeting", billable=True))
        added = next(e for e in fake_toggl.entries(ada(fake_toggl)) if e.description == "Planning")
        assert added.start == TODAY - timedelta(hours=16)  # 09:00 in Berlin, yesterday
        assert added.tags == ["meeting"] and added.billable and fake_toggl.count() == 1

        await tree(slash(discord_bot, "edit", entry="last", project="Website",
                         **{"add-tags": "focus", "remove-tags": "meeting"}, start="08:45"))
        edited = next(e for e in fake_toggl.entries(ada(fake_toggl)) if e.id == added.id)
        website = next(p.id for p in fake_toggl.projects(wid(fake_toggl)) if p.name == "Website")
        assert edited.project_id == website and edited.tags == ["focus"]
        assert edited.start == TODAY - timedelta(hours=16, minutes=15)

        fake_toggl.reset_log()
        await tree(slash(discord_bot, "tag", period="today", **{"add-tags": "billable"}))
        today = [e for e in fake_toggl.entries(ada(fake_toggl)) if e.start >= TODAY]
        assert [e.tags for e in today] == [["billable"]] and fake_toggl.count() == 2

    async def test_delete_asks_then_the_button_deletes(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        entry = seed(fake_toggl, "Oops", 7)
        ask = await tree(slash(discord_bot, "delete", entry=str(entry.id)))
        button = ask.only.button("Delete entry")
        assert len(button.custom_id) <= 100 and fake_toggl.count() <= 1
        assert [e.id for e in fake_toggl.entries(ada(fake_toggl))] == [entry.id]
        fake_toggl.reset_log()
        await click(discord_bot, button)
        assert fake_toggl.entries(ada(fake_toggl)) == [] and fake_toggl.count() == 1

    async def test_bad_options_are_answered_at_once_without_toggl(
        self, tree: Tree, discord_bot: TogglBot, ada_on_discord: UserKey, fake_toggl: TogglEmulator
    ) -> None:
        for sub, options in [("add entry", {"description": "x", "start": "25:00", "stop": "9:00"}),
                             ("edit", {"entry": "last"}), ("delete", {"entry": "abc"}),
                             ("tag", {"period": "week"})]:
            done = await tree(slash(discord_bot, sub, **options))
            assert done.fake_response.deferred is None and done.only.ephemeral, sub
        assert fake_toggl.count() == 0


class TestOptionsToCommands:
    def test_add_entry_validates_like_the_grammar(self) -> None:
        made = opts("add", description=" Review ", start="9:00", stop="10:30", day="2026-11-02",
                    project="Web", tags="a, #b")
        assert made == c.AddEntry("Review", time(9), time(10, 30), date(2026, 11, 2), 0, "Web",
                                  ("a", "b"), False)
        assert opts("add", description="x", start="9:00", stop="9:30", day="yesterday",
                    billable=True).days_ago == 1  # type: ignore[attr-defined]
        for start, stop, day in [("25:00", "26:00", None), ("9:00", "9:30", "week"),
                                 ("9:00", "9:30", "2026-02-30")]:
            with pytest.raises(UsageError):
                opts("add", description="x", start=start, stop=stop,
                     **({"day": day} if day else {}))

    def test_a_description_copied_from_slack_works(self) -> None:
        made = opts("add", description="Review @Web #a $", start="9:00", stop="9:30", tags="b")
        assert made == c.AddEntry("Review", time(9), time(9, 30), None, 0, "Web", ("b", "a"), True)
        with pytest.raises(UsageError):
            opts("add", description="Review @Web", start="9:00", stop="9:30", project="Other")

    def test_edit_and_tag(self) -> None:
        assert opts("edit", entry="LAST", **{"no-project": True}, stop="17:00",
                    billable=False) == c.EditEntry("last", project="", stop=time(17),
                                                   billable=False)
        for values in [{"entry": "last"}, {"entry": "last", "project": "Web", "no-project": True},
                       {"entry": "4x", "description": "a"}]:
            with pytest.raises(UsageError):
                opts("edit", **values)
        assert opts("tag", entries="4821, 4822 4821", **{"add-tags": "b"}) == (
            c.TagEntries(refs=("4821", "4822"), add_tags=("b",)))
        for values in [{"entries": "1", "period": "today", "add-tags": "b"},
                       {"add-tags": "b"}, {"entries": "1"}]:
            with pytest.raises(UsageError):
                opts("tag", **values)


def opts(name: str, **values: str | bool) -> c.Command:
    """The command Discord's option values make, through the core's validators."""
    return from_options(declaration(name), values)
