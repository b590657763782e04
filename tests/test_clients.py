"""rename, archive, restore and delete client; add project, tags, add tag."""

from __future__ import annotations

import re

from adapters.console import ConsoleBot
from bot.core import Core
from bot.domain import Catalog
from bot.emulator import TogglEmulator
from bot.replies import Reply, Tone
from bot.testing.clock import ManualClock
from tests.fakes import InMemoryAccountStore


def wid(fake: TogglEmulator) -> int:
    return fake.workspace_ids()[0]


def cached(store: InMemoryAccountStore) -> Catalog:
    return next(iter(store.catalogs.values()))


def client_names(fake: TogglEmulator, archived: bool | None = None) -> list[str]:
    return [c.name for c in fake.clients(wid(fake)) if archived is None or c.archived == archived]


def confirm_button(reply: Reply) -> str:
    [button] = reply.buttons
    assert button.style == "danger"
    return button.command


class TestRename:
    async def test_one_call_any_case_and_the_cache_follows(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        reply = await ada.send("rename client acme to Acme Corp")
        assert reply.title == "Renamed client “Acme” to “Acme Corp”"
        assert fake_toggl.count() == 1
        assert "Acme Corp" in client_names(fake_toggl)
        names = [c.name for c in cached(account_store).clients]
        assert "Acme Corp" in names and "Acme" not in names

    async def test_unknown_and_ambiguous_names_are_clear(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.add_client(wid(fake_toggl), "Acme Labs")
        await ada.send("refresh")
        fake_toggl.reset_log()
        reply = await ada.send("rename client ac to X")
        assert reply.tone is Tone.WARNING and "Acme, Acme Labs" in reply.title
        assert "No client called `Nope`" in (await ada.send("rename client Nope to X")).title
        assert fake_toggl.count() == 0

    async def test_without_to_it_shows_the_usage(self, ada: ConsoleBot) -> None:
        reply = await ada.send("rename client Acme")
        assert reply.usage.startswith("rename client") and reply.tone is Tone.ERROR


class TestArchiveAndRestore:
    async def test_free_plan_gets_the_specific_message(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("archive client Globex")
        assert reply.title == "Archiving clients needs a paid Toggl plan."
        assert fake_toggl.count() == 1
        assert client_names(fake_toggl, archived=True) == []

    async def test_a_403_reads_the_same(self, ada: ConsoleBot, fake_toggl: TogglEmulator) -> None:
        fake_toggl.inject(403, path="/workspaces/{wid}/clients/{id}/archive",
                          body="Only premium workspaces")
        reply = await ada.send("archive client Globex")
        assert reply.title == "Archiving clients needs a paid Toggl plan."

    async def test_premium_archives_with_projects_and_restores(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        fake_toggl.workspace(wid(fake_toggl)).premium = True
        reply = await ada.send("archive client globex")
        assert reply.title == "Archived client “Globex” and 2 projects"
        assert fake_toggl.count() == 1
        catalog = cached(account_store)
        assert [c.archived for c in catalog.clients if c.name == "Globex"] == [True]
        assert not any(p.active for p in catalog.projects if p.name in ("Web shop", "Research"))
        assert "already archived" in (await ada.send("archive client Globex")).title

        fake_toggl.reset_log()
        reply = await ada.send("restore client Globex with projects")
        assert reply.title == "Restored client “Globex” and 2 projects"
        assert fake_toggl.count() == 1
        assert all(p.active for p in fake_toggl.projects(wid(fake_toggl)))
        assert all(p.active for p in cached(account_store).projects)

    async def test_restore_without_projects_keeps_them_archived(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        fake_toggl.workspace(wid(fake_toggl)).premium = True
        await ada.send("archive client Globex")
        reply = await ada.send("restore client Globex")
        assert reply.title == "Restored client “Globex”"
        archived = {p.name for p in fake_toggl.projects(wid(fake_toggl)) if not p.active}
        assert archived == {"Web shop", "Research"}

    async def test_restoring_an_active_client_is_explained(self, ada: ConsoleBot) -> None:
        reply = await ada.send("restore client Acme")
        assert "not archived" in reply.title and reply.tone is Tone.WARNING


class TestDelete:
    async def test_asks_first_then_one_call_and_projects_lose_the_client(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        ask = await ada.send("delete client globex")
        assert ask.title == "Delete client “Globex”?"
        assert fake_toggl.count() == 0 and "Globex" in client_names(fake_toggl)
        done = await ada.send(confirm_button(ask))
        assert done.title == "Deleted client “Globex”" and done.tone is Tone.SUCCESS
        assert fake_toggl.count() == 1
        assert "Globex" not in client_names(fake_toggl)
        catalog = cached(account_store)
        assert "Globex" not in [c.name for c in catalog.clients]
        assert {p.client_id for p in catalog.projects if p.name == "Research"} == {None}
        again = await ada.send(confirm_button(ask))
        assert "already deleted" in again.title

    async def test_someone_elses_click_is_refused_without_a_call(
        self, ada: ConsoleBot, core: Core, fake_toggl: TogglEmulator
    ) -> None:
        command = confirm_button(await ada.send("delete client Globex"))
        grace = ConsoleBot(core, user_id="U2", team_id="T1")
        await grace.login(fake_toggl.add_user("grace-token-123456", "Grace Hopper").token)
        fake_toggl.reset_log()
        reply = await grace.send(command)
        assert "someone else's" in reply.title
        assert fake_toggl.count() == 0 and "Globex" in client_names(fake_toggl)

    async def test_an_old_or_forged_confirmation_is_refused(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        command = confirm_button(await ada.send("delete client Globex"))
        forged = re.sub(r"\.[0-9a-f]+$", ".00ff", command)
        assert "someone else's" in (await ada.send(forged)).title
        clock.advance(minutes=11)
        assert "expired" in (await ada.send(command)).title
        assert fake_toggl.count() == 0


class TestProjectsAndTags:
    async def test_add_project_for_a_client_from_the_cache(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        reply = await ada.send('add project "Mobile app" $acme')
        assert reply.title == "Added project “Mobile app” for “Acme”"
        assert fake_toggl.count() == 1
        [made] = [p for p in fake_toggl.projects(wid(fake_toggl)) if p.name == "Mobile app"]
        acme = next(c for c in fake_toggl.clients(wid(fake_toggl)) if c.name == "Acme")
        assert made.client_id == acme.id
        fake_toggl.reset_log()
        assert (await ada.send("start x @mobile")).tone is Tone.SUCCESS
        assert fake_toggl.count() == 1  # found in the cache

    async def test_duplicate_project_is_toggls_error(self, ada: ConsoleBot) -> None:
        reply = await ada.send("add project Website")
        assert reply.tone is Tone.ERROR and "already been taken" in reply.title

    async def test_tags_and_add_tag(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, account_store: InMemoryAccountStore
    ) -> None:
        reply = await ada.send("add tag billable")
        assert reply.title == "Added tag #billable" and fake_toggl.count() == 1
        assert "billable" in [t.name for t in cached(account_store).tags]
        listing = await ada.send("tags")
        assert listing.title == "Tags (2)" and listing.lines == ("#billable", "#meeting")
        assert fake_toggl.count() == 2

    async def test_add_with_a_time_range_is_an_entry_not_a_client(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        reply = await ada.send("add client call 09:00-09:30")
        assert reply.title == "Added “client call”"
        assert "client call" not in client_names(fake_toggl)
